// Budget arithmetic: which spend counts, how close it is to the budgets, what to say. Pure.

export interface BudgetLimits {
  /** USD per UTC day; 0 = no daily budget. */
  daily: number;
  /** USD per UTC calendar month; 0 = no monthly budget. */
  monthly: number;
}

export interface Spend {
  day: number;
  month: number;
}

export type BudgetLevel = 'off' | 'ok' | 'warning' | 'over';

export interface BudgetLine {
  period: 'daily' | 'monthly';
  spent: number;
  limit: number;
  /** spent / limit */
  ratio: number;
}

export interface BudgetStatus {
  level: BudgetLevel;
  /** The budgets that are set, the one nearest its limit first. */
  lines: BudgetLine[];
}

/** From 80 % of a budget the credits item warns; from 100 % every send asks first. */
export const WARNING_RATIO = 0.8;

/**
 * The spend that counts against the budgets: for each period, the larger of the local record (this
 * extension's generations, up to date the moment an answer ends) and the key's own usage from `/key`
 * (every app and window using the key, as of the last credits refresh).
 */
export function countedSpend(local: Spend, key: { usage_daily?: number | undefined; usage_monthly?: number | undefined } | undefined): Spend {
  const k = (n: number | undefined): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);
  return { day: Math.max(local.day, k(key?.usage_daily)), month: Math.max(local.month, k(key?.usage_monthly)) };
}

export function budgetStatus(spend: Spend, limits: BudgetLimits): BudgetStatus {
  const lines: BudgetLine[] = [];
  if (limits.daily > 0) lines.push({ period: 'daily', spent: spend.day, limit: limits.daily, ratio: spend.day / limits.daily });
  if (limits.monthly > 0) lines.push({ period: 'monthly', spent: spend.month, limit: limits.monthly, ratio: spend.month / limits.monthly });
  lines.sort((a, b) => b.ratio - a.ratio);
  const worst = lines[0]?.ratio;
  const level: BudgetLevel = worst === undefined ? 'off' : worst >= 1 ? 'over' : worst >= WARNING_RATIO ? 'warning' : 'ok';
  return { level, lines };
}

/** "$4.10 of the $5.00 daily budget (82 %)". */
export function describeLine(line: BudgetLine, formatUsd: (n: number) => string): string {
  return `${formatUsd(line.spent)} of the ${formatUsd(line.limit)} ${line.period} budget (${Math.floor(line.ratio * 100)} %)`;
}

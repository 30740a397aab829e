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
  /** The limit in force: the setting plus what the user allowed on top for this day or month. */
  limit: number;
  /** USD the user allowed past the setting for this UTC day (daily) or month (monthly); 0 = none. */
  raised: number;
  /** spent / limit */
  ratio: number;
}

/** USD allowed on top of each budget for the current UTC day and month. */
export interface BudgetRaises {
  daily: number;
  monthly: number;
}

export const NO_RAISES: Readonly<BudgetRaises> = Object.freeze({ daily: 0, monthly: 0 });

export interface BudgetStatus {
  level: BudgetLevel;
  /** The budgets that are set, the one nearest its limit first. */
  lines: BudgetLine[];
}

/** From 80 % of a budget the credits item warns; from 100 % every send asks first and completions stop. */
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

export function budgetStatus(spend: Spend, limits: BudgetLimits, raises: BudgetRaises = NO_RAISES): BudgetStatus {
  const lines: BudgetLine[] = [];
  const line = (period: BudgetLine['period'], spent: number, base: number, raised: number): BudgetLine => {
    const extra = raised > 0 && Number.isFinite(raised) ? raised : 0;
    return { period, spent, limit: base + extra, raised: extra, ratio: spent / (base + extra) };
  };
  if (limits.daily > 0) lines.push(line('daily', spend.day, limits.daily, raises.daily));
  if (limits.monthly > 0) lines.push(line('monthly', spend.month, limits.monthly, raises.monthly));
  lines.sort((a, b) => b.ratio - a.ratio);
  const worst = lines[0]?.ratio;
  const level: BudgetLevel = worst === undefined ? 'off' : worst >= 1 ? 'over' : worst >= WARNING_RATIO ? 'warning' : 'ok';
  return { level, lines };
}

/** "$4.10 of the $5.00 daily budget (82 %)", or "… of the $6.00 daily budget ($5.00 + $1.00 allowed today) (…)". */
export function describeLine(line: BudgetLine, formatUsd: (n: number) => string): string {
  const raised = line.raised > 0 ? ` (${formatUsd(line.limit - line.raised)} + ${formatUsd(line.raised)} allowed ${line.period === 'daily' ? 'today' : 'this month'})` : '';
  return `${formatUsd(line.spent)} of the ${formatUsd(line.limit)} ${line.period} budget${raised} (${Math.floor(line.ratio * 100)} %)`;
}

/**
 * The raise that lets `more` USD be spent from now on in each period whose budget is reached: the limit
 * becomes what is counted as spent plus `more` (never lower than a raise already made). Periods under
 * their limit keep their raise.
 */
export function raiseBy(status: BudgetStatus, current: BudgetRaises, more: number): BudgetRaises {
  const next = { ...current };
  for (const line of status.lines) {
    if (line.ratio < 1) continue;
    const key = line.period;
    const base = line.limit - line.raised;
    next[key] = Math.max(current[key], line.spent + more - base);
  }
  return next;
}

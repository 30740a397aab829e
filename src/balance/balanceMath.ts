// What the key can still spend, from /key and /credits: pure, so it is unit-tested under plain Node.
import type { Credits, KeyInfo } from '../openrouter/types';
import { formatUsd } from '../util/usd';

/** Where the credits and budget code has always found it. */
export { formatUsd };

export type BalanceLevel = 'normal' | 'low' | 'empty' | 'unknown';

export interface Balance {
  /** USD the key can still spend, when anything bounds it. */
  spendable: number | undefined;
  /** Which figure bounds it. */
  source: 'key-limit' | 'account' | 'both' | 'none';
  /** Account balance (total_credits − total_usage), when /credits answered. */
  accountBalance: number | undefined;
  /** The key's remaining limit, when the key has one. */
  limitRemaining: number | undefined;
}

function finite(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** min(limit_remaining, total_credits − total_usage), degrading to whichever figure is known. */
export function computeBalance(key: KeyInfo | undefined, credits: Credits | undefined): Balance {
  const limitRemaining = key && key.limit !== null ? finite(key.limit_remaining) : undefined;
  const total = finite(credits?.total_credits);
  const used = finite(credits?.total_usage);
  const accountBalance = total !== undefined && used !== undefined ? total - used : undefined;
  if (limitRemaining !== undefined && accountBalance !== undefined) {
    return { spendable: Math.min(limitRemaining, accountBalance), source: 'both', accountBalance, limitRemaining };
  }
  if (limitRemaining !== undefined) return { spendable: limitRemaining, source: 'key-limit', accountBalance, limitRemaining };
  if (accountBalance !== undefined) return { spendable: accountBalance, source: 'account', accountBalance, limitRemaining };
  return { spendable: undefined, source: 'none', accountBalance, limitRemaining };
}

/** `empty` at or below zero, `low` under the threshold, `unknown` when nothing bounds the key. */
export function balanceLevel(spendable: number | undefined, threshold: number): BalanceLevel {
  if (spendable === undefined) return 'unknown';
  if (spendable <= 0) return 'empty';
  if (spendable < threshold) return 'low';
  return 'normal';
}

/** True when the balance has just gone under the threshold (or run out) from above it or from unknown. */
export function crossedIntoLow(previous: BalanceLevel | undefined, next: BalanceLevel): boolean {
  const wasOk = previous === undefined || previous === 'normal' || previous === 'unknown';
  return wasOk && (next === 'low' || next === 'empty');
}


/** The status bar text for a known balance (the icon is added by the item). */
export function balanceText(balance: Balance, key: KeyInfo | undefined): string {
  if (balance.spendable !== undefined) return `${formatUsd(balance.spendable)} left`;
  if (key) return `${formatUsd(key.usage)} used`;
  return '—';
}

/** Markdown rows for the tooltip: usage today/week/month, limit, reset, account. */
export function balanceDetails(balance: Balance, key: KeyInfo | undefined, creditsUnavailable: boolean): string[] {
  const rows: string[] = [];
  if (balance.spendable !== undefined) rows.push(`**Spendable:** ${formatUsd(balance.spendable)}`);
  if (key) {
    if (key.label) rows.push(`**Key:** ${escapeMarkdown(key.label)}`);
    rows.push(`**Usage:** today ${formatUsd(key.usage_daily)} · this week ${formatUsd(key.usage_weekly)} · this month ${formatUsd(key.usage_monthly)} · total ${formatUsd(key.usage)}`);
    rows.push(key.limit === null ? '**Limit:** none on this key' : `**Limit:** ${formatUsd(key.limit)} (${formatUsd(key.limit_remaining)} remaining)`);
    if (key.limit_reset) rows.push(`**Limit resets:** ${escapeMarkdown(key.limit_reset)}`);
    if (key.is_free_tier) rows.push('Free tier');
  }
  if (balance.accountBalance !== undefined) rows.push(`**Account balance:** ${formatUsd(balance.accountBalance)}`);
  else if (creditsUnavailable) rows.push('Account balance: not available to this key (needs a management key)');
  return rows;
}

/** Escapes Markdown syntax in text from the server (labels, messages) shown in a tooltip. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

// Days as OpenRouter counts them (UTC, as the key's usage_daily/usage_monthly do): pure helpers.

const DAY_MS = 24 * 60 * 60 * 1000;

/** "2026-11-30" for the UTC day holding `at`. */
export function dayKey(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** "2026-11" for the UTC month holding `at`. */
export function monthKey(at: number): string {
  return new Date(at).toISOString().slice(0, 7);
}

/** The `count` UTC days ending with the one holding `now`, oldest first. */
export function lastDays(now: number, count: number): string[] {
  const days: string[] = [];
  for (let i = count - 1; i >= 0; i--) days.push(dayKey(now - i * DAY_MS));
  return days;
}

/** Start (epoch ms) of the UTC day `days` days before the one holding `now`. */
export function dayStart(now: number, daysBack = 0): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - daysBack);
}

export function isDayKey(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text);
}

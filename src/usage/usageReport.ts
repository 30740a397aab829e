// The Usage view's content and the CSV export, from the record: pure, unit-tested under Node.
import type { KeyInfo } from '../openrouter/types';
import type { UsageReport } from '../protocols/usage';
import type { BudgetStatus } from './budgetMath';
import { toCsv } from './csv';
import { dayKey, lastDays } from './usageDays';
import { dailyByModel, totals } from './usageMath';
import type { UsageEntry } from './usageTypes';

export const CHART_DAYS = 30;

export function buildReport(entries: readonly UsageEntry[], now: number, key: KeyInfo | undefined, budget: BudgetStatus, recordsPrompts: boolean): UsageReport {
  const days = lastDays(now, CHART_DAYS);
  const first = days[0]!;
  const recent = entries.filter((e) => dayKey(e.at) >= first);
  const chart = dailyByModel(recent, days);
  return {
    generatedAt: now,
    chart,
    byModel: totals(recent, 'model'),
    byDay: totals(recent, 'day').sort((a, b) => (a.key < b.key ? 1 : -1)),
    totalUsd: chart.dayTotals.reduce((t, v) => t + v, 0),
    key: key ? { daily: key.usage_daily, weekly: key.usage_weekly, monthly: key.usage_monthly } : undefined,
    budget,
    recordsPrompts,
  };
}

export const CSV_HEADER = ['day (UTC)', 'model', 'requests', 'prompt tokens', 'completion tokens', 'cached tokens', 'cost (USD)'] as const;

/** One row per UTC day and model over the chart's days (oldest first): the tables' totals add up from these. */
export function usageCsv(entries: readonly UsageEntry[], now: number): string {
  const days = lastDays(now, CHART_DAYS);
  const first = days[0]!;
  const rows = new Map<string, { day: string; model: string; requests: number; prompt: number; completion: number; cached: number; cost: number }>();
  for (const e of entries) {
    const day = dayKey(e.at);
    if (day < first) continue;
    const id = `${day}\u0000${e.model}`;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = { day, model: e.model, requests: 0, prompt: 0, completion: 0, cached: 0, cost: 0 }));
    row.requests++;
    row.prompt += e.promptTokens;
    row.completion += e.completionTokens;
    row.cached += e.cachedTokens;
    row.cost += e.costUsd;
  }
  const sorted = [...rows.values()].sort((a, b) => (a.day === b.day ? (a.model < b.model ? -1 : 1) : a.day < b.day ? -1 : 1));
  return toCsv(
    CSV_HEADER,
    sorted.map((r) => [r.day, r.model, r.requests, r.prompt, r.completion, r.cached, roundUsd(r.cost)]),
  );
}

/** Sums of float costs carry noise (0.1 + 0.2); twelve decimals keep every real digit of a price. */
export function roundUsd(n: number): number {
  return Math.round(n * 1e12) / 1e12;
}

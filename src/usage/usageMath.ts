// Aggregations of the usage record for the chart, the tables and the budget: pure, unit-tested under Node.
import { dayKey, monthKey } from './usageDays';
import type { UsageEntry } from './usageTypes';

/** Spend per UTC day stacked by model: `costs[m][d]` is model `models[m]` on day `days[d]`. */
export interface DailyChart {
  days: string[];
  /** Most expensive first (the bottom of each stack). */
  models: string[];
  costs: number[][];
  dayTotals: number[];
}

export function dailyByModel(entries: readonly UsageEntry[], days: readonly string[]): DailyChart {
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const perModel = new Map<string, number[]>();
  for (const e of entries) {
    const d = dayIndex.get(dayKey(e.at));
    if (d === undefined) continue;
    let row = perModel.get(e.model);
    if (!row) perModel.set(e.model, (row = days.map(() => 0)));
    row[d]! += e.costUsd;
  }
  const models = [...perModel.keys()].sort((a, b) => sum(perModel.get(b)!) - sum(perModel.get(a)!) || (a < b ? -1 : 1));
  const costs = models.map((m) => perModel.get(m)!);
  const dayTotals = days.map((_, d) => costs.reduce((t, row) => t + row[d]!, 0));
  return { days: [...days], models, costs, dayTotals };
}

export interface TotalsRow {
  /** A model id, or a day ("2026-11-30"). */
  key: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  costUsd: number;
  /** Mean latency of the entries that have one, ms. */
  meanLatencyMs: number | undefined;
}

/** Totals per model (`by: 'model'`) or per UTC day (`by: 'day'`), most expensive first. */
export function totals(entries: readonly UsageEntry[], by: 'model' | 'day'): TotalsRow[] {
  const rows = new Map<string, TotalsRow & { latencySum: number; latencyCount: number }>();
  for (const e of entries) {
    const key = by === 'model' ? e.model : dayKey(e.at);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { key, requests: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0, costUsd: 0, meanLatencyMs: undefined, latencySum: 0, latencyCount: 0 }));
    row.requests++;
    row.promptTokens += e.promptTokens;
    row.completionTokens += e.completionTokens;
    row.cachedTokens += e.cachedTokens;
    row.costUsd += e.costUsd;
    if (e.latencyMs !== undefined) {
      row.latencySum += e.latencyMs;
      row.latencyCount++;
    }
  }
  return [...rows.values()]
    .map(({ latencySum, latencyCount, ...row }) => ({ ...row, meanLatencyMs: latencyCount > 0 ? latencySum / latencyCount : undefined }))
    .sort((a, b) => b.costUsd - a.costUsd || (a.key < b.key ? -1 : 1));
}

/** What the record says was spent on the UTC day and in the UTC month holding `now`. */
export function localSpend(entries: readonly UsageEntry[], now: number): { day: number; month: number } {
  const today = dayKey(now);
  const month = monthKey(now);
  let day = 0;
  let monthTotal = 0;
  for (const e of entries) {
    if (monthKey(e.at) !== month) continue;
    monthTotal += e.costUsd;
    if (dayKey(e.at) === today) day += e.costUsd;
  }
  return { day, month: monthTotal };
}

function sum(values: readonly number[]): number {
  return values.reduce((t, v) => t + v, 0);
}

// The typed messages between the Usage view (browser) and the extension: both sides import this file.
import type { BudgetStatus } from '../usage/budgetMath';
import type { DailyChart, TotalsRow } from '../usage/usageMath';

/** Everything the view draws, computed on the extension side. */
export interface UsageReport {
  generatedAt: number;
  /** The chart: the last 30 UTC days, spend stacked by model. */
  chart: DailyChart;
  byModel: TotalsRow[];
  byDay: TotalsRow[];
  /** Sum of the chart, USD. */
  totalUsd: number;
  /** The key's own usage from /key (every app using the key), when the last refresh had it. */
  key: { daily: number | undefined; weekly: number | undefined; monthly: number | undefined } | undefined;
  budget: BudgetStatus;
  recordsPrompts: boolean;
}

export type UsageToView = { type: 'report'; report: UsageReport };

export type UsageFromView = { type: 'ready' } | { type: 'refresh' } | { type: 'exportCsv' } | { type: 'openSettings' };

// The Usage view (browser side): the chart, the key's usage, the budgets and the two sortable tables,
// redrawn from each report the extension posts. Text from the server is only ever set as textContent.
import { h } from '../shared/dom';
import { deliverFirstMessage } from '../shared/firstMessage';
import type { TotalsRow } from '../../usage/usageMath';
import type { BudgetLine } from '../../usage/budgetMath';
import type { UsageFromView, UsageReport, UsageToView } from '../../protocols/usage';
import { drawChart, SERIES_CLASSES } from './usageChart';
import { formatCount, formatLatency } from './usageFormat';
import { formatUsd } from '../../util/usd';
import { sortableTable } from './sortableTable';
import type { Column, SortState } from './sortableTable';

declare function acquireVsCodeApi(): { postMessage(message: UsageFromView): void };
const vscode = acquireVsCodeApi();
const app = document.getElementById('usage-app')!;
let report: UsageReport | undefined;
const sorts: Record<'model' | 'day', SortState> = { model: { column: 5, descending: true }, day: { column: 0, descending: true } };

function columns(first: string): Column<TotalsRow>[] {
  return [
    { label: first, value: (r) => r.key },
    { label: 'Requests', value: (r) => r.requests, format: (r) => formatCount(r.requests), numeric: true },
    { label: 'Prompt tokens', value: (r) => r.promptTokens, format: (r) => formatCount(r.promptTokens), numeric: true },
    { label: 'Completion tokens', value: (r) => r.completionTokens, format: (r) => formatCount(r.completionTokens), numeric: true },
    { label: 'Cached tokens', value: (r) => r.cachedTokens, format: (r) => formatCount(r.cachedTokens), numeric: true },
    { label: 'Cost', value: (r) => r.costUsd, format: (r) => formatUsd(r.costUsd), numeric: true },
    { label: 'Mean latency', value: (r) => r.meanLatencyMs, format: (r) => formatLatency(r.meanLatencyMs), numeric: true },
  ];
}

function budgetText(line: BudgetLine): string {
  return `${line.period === 'daily' ? 'Today' : 'This month'}: ${formatUsd(line.spent)} of ${formatUsd(line.limit)} (${Math.floor(line.ratio * 100)} %)`;
}

function render(): void {
  if (!report) return;
  const r = report;
  const refresh = h('button', { type: 'button', id: 'refresh' }, 'Refresh');
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  const exportCsv = h('button', { type: 'button', id: 'export-csv' }, 'Export CSV…');
  exportCsv.addEventListener('click', () => vscode.postMessage({ type: 'exportCsv' }));
  const settings = h('button', { type: 'button', id: 'budget-settings' }, 'Budgets…');
  settings.addEventListener('click', () => vscode.postMessage({ type: 'openSettings' }));

  const key = r.key;
  const keyLine = key
    ? `The key's own usage (all apps): today ${formatUsd(key.daily ?? 0)} · this week ${formatUsd(key.weekly ?? 0)} · this month ${formatUsd(key.monthly ?? 0)}`
    : "The key's own usage: not known yet (refresh the credits).";
  const budget =
    r.budget.lines.length === 0
      ? h('p', { id: 'budget', class: 'muted' }, 'No budget set (openrouter.budget.daily, openrouter.budget.monthly).')
      : h('p', { id: 'budget', class: `budget-${r.budget.level}`, 'data-level': r.budget.level }, `Budget${r.budget.level === 'over' ? ' reached' : r.budget.level === 'warning' ? ' nearly used' : ''}: `, r.budget.lines.map(budgetText).join(' · '));

  const legend = h(
    'ul',
    { class: 'legend', 'aria-label': 'Models' },
    ...r.chart.models.map((model, m) => h('li', {}, h('span', { class: `swatch series-${m % SERIES_CLASSES}`, 'aria-hidden': 'true' }), model)),
  );
  const chart = r.chart.models.length > 0 ? drawChart(r.chart) : h('p', { id: 'empty', class: 'muted' }, 'No answers recorded in the last 30 days yet: spend shows here after chats, comparisons and VS Code chat answers.');

  const byModel = sortableTable('Per model, last 30 days', 'model', r.byModel, columns('Model'), sorts.model, (next) => {
    sorts.model = next;
    render();
    focusSort('model', next.column);
  });
  const byDay = sortableTable('Per day (UTC)', 'day', r.byDay, columns('Day'), sorts.day, (next) => {
    sorts.day = next;
    render();
    focusSort('day', next.column);
  });

  app.replaceChildren(
    h('header', {}, h('h1', {}, 'OpenRouter usage'), h('div', { class: 'actions' }, refresh, exportCsv, settings)),
    h('p', { id: 'total', 'data-total': String(r.totalUsd) }, `Spent by this extension in the last 30 days: ${formatUsd(r.totalUsd)}`),
    h('p', { id: 'key-usage' }, keyLine),
    budget,
    chart,
    legend,
    byModel,
    byDay,
    h('p', { class: 'muted' }, r.recordsPrompts ? 'Prompts are kept in the record (openrouter.usage.recordPrompts).' : 'The record keeps no prompt text. Days are UTC days, as OpenRouter counts them.'),
  );
}

/** Keeps the keyboard where it was after a sort redraws the table. */
function focusSort(table: string, column: number): void {
  app.querySelector<HTMLButtonElement>(`table[data-table="${table}"] button[data-column="${column}"]`)?.focus();
}

window.addEventListener('message', (event: MessageEvent<UsageToView>) => {
  if (event.data?.type !== 'report') return;
  report = event.data.report;
  render();
});
vscode.postMessage({ type: 'ready' });
// The report sent with the page: the figures are drawn now, not after `ready` and a reply.
deliverFirstMessage();

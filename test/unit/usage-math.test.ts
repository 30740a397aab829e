import assert from 'node:assert/strict';
import { budgetStatus, countedSpend, describeLine } from '../../src/usage/budgetMath';
import { csvCell, toCsv } from '../../src/usage/csv';
import { formatUsd } from '../../src/balance/balanceMath';
import { dayKey, lastDays } from '../../src/usage/usageDays';
import { dailyByModel, localSpend, totals } from '../../src/usage/usageMath';
import { buildReport, usageCsv } from '../../src/usage/usageReport';
import type { UsageEntry } from '../../src/usage/usageTypes';

const DAY = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 10, 30, 15, 0);

function entry(id: string, at: number, model: string, costUsd: number, extra: Partial<UsageEntry> = {}): UsageEntry {
  return { id, at, source: 'chat', model, promptTokens: 10, completionTokens: 5, cachedTokens: 0, costUsd, ...extra };
}

const entries: UsageEntry[] = [
  entry('a', now, 'openai/gpt-4o-mini', 0.1, { latencyMs: 100 }),
  entry('b', now - 1000, 'anthropic/claude', 0.3, { latencyMs: 300, cachedTokens: 4 }),
  entry('c', now - DAY, 'openai/gpt-4o-mini', 0.2),
  entry('d', now - 29 * DAY, 'anthropic/claude', 0.05),
  entry('e', now - 30 * DAY, 'anthropic/claude', 7), // outside the chart's 30 days
  entry('f', Date.UTC(2026, 9, 31, 23, 59), 'x/old-month', 1), // last month
];

describe('usage aggregation', () => {
  it('stacks spend per UTC day by model, most expensive model first, over exactly the given days', () => {
    const days = lastDays(now, 30);
    assert.equal(days.length, 30);
    assert.equal(days[29], '2026-11-30');
    assert.equal(days[0], '2026-11-01');
    const chart = dailyByModel(entries, days);
    assert.deepEqual(chart.models, ['anthropic/claude', 'openai/gpt-4o-mini']);
    assert.deepEqual(chart.costs[0]![29], 0.3);
    assert.deepEqual(chart.costs[0]![0], 0.05);
    assert.deepEqual(chart.costs[1]![28], 0.2);
    assert.ok(Math.abs(chart.dayTotals[29]! - 0.4) < 1e-12);
    assert.equal(chart.dayTotals.reduce((t, v) => t + v, 0).toFixed(2), '0.65', 'the 31-day-old entry and last month are not in the chart');
  });

  it('totals per model and per day with requests, tokens, cost and mean latency', () => {
    const byModel = totals(entries.slice(0, 4), 'model');
    assert.deepEqual(byModel.map((r) => r.key), ['anthropic/claude', 'openai/gpt-4o-mini']);
    assert.deepEqual(byModel[0], { key: 'anthropic/claude', requests: 2, promptTokens: 20, completionTokens: 10, cachedTokens: 4, costUsd: 0.35, meanLatencyMs: 300 });
    assert.equal(byModel[1]!.meanLatencyMs, 100, 'entries without a latency do not pull the mean down');
    const byDay = totals(entries.slice(0, 4), 'day');
    assert.deepEqual(byDay.map((r) => [r.key, r.requests]), [['2026-11-30', 2], ['2026-11-29', 1], ['2026-11-01', 1]]);
  });

  it('counts today and this month by UTC calendar', () => {
    const spend = localSpend(entries, now);
    assert.ok(Math.abs(spend.day - 0.4) < 1e-12);
    assert.ok(Math.abs(spend.month - 0.65) < 1e-12, `month ${spend.month}: October's entries do not count`);
    assert.equal(dayKey(Date.UTC(2026, 10, 30, 23, 59, 59)), '2026-11-30');
    assert.equal(dayKey(Date.UTC(2026, 11, 1, 0, 0, 0)), '2026-12-01');
  });
});

describe('budget math', () => {
  it('is off with no budget, ok under 80 %, warning from 80 %, over from 100 %', () => {
    assert.equal(budgetStatus({ day: 100, month: 100 }, { daily: 0, monthly: 0 }).level, 'off');
    assert.equal(budgetStatus({ day: 0.79, month: 0 }, { daily: 1, monthly: 0 }).level, 'ok');
    assert.equal(budgetStatus({ day: 0.8, month: 0 }, { daily: 1, monthly: 0 }).level, 'warning');
    assert.equal(budgetStatus({ day: 0.99, month: 0 }, { daily: 1, monthly: 0 }).level, 'warning');
    assert.equal(budgetStatus({ day: 1, month: 0 }, { daily: 1, monthly: 0 }).level, 'over');
    const both = budgetStatus({ day: 0.5, month: 19 }, { daily: 1, monthly: 20 });
    assert.equal(both.level, 'warning');
    assert.deepEqual(both.lines.map((l) => l.period), ['monthly', 'daily'], 'the budget nearest its limit first');
  });

  it('counts the larger of the local record and the key usage, per period', () => {
    assert.deepEqual(countedSpend({ day: 0.4, month: 2 }, { usage_daily: 0.25, usage_monthly: 2.5 }), { day: 0.4, month: 2.5 });
    assert.deepEqual(countedSpend({ day: 0.4, month: 2 }, undefined), { day: 0.4, month: 2 });
    assert.deepEqual(countedSpend({ day: 0, month: 0 }, { usage_daily: Number.NaN }), { day: 0, month: 0 });
  });

  it('describes a line with amounts and the rounded-down percentage', () => {
    const [line] = budgetStatus({ day: 4.1, month: 0 }, { daily: 5, monthly: 0 }).lines;
    assert.equal(describeLine(line!, formatUsd), '$4.10 of the $5.00 daily budget (82 %)');
  });
});

describe('usage CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('@cmd'), "'@cmd");
    assert.equal(csvCell(0.25), '0.25');
    assert.equal(csvCell(Number.NaN), '');
    assert.equal(csvCell(undefined), '');
    assert.equal(toCsv(['a', 'b'], [['x', 1]]), 'a,b\r\nx,1\r\n');
  });

  it('exports one row per UTC day and model over the chart days, adding up to the tables', () => {
    const csv = usageCsv([...entries, entry('g', now, 'evil,"model"', 0.01)], now);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'day (UTC),model,requests,prompt tokens,completion tokens,cached tokens,cost (USD)');
    assert.deepEqual(lines.slice(1), [
      '2026-11-01,anthropic/claude,1,10,5,0,0.05',
      '2026-11-29,openai/gpt-4o-mini,1,10,5,0,0.2',
      '2026-11-30,anthropic/claude,1,10,5,4,0.3',
      '2026-11-30,"evil,""model""",1,10,5,0,0.01',
      '2026-11-30,openai/gpt-4o-mini,1,10,5,0,0.1',
    ]);
    const report = buildReport(entries, now, undefined, budgetStatus({ day: 0, month: 0 }, { daily: 0, monthly: 0 }), false);
    assert.equal(report.byModel.find((r) => r.key === 'anthropic/claude')!.costUsd, 0.35);
    assert.ok(Math.abs(report.totalUsd - 0.65) < 1e-12);
    assert.deepEqual(report.byDay.map((r) => r.key), ['2026-11-30', '2026-11-29', '2026-11-01'], 'newest day first');
  });
});

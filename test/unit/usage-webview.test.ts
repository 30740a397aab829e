import assert from 'node:assert/strict';
import { sortRows } from '../../src/webview/usage/sortableTable';
import type { Column } from '../../src/webview/usage/sortableTable';
import { niceMax } from '../../src/webview/usage/usageChart';
import { formatLatency } from '../../src/webview/usage/usageFormat';
import { formatUsd } from '../../src/util/usd';

interface Row {
  model: string;
  cost: number;
  latency: number | undefined;
}

const columns: Column<Row>[] = [
  { label: 'Model', value: (r) => r.model },
  { label: 'Cost', value: (r) => r.cost, numeric: true },
  { label: 'Latency', value: (r) => r.latency, numeric: true },
];
const rows: Row[] = [
  { model: 'b/model', cost: 0.5, latency: 200 },
  { model: 'a/model', cost: 2, latency: undefined },
  { model: 'c/model', cost: 0.01, latency: 50 },
];

describe('Usage view (pure parts)', () => {
  it('sorts by any column either way, numbers as numbers, rows without a value last', () => {
    assert.deepEqual(sortRows(rows, columns, { column: 0, descending: false }).map((r) => r.model), ['a/model', 'b/model', 'c/model']);
    assert.deepEqual(sortRows(rows, columns, { column: 1, descending: true }).map((r) => r.cost), [2, 0.5, 0.01]);
    assert.deepEqual(sortRows(rows, columns, { column: 1, descending: false }).map((r) => r.cost), [0.01, 0.5, 2]);
    assert.deepEqual(sortRows(rows, columns, { column: 2, descending: false }).map((r) => r.latency), [50, 200, undefined]);
    assert.deepEqual(sortRows(rows, columns, { column: 2, descending: true }).map((r) => r.latency), [200, 50, undefined]);
    assert.equal(rows[0]!.model, 'b/model', 'the input is left as it was');
  });

  it('rounds the axis up to 1, 2, 2.5 or 5 times a power of ten', () => {
    assert.equal(niceMax(0.0016), 0.002);
    assert.equal(niceMax(0.002), 0.002);
    assert.equal(niceMax(2.1), 2.5);
    assert.equal(niceMax(3), 5);
    assert.equal(niceMax(7), 10);
    assert.equal(niceMax(0), 0.01, 'an empty chart still has an axis');
  });

  it('formats small and large amounts and latencies', () => {
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(0.00038123), '$0.00038');
    assert.equal(formatUsd(1.234), '$1.23');
    assert.equal(formatLatency(undefined), '—');
    assert.equal(formatLatency(812.4), '812 ms');
    assert.equal(formatLatency(2400), '2.4 s');
  });
});

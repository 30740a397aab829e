import assert from 'node:assert/strict';
import { formatReuseNotification, formatReuseReport, percentile, runStats, summariseReuse } from '../../src/measure/reuseStats';

describe('connection reuse statistics', () => {
  it('takes nearest-rank percentiles whatever the order of the samples', () => {
    const values = [50, 10, 40, 20, 30];
    assert.equal(percentile(values, 50), 30);
    assert.equal(percentile(values, 95), 50);
    assert.equal(percentile(values, 0), 10);
    assert.equal(percentile(values, 100), 50);
    assert.deepEqual(values, [50, 10, 40, 20, 30], 'the input is not reordered');
  });

  it('puts the 95th percentile on the slowest of twenty calls only when one call in twenty is slow', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => (i === 7 ? 500 : 10 + i));
    assert.equal(percentile(twenty, 95), 29);
    assert.equal(percentile([...twenty, 600], 95), 500);
  });

  it('answers NaN rather than a number for no samples', () => {
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.ok(Number.isNaN(runStats({ latenciesMs: [], connectionsOpened: 0, dnsLookups: 0 }).meanMs));
  });

  it('summarises a run with its totals and counts', () => {
    const stats = runStats({ latenciesMs: [100, 20, 20, 20], connectionsOpened: 1, dnsLookups: 1 });
    assert.equal(stats.calls, 4);
    assert.equal(stats.p50Ms, 20);
    assert.equal(stats.p95Ms, 100);
    assert.equal(stats.meanMs, 40);
    assert.equal(stats.totalMs, 160);
  });

  it('credits the pool with the handshakes, DNS lookups and time the fresh run spent', () => {
    const summary = summariseReuse(
      { latenciesMs: [140, 60, 60, 60, 60], connectionsOpened: 1, dnsLookups: 1 },
      { latenciesMs: [140, 140, 150, 140, 145], connectionsOpened: 5, dnsLookups: 5 },
    );
    assert.equal(summary.calls, 5);
    assert.equal(summary.handshakesSaved, 4);
    assert.equal(summary.dnsLookupsSaved, 4);
    assert.equal(summary.speedup, 140 / 60);
    assert.equal(summary.savedPerCallMs, 80);
  });

  it('reports a pool that is no faster as a speed-up below one, not as a saving', () => {
    const summary = summariseReuse({ latenciesMs: [90, 90], connectionsOpened: 2, dnsLookups: 0 }, { latenciesMs: [60, 60], connectionsOpened: 2, dnsLookups: 0 });
    assert.ok(summary.speedup < 1);
    assert.equal(summary.handshakesSaved, 0);
    assert.equal(summary.savedPerCallMs, -30);
  });

  it('writes the log lines and the notification from the same figures', () => {
    const summary = summariseReuse({ latenciesMs: [61, 59, 60], connectionsOpened: 1, dnsLookups: 0 }, { latenciesMs: [140, 141, 139], connectionsOpened: 3, dnsLookups: 0 });
    const lines = formatReuseReport(summary, 'https://127.0.0.1:1234/api/v1');
    assert.match(lines[0]!, /3 sequential GET \/models calls to https:\/\/127\.0\.0\.1:1234\/api\/v1/);
    assert.match(lines[1]!, /pooled.*p50 60\.0 ms.*1 connection\(s\) opened/);
    assert.match(lines[2]!, /fresh.*p50 140\.0 ms.*3 connection\(s\) opened/);
    assert.match(lines[3]!, /handshakes saved: 2/);
    assert.match(lines[4]!, /2\.33×/);
    assert.match(formatReuseNotification(summary), /2\.33× faster.*p50 60 ms pooled vs 140 ms fresh.*2 handshake\(s\) saved over 3 calls/);
  });
});

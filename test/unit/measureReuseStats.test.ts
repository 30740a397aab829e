import assert from 'node:assert/strict';
import { describeRatio, formatReuseNotification, formatReuseReport, median, runStats, summariseReuse } from '../../src/measure/reuseStats';
import { percentile } from '../../src/util/percentile';
import type { RunSample } from '../../src/measure/reuseStats';

const sample = (latenciesMs: number[], connectionsOpened: number, dnsLookups = 0): RunSample => ({ latenciesMs, connectionsOpened, dnsLookups });

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
    assert.equal(percentile([], 50), undefined);
    assert.ok(Number.isNaN(runStats({ latenciesMs: [], connectionsOpened: 0, dnsLookups: 0 }).p50Ms));
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
    const summary = summariseReuse([{ pooled: sample([140, 60, 60, 60, 60], 1, 1), fresh: sample([140, 140, 150, 140, 145], 5, 5) }]);
    assert.equal(summary.calls, 5);
    assert.equal(summary.handshakesSaved, 4);
    assert.equal(summary.dnsLookupsSaved, 4);
    assert.equal(summary.speedup, 140 / 60);
    assert.equal(summary.savedPerCallMs, 80);
  });

  it('reports a pool that is no faster as slower, not as a faster pool or a saving', () => {
    const summary = summariseReuse([{ pooled: sample([90, 90], 2), fresh: sample([60, 60], 2) }]);
    assert.ok(summary.speedup < 1);
    assert.equal(summary.handshakesSaved, 0);
    assert.equal(summary.savedPerCallMs, -30);
    assert.match(formatReuseNotification(summary), /pooled 1\.50× slower per call/);
    assert.doesNotMatch(formatReuseNotification(summary), /faster/);
    assert.match(formatReuseReport(summary, 'x')[4]!, /0\.67×, pooled slower \(30\.0 ms lost per call\)/);
  });

  it('says faster, slower or no faster from the ratio', () => {
    assert.equal(describeRatio(2), '2.00× faster');
    assert.equal(describeRatio(0.5), '2.00× slower');
    assert.equal(describeRatio(1), 'no faster');
  });

  it('gives the median ratio over several rounds and their range, and no verdict when the range straddles one', () => {
    const rounds = [
      { pooled: sample([50, 50, 50], 1), fresh: sample([100, 100, 100], 3) },
      { pooled: sample([50, 50, 50], 0), fresh: sample([60, 60, 60], 3) },
      { pooled: sample([50, 50, 50], 0), fresh: sample([150, 150, 150], 3) },
    ];
    const summary = summariseReuse(rounds);
    assert.equal(summary.rounds, 3);
    assert.equal(summary.calls, 3);
    assert.equal(summary.speedup, 2);
    assert.equal(summary.speedupMin, 1.2);
    assert.equal(summary.speedupMax, 3);
    assert.equal(summary.handshakesSaved, 8);
    assert.equal(summary.pooled.calls, 9);
    assert.match(formatReuseNotification(summary), /pooled 2\.00× faster per call; rounds ranged 1\.20–3\.00× over 3 rounds/);
    assert.match(formatReuseNotification(summary), /over 9 calls/);

    const unclear = summariseReuse([{ pooled: sample([50], 1), fresh: sample([40], 1) }, { pooled: sample([50], 0), fresh: sample([70], 1) }, { pooled: sample([50], 0), fresh: sample([55], 1) }]);
    assert.match(formatReuseNotification(unclear), /no clear difference \(median 1\.10× faster\)/);
  });

  it('takes the middle of an odd count and the mean of the middle two of an even count', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it('writes the log lines and the notification from the same figures', () => {
    const summary = summariseReuse([{ pooled: sample([61, 59, 60], 1), fresh: sample([140, 141, 139], 3) }]);
    const lines = formatReuseReport(summary, 'https://127.0.0.1:1234/api/v1');
    assert.match(lines[0]!, /1 round\(s\) of 3 sequential GET \/models calls each way to https:\/\/127\.0\.0\.1:1234\/api\/v1/);
    assert.match(lines[1]!, /pooled.*p50 60\.0 ms.*1 connection\(s\) opened/);
    assert.match(lines[2]!, /fresh.*p50 140\.0 ms.*3 connection\(s\) opened/);
    assert.match(lines[3]!, /handshakes saved: 2/);
    assert.match(lines[4]!, /2\.33×/);
    assert.match(formatReuseNotification(summary), /pooled 2\.33× faster.*p50 60 ms pooled vs 140 ms fresh.*2 handshake\(s\) saved over 3 calls/);
  });
});

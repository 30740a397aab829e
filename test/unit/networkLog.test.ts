import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { LatencyWindow } from '../../src/log/latencyWindow';
import { percentile } from '../../src/util/percentile';
import { NetworkLog, formatAttempt, formatRetry } from '../../src/log/networkLog';
import { buildReport, formatReport } from '../../src/log/statsReport';
import { createRecordingLogger } from '../../src/log/logger';
import type { RequestRecord } from '../../src/openrouter/types';

const record = (over: Partial<RequestRecord> = {}): RequestRecord => ({
  callId: 7,
  method: 'POST',
  path: '/chat/completions',
  attempt: 1,
  status: 200,
  latencyMs: 812.4,
  ttfbMs: 120.2,
  newConnection: false,
  httpVersion: '1.1',
  ...over,
});

/** A vscode.Event over a Node EventEmitter. */
function event<T>(): { fire(value: T): void; event: (listener: (value: T) => void) => { dispose(): void } } {
  const emitter = new EventEmitter();
  return {
    fire: (value) => void emitter.emit('e', value),
    event: (listener) => {
      emitter.on('e', listener);
      return { dispose: () => void emitter.off('e', listener) };
    },
  };
}

describe('networkLog', () => {
  it('describes an attempt with method, path, status, latency, ttfb, connection and HTTP version', () => {
    assert.equal(formatAttempt(record()), 'POST /chat/completions · 200 · 812 ms · ttfb 120 ms · reused connection · HTTP/1.1 · call 7 attempt 1');
    assert.match(formatAttempt(record({ newConnection: true, status: undefined, ttfbMs: undefined, error: 'ECONNRESET' })), /no response · \d+ ms · new connection .* · ECONNRESET$/);
  });

  it('says when a new connection replaced a kept one the server was about to close for idling', () => {
    assert.equal(
      formatAttempt(record({ newConnection: true, renewedBeforeServerIdleMs: 998.7 })),
      "POST /chat/completions · 200 · 812 ms · ttfb 120 ms · new connection (the kept one was near the server's 1.0 s idle timeout) · HTTP/1.1 · call 7 attempt 1",
    );
  });

  it('describes a retry with its reason and the chosen delay', () => {
    assert.equal(formatRetry(record({ status: 429, retryDelayMs: 1500.2 })), 'retry POST /chat/completions (call 7) after attempt 1: status 429; waiting 1500 ms');
    assert.match(formatRetry(record({ status: undefined, error: 'connection reset', retryDelayMs: 400 })), /: connection reset; waiting 400 ms$/);
  });

  it('writes one line per attempt, a retry line when a retry follows, 4xx as warnings and failures as errors', () => {
    const logger = createRecordingLogger();
    const requests = event<RequestRecord>();
    const net = new NetworkLog(requests.event, logger.forComponent('net'));
    requests.fire(record({ path: '/models', method: 'GET' }));
    requests.fire(record({ status: 503, retryDelayMs: 250 }));
    requests.fire(record({ status: 401 }));
    requests.fire(record({ status: 502 }));
    requests.fire(record({ status: undefined, error: 'connection refused' }));
    const lines = logger.tail();
    assert.deepEqual(lines.map((l) => l.level), ['info', 'info', 'warn', 'warn', 'error', 'error']);
    assert.match(lines[2]?.message ?? '', /^retry POST/);
    assert.equal(net.latencies.size, 5);
    net.dispose();
    requests.fire(record());
    assert.equal(logger.tail().length, 6);
  });

  it('keeps a bounded window of latencies', () => {
    const window = new LatencyWindow(3);
    for (const ms of [100, 200, 300, 400, 500]) window.add(ms);
    assert.equal(window.size, 3);
    assert.equal(window.percentile(50), 400);
    assert.equal(window.percentile(100), 500);
  });

  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 95), 95);
    assert.equal(percentile([], 50), undefined);
  });

  it('reports requests, reuse rate, connections, DNS lookups, retries and p50/p95', () => {
    const window = new LatencyWindow();
    [10, 20, 30, 40].forEach((ms) => window.add(ms));
    const report = buildReport({ requests: 8, retries: 1, connectionsOpened: 2, dnsLookups: 1, inFlight: 0, openConnections: 2, reusedRequests: 6 }, window);
    assert.equal(report.reuseRate, 0.75);
    const text = formatReport(report).join('\n');
    assert.match(text, /requests 8/);
    assert.match(text, /retries 1/);
    assert.match(text, /connections opened 2/);
    assert.match(text, /reuse rate 75%/);
    assert.match(text, /DNS lookups 1/);
    assert.match(text, /p50 20 ms · p95 40 ms/);
    assert.doesNotMatch(text, /idle/, 'nothing about idle connections before the server closed one');
    const learned = formatReport(buildReport({ ...report, serverIdleTimeoutMs: 4980 }, window)).join('\n');
    assert.match(learned, /the server closes idle connections after 5\.0 s: kept ones idle about that long are renewed, not reused/);
  });
});

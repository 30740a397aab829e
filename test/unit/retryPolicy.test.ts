import assert from 'node:assert/strict';
import {
  MAX_SERVER_WAIT_MS, isBodyBreakRetryable, isImmediateRetry, isRetryableStatus, mayHaveRun, parseRetryAfter, retryDelay,
  serverRetryAfterMs, shouldRetryError,
} from '../../src/openrouter/retryPolicy';
import {
  AbortError, APIError, ConfigError, ConnectionError, ParseError, StreamError, TimeoutError,
} from '../../src/openrouter/errors';

const opts = { baseDelayMs: 100, maxDelayMs: 5_000 };

describe('retry policy: which answers are retried', () => {
  for (const status of [408, 429, 500, 502, 503, 504, 524, 529]) {
    it(`retries HTTP ${status}`, () => {
      assert.equal(isRetryableStatus(status), true);
    });
  }

  for (const status of [400, 401, 403, 404, 413, 422]) {
    it(`never retries HTTP ${status}`, () => {
      assert.equal(isRetryableStatus(status), false);
    });
  }

  it('never retries 400/401/403/404 even when the body claims it is retryable', () => {
    for (const status of [400, 401, 403, 404]) {
      assert.equal(isRetryableStatus(status, { availability: { retryable: true }, retryAfterMs: 1000 }), false);
    }
  });

  it('retries 402 only when the server named a time to come back', () => {
    assert.equal(isRetryableStatus(402), false);
    assert.equal(isRetryableStatus(402, { retryAfterMs: 2000 }), true);
  });

  it('lets error.availability.retryable override the status list', () => {
    assert.equal(isRetryableStatus(503, { availability: { retryable: false } }), false);
    assert.equal(isRetryableStatus(409, { availability: { retryable: true } }), true);
  });

  it('retries errors marked retryable, never aborts, started streams, parse or config errors', () => {
    assert.equal(shouldRetryError(new ConnectionError('x', { retryable: true })), true);
    assert.equal(shouldRetryError(new APIError('x', { status: 503, retryable: true })), true);
    assert.equal(shouldRetryError(new APIError('x', { status: 400, retryable: false })), false);
    assert.equal(shouldRetryError(new TimeoutError('x', { retryable: true })), true);
    assert.equal(shouldRetryError(new AbortError('x', { retryable: true })), false);
    assert.equal(shouldRetryError(new StreamError('x', { retryable: true })), false);
    assert.equal(shouldRetryError(new ParseError('x', { retryable: true })), false);
    assert.equal(shouldRetryError(new ConfigError('x', { retryable: true })), false);
    assert.equal(shouldRetryError(new Error('plain')), false);
    assert.equal(shouldRetryError(undefined), false);
  });

  it('fetches a body that broke mid-way again only for a buffered GET', () => {
    assert.equal(isBodyBreakRetryable('GET', false), true);
    assert.equal(isBodyBreakRetryable('POST', false), false, 'a completion was already generated and billed');
    assert.equal(isBodyBreakRetryable('POST', true), false, 'a started stream was already shown');
  });
});

describe('retry policy: Retry-After parsing', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it('reads delta seconds, including fractions', () => {
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter(' 1.5 ', now), 1500);
    assert.equal(parseRetryAfter(0, now), 0);
  });

  it('reads an HTTP date relative to now, and a past date as zero', () => {
    assert.equal(parseRetryAfter('Sat, 28 Nov 2026 12:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now), 0);
  });

  it('ignores unreadable values', () => {
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('prefers the body availability, then retry-after-ms, then Retry-After', () => {
    const headers = { 'retry-after-ms': '250', 'Retry-After': '9' };
    assert.equal(serverRetryAfterMs(headers, { retry_after: 2 }, now), 2000);
    assert.equal(serverRetryAfterMs(headers, undefined, now), 250);
    assert.equal(serverRetryAfterMs({ 'retry-after': '9' }, undefined, now), 9000);
    assert.equal(serverRetryAfterMs({}, undefined, now), undefined);
  });

  it('reads headers from a fetch-style Headers object too', () => {
    assert.equal(serverRetryAfterMs(new Headers({ 'Retry-After': '4' }), undefined, now), 4000);
  });
});

describe('retry policy: retryDelay', () => {
  it('waits what retry-after-ms asks', () => {
    assert.equal(retryDelay(1, { 'retry-after-ms': '1234' }, opts), 1234);
  });

  it('waits Retry-After seconds, and an HTTP date, measured from now', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    assert.equal(retryDelay(1, { 'retry-after': '2' }, { ...opts, now }), 2000);
    assert.equal(retryDelay(1, { 'retry-after': 'Sat, 28 Nov 2026 12:00:03 GMT' }, { ...opts, now }), 3000);
  });

  it('never shortens a server-requested wait to the backoff cap: up to 60 s it is waited exactly', () => {
    assert.equal(MAX_SERVER_WAIT_MS, 60_000);
    assert.equal(retryDelay(1, { 'retry-after': '60' }, opts), 60_000);
    assert.equal(retryDelay(1, {}, { ...opts, retryAfterMs: 15_001 }), 15_001);
  });

  it('gives up (undefined) when the server asks for longer than maxServerWaitMs', () => {
    assert.equal(retryDelay(1, { 'retry-after': '3600' }, opts), undefined);
    assert.equal(retryDelay(1, { 'retry-after-ms': '60001' }, opts), undefined);
    assert.equal(retryDelay(1, {}, { ...opts, retryAfterMs: 2_000, maxServerWaitMs: 1_000 }), undefined);
  });

  it('prefers the wait named in the error body over the headers', () => {
    assert.equal(retryDelay(1, { 'retry-after': '4' }, { ...opts, retryAfterMs: 700 }), 700);
  });

  it('backs off exponentially from the base delay without jitter at random()=0', () => {
    const random = (): number => 0;
    assert.deepEqual([1, 2, 3, 4].map((attempt) => retryDelay(attempt, undefined, { ...opts, random })), [100, 200, 400, 800]);
  });

  it('takes up to a quarter off as jitter', () => {
    assert.equal(retryDelay(3, undefined, { ...opts, random: () => 0.999999 }), 300);
    for (let i = 0; i < 200; i++) {
      const delay = retryDelay(3, undefined, opts) ?? -1;
      assert.ok(delay >= 300 && delay <= 400, `delay ${delay} outside [300, 400]`);
    }
  });

  it('caps the backoff at maxDelayMs, however many attempts', () => {
    assert.equal(retryDelay(30, undefined, { ...opts, random: () => 0 }), 5_000);
    assert.equal(retryDelay(2000, undefined, { ...opts, random: () => 0 }), 5_000);
  });
});

describe('retry policy: requests that failed before any answer', () => {
  const base = { written: true, refused: false, reusedConnection: true, code: 'UND_ERR_SOCKET' };

  it('never resends a POST the server may have run; a GET always may be', () => {
    assert.equal(mayHaveRun({ ...base, method: 'POST' }), true);
    assert.equal(mayHaveRun({ ...base, method: 'GET' }), false);
  });

  it('resends a POST the server refused unseen, or that was never written', () => {
    assert.equal(mayHaveRun({ ...base, method: 'POST', refused: true }), false);
    assert.equal(mayHaveRun({ ...base, method: 'POST', written: false }), false);
  });

  it('retries at once a refused request, and a GET that met a dead kept connection; backs off otherwise', () => {
    assert.equal(isImmediateRetry({ ...base, method: 'POST', refused: true }), true);
    assert.equal(isImmediateRetry({ ...base, method: 'GET' }), true);
    assert.equal(isImmediateRetry({ ...base, method: 'GET', reusedConnection: false }), false);
    assert.equal(isImmediateRetry({ ...base, method: 'GET', written: false, reusedConnection: false, code: 'ECONNREFUSED' }), false);
    assert.equal(isImmediateRetry({ ...base, method: 'POST' }), false);
  });
});

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  APIError, ConfigError, ConnectionError, OpenRouterError, RateLimitError, StreamError, TimeoutError,
  errorFromResponse, errorFromTransport, failureReason, parseErrorBody,
} from '../../src/openrouter/errors';

const KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';

function jsonError(code: number, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ error: { code, message, ...extra } });
}

describe('error factory: HTTP answers', () => {
  it('keeps OpenRouter’s message, code, metadata and the status', () => {
    const err = errorFromResponse({
      status: 429,
      headers: { 'retry-after': '3' },
      body: jsonError(429, 'Rate limit exceeded: free-models-per-min', { metadata: { error_type: 'rate_limit_exceeded' } }),
      attempts: 2,
      generationId: 'gen-1',
    });
    assert.ok(err instanceof APIError);
    assert.ok(err instanceof OpenRouterError);
    assert.equal(err.kind, 'api');
    assert.equal(err.status, 429);
    assert.equal(err.code, 429);
    assert.deepEqual(err.metadata, { error_type: 'rate_limit_exceeded' });
    assert.equal(err.serverMessage, 'Rate limit exceeded: free-models-per-min');
    assert.match(err.message, /Rate limit exceeded: free-models-per-min/);
    assert.match(err.message, /429/);
    assert.equal(err.attempts, 2);
    assert.equal(err.retryable, true);
    assert.equal(err.retryAfterMs, 3000);
    assert.equal(err.generationId, 'gen-1');
  });

  it('marks 401 as not retryable and keeps the server’s reason', () => {
    const err = errorFromResponse({ status: 401, body: jsonError(401, 'User not found.') });
    assert.equal(err.retryable, false);
    assert.equal(err.serverMessage, 'User not found.');
  });

  it('marks 402 retryable only with Retry-After', () => {
    assert.equal(errorFromResponse({ status: 402, body: jsonError(402, 'Insufficient credits') }).retryable, false);
    assert.equal(errorFromResponse({ status: 402, headers: { 'Retry-After': '10' }, body: jsonError(402, 'Insufficient credits') }).retryable, true);
  });

  it('follows error.availability when the body carries it', () => {
    const err = errorFromResponse({ status: 503, body: jsonError(503, 'No endpoints', { availability: { retryable: false } }) });
    assert.equal(err.retryable, false);
    const later = errorFromResponse({ status: 429, body: jsonError(429, 'Slow down', { availability: { retryable: true, retry_after: 4 } }) });
    assert.equal(later.retryAfterMs, 4000);
  });

  it('explains an HTML page (a Cloudflare 5xx) with the status instead of dumping markup', () => {
    const err = errorFromResponse({
      status: 502,
      headers: { 'content-type': 'text/html; charset=UTF-8' },
      body: '<!DOCTYPE html><html><head><title>502 Bad gateway</title></head><body>cloudflare</body></html>',
    });
    assert.equal(err.status, 502);
    assert.match(err.message, /HTTP 502/);
    assert.match(err.message, /HTML/);
    assert.doesNotMatch(err.message, /<html|DOCTYPE/i);
    assert.equal(err.retryable, true);
  });

  it('describes empty and garbage bodies with the status', () => {
    assert.match(errorFromResponse({ status: 500, body: '' }).message, /HTTP 500.*empty body/);
    const garbage = errorFromResponse({ status: 500, body: 'upstream connect error or disconnect/reset before headers' });
    assert.match(garbage.message, /HTTP 500/);
    assert.match(garbage.message, /upstream connect error/);
  });

  it('treats JSON without an error object as an odd body', () => {
    assert.equal(parseErrorBody('{"ok":true}'), undefined);
    assert.equal(parseErrorBody('null'), undefined);
    assert.match(errorFromResponse({ status: 503, body: '{"ok":true}' }).message, /HTTP 503/);
  });

  it('never puts the key in a message, even when the server echoes it', () => {
    const err = errorFromResponse({
      status: 401,
      body: jsonError(401, `Key ${KEY} is disabled (Authorization: Bearer ${KEY})`, { metadata: { raw: `Bearer ${KEY}` } }),
      secrets: [KEY],
    });
    for (const text of [err.message, err.serverMessage ?? '', JSON.stringify(err), inspect(err, { depth: 5 })]) {
      assert.ok(!text.includes(KEY), text);
      assert.ok(!text.includes('0123456789abcdef'), text);
    }
  });
});

describe('error factory: transport failures', () => {
  const what = 'POST /chat/completions';

  it('a refused or reset connection before any byte is a retryable ConnectionError', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'ENOTFOUND']) {
      const err = errorFromTransport({ error: Object.assign(new Error(code), { code }), phase: 'request', what });
      assert.ok(err instanceof ConnectionError, code);
      assert.equal(err.retryable, true, code);
      assert.match(err.message, new RegExp(code));
    }
  });

  it('a POST that may have run is a ConnectionError that says so and is not retried', () => {
    const err = errorFromTransport({ error: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), phase: 'request', what, mayHaveRun: true });
    assert.ok(err instanceof ConnectionError);
    assert.equal(err.retryable, false);
    assert.match(err.message, /after the request was sent, before any answer \(UND_ERR_SOCKET\)\. It was not sent again because OpenRouter may have run it/);
  });

  it('names why an attempt failed in a few words', () => {
    const transport = (code: string): OpenRouterError => errorFromTransport({ error: Object.assign(new Error(code), { code }), phase: 'request', what });
    assert.equal(failureReason(errorFromResponse({ status: 429, body: '' })), 'HTTP 429 rate limited');
    assert.equal(failureReason(errorFromResponse({ status: 503, body: '' })), 'HTTP 503 service unavailable');
    assert.equal(failureReason(errorFromResponse({ status: 418, body: '' })), 'HTTP 418');
    assert.equal(failureReason(transport('ECONNRESET')), 'connection reset');
    assert.equal(failureReason(transport('ECONNREFUSED')), 'connection refused');
    assert.equal(failureReason(transport('UND_ERR_SOCKET')), 'connection closed by the server');
    assert.equal(failureReason(transport('UND_ERR_SOCKET'), true), 'the server refused the request unseen');
    assert.equal(failureReason(transport('CERT_HAS_EXPIRED')), 'TLS certificate not accepted');
  });

  it('makes a RateLimitError (still an APIError) for 429, carrying the server\'s wait', () => {
    const err = errorFromResponse({ status: 429, headers: { 'retry-after': '90' }, body: '{"error":{"message":"slow down"}}' });
    assert.ok(err instanceof RateLimitError);
    assert.ok(err instanceof APIError);
    assert.equal(err.name, 'RateLimitError');
    assert.equal(err.retryAfterMs, 90_000);
    assert.equal(err.retryable, true);
  });

  it('a connection broken while the body arrives is a StreamError, not retried', () => {
    const err = errorFromTransport({ error: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), phase: 'body', what });
    assert.ok(err instanceof StreamError);
    assert.equal(err.retryable, false);
  });

  it('connect timeouts are retried, header and body timeouts are not', () => {
    const timeouts = { connectMs: 1000, headersMs: 2000, idleMs: 3000 };
    const connect = errorFromTransport({ error: Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), phase: 'request', what, timeouts });
    const headers = errorFromTransport({ error: Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), phase: 'request', what, timeouts });
    const body = errorFromTransport({ error: Object.assign(new Error('x'), { code: 'UND_ERR_BODY_TIMEOUT' }), phase: 'body', what, timeouts });
    assert.ok(connect instanceof TimeoutError && connect.retryable);
    assert.ok(headers instanceof TimeoutError && !headers.retryable);
    assert.ok(body instanceof TimeoutError && !body.retryable);
    assert.match(connect.message, /1000 ms/);
    assert.match(headers.message, /2000 ms/);
    assert.match(body.message, /3000 ms/);
  });

  it('a rejected certificate is not retried', () => {
    const err = errorFromTransport({ error: Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), phase: 'request', what });
    assert.ok(err instanceof ConnectionError);
    assert.equal(err.retryable, false);
    assert.match(err.message, /certificate/);
  });

  it('invalid arguments are a ConfigError', () => {
    const err = errorFromTransport({ error: Object.assign(new Error('invalid header'), { code: 'UND_ERR_INVALID_ARG' }), phase: 'request', what });
    assert.ok(err instanceof ConfigError);
  });

  it('passes an OpenRouterError through unchanged', () => {
    const original = new TimeoutError('stalled');
    assert.equal(errorFromTransport({ error: original, phase: 'body', what }), original);
  });
});

import assert from 'node:assert/strict';
import { startEmulator, type Emulator, type Fault } from '../index';
import { auth, dataEvents, managementKey, open, send } from '../rawClient';
import { waitFor } from '../../support/waitFor';

const chatPath = '/api/v1/chat/completions';
const streamBody = { model: 'openai/gpt-4o', stream: true, messages: [{ role: 'user', content: 'hello [[chunks:6]]' }] };

function faultHeader(fault: Fault): Record<string, string> {
  return { ...auth(), 'x-emulator-fault': JSON.stringify(fault) };
}

/** Resolves with what arrives within `ms`; used only where the behaviour under test is silence. */
function nothingWithin(ms: number, next: () => Promise<string | null>): Promise<'silent' | 'data'> {
  return Promise.race([next().then(() => 'data' as const), new Promise<'silent'>((r) => setTimeout(() => r('silent'), ms))]);
}

describe('emulator faults', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  describe('status', () => {
    it('answers the status with an OpenRouter error body and Retry-After, for as many requests as asked', async () => {
      emulator.addFault({ path: '/chat/completions', times: 2, fault: { type: 'status', status: 503, retryAfter: '3', message: 'No provider' } });
      for (let i = 0; i < 2; i++) {
        const res = await send(emulator.origin, { path: chatPath, headers: auth(), body: streamBody });
        assert.equal(res.status, 503);
        assert.equal(res.headers['retry-after'], '3');
        assert.deepEqual(JSON.parse(res.body), { error: { code: 503, message: 'No provider', metadata: { error_type: 'no_provider_available' } } });
      }
      assert.equal((await send(emulator.origin, { path: chatPath, headers: auth(), body: streamBody })).status, 200);
    });

    it('matches rules by path and method', async () => {
      emulator.addFault({ path: '/key', method: 'GET', fault: { type: 'status', status: 500 } });
      assert.equal((await send(emulator.origin, { path: '/api/v1/models' })).status, 200);
      assert.equal((await send(emulator.origin, { path: '/api/v1/key', headers: auth() })).status, 500);
      assert.equal((await send(emulator.origin, { path: '/api/v1/key', headers: auth() })).status, 200);
    });

    it('gives platform 429s rate-limit headers, and retry-after-ms or an HTTP date when asked', async () => {
      const date = new Date(Date.now() + 5000).toUTCString();
      emulator.addFault({ fault: { type: 'status', status: 429, retryAfterMs: 250 } });
      emulator.addFault({ fault: { type: 'status', status: 429, retryAfter: date } });
      const first = await send(emulator.origin, { path: '/api/v1/key', headers: auth() });
      assert.equal(first.status, 429);
      assert.equal(first.headers['retry-after-ms'], '250');
      assert.equal(first.headers['x-ratelimit-limit'], '20');
      assert.equal(first.headers['x-ratelimit-remaining'], '0');
      assert.ok(Number(first.headers['x-ratelimit-reset']) > Date.now());
      const second = await send(emulator.origin, { path: '/api/v1/key', headers: auth() });
      assert.equal(second.headers['retry-after'], date);
    });

    it('sends a Cloudflare HTML page for html: true', async () => {
      const res = await send(emulator.origin, { path: chatPath, headers: faultHeader({ type: 'status', status: 502, html: true }), body: streamBody });
      assert.equal(res.status, 502);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /^<!DOCTYPE html>/);
      assert.match(res.body, /502/);
    });
  });

  describe('connection faults', () => {
    it('drop-before-response: the socket closes with no response byte', async () => {
      emulator.addFault({ path: '/models', fault: { type: 'drop-before-response' } });
      await assert.rejects(send(emulator.origin, { path: '/api/v1/models' }), /socket hang up|ECONNRESET/);
      assert.equal(emulator.counters().requests, 1, 'the request was read before the drop');
    });

    it('drop-mid-stream: headers and the first events arrive, then the connection is cut without [DONE]', async () => {
      emulator.addFault({ path: '/chat/completions', fault: { type: 'drop-mid-stream', afterChunks: 2 } });
      const stream = await open(emulator.origin, { path: chatPath, headers: auth(), body: streamBody });
      assert.equal(stream.status, 200);
      assert.ok(stream.headers['x-generation-id']);
      const result = await stream.done;
      assert.notEqual(result, 'end', 'the response does not end cleanly');
      const events = dataEvents(stream.received());
      assert.equal(events.length, 2);
      assert.ok(!stream.received().includes('[DONE]'));
      assert.equal(emulator.counters().streamsAbortedByClient, 0, 'a server drop is not a client abort');
    });

    it('drop-mid-stream on a JSON answer: part of the body, then the connection is cut', async () => {
      emulator.addFault({ path: '/models', fault: { type: 'drop-mid-stream' } });
      await assert.rejects(send(emulator.origin, { path: '/api/v1/models' }), /aborted|ECONNRESET|socket hang up/);
    });

    it('stall: the first events arrive, then silence until the client gives up', async () => {
      const stream = await open(emulator.origin, { path: chatPath, headers: faultHeader({ type: 'stall', afterChunks: 1 }), body: streamBody });
      assert.ok(await stream.next());
      assert.equal(await nothingWithin(300, stream.next), 'silent');
      stream.destroy();
      await waitFor('the stalled stream to be closed by the client', () => emulator.counters().streamsAbortedByClient === 1);
    });

    it('hold: every held stream sends its first events, then nothing until released, then the rest and [DONE]', async () => {
      emulator.addFault({ path: '/chat/completions', times: 2, fault: { type: 'hold', afterChunks: 2 } });
      const streams = [await open(emulator.origin, { path: chatPath, headers: auth(), body: streamBody }), await open(emulator.origin, { path: chatPath, headers: auth(), body: streamBody })];
      for (const stream of streams) {
        assert.ok(await stream.next());
        assert.ok(await stream.next());
      }
      assert.equal(await nothingWithin(300, streams[0]!.next), 'silent');
      emulator.releaseHeld();
      for (const stream of streams) {
        assert.equal(await stream.done, 'end');
        assert.equal(dataEvents(stream.received()).at(-1), '[DONE]');
      }
      // A rule released before its request comes does not hold it.
      emulator.addFault({ path: '/chat/completions', fault: { type: 'hold', afterChunks: 1 } });
      emulator.releaseHeld();
      assert.equal(dataEvents((await send(emulator.origin, { path: chatPath, headers: auth(), body: streamBody })).body).at(-1), '[DONE]');
    });

    it('hold: a client that goes away while held ends the stream; clearing the faults releases the others', async () => {
      emulator.addFault({ path: '/chat/completions', times: 2, fault: { type: 'hold', afterChunks: 1 } });
      const [gone, kept] = [await open(emulator.origin, { path: chatPath, headers: auth(), body: streamBody }), await open(emulator.origin, { path: chatPath, headers: auth(), body: streamBody })];
      assert.ok(await gone!.next());
      assert.ok(await kept!.next());
      gone!.destroy();
      await waitFor('the held stream to be closed by the client', () => emulator.counters().streamsAbortedByClient === 1);
      emulator.clearFaults();
      assert.equal(await kept!.done, 'end');
      assert.equal(emulator.counters().streamsCompleted, 1);
    });

    it('stall before the first event still sends the headers with X-Generation-Id', async () => {
      const stream = await open(emulator.origin, { path: chatPath, headers: faultHeader({ type: 'stall', afterChunks: 0 }), body: streamBody });
      assert.equal(stream.status, 200);
      assert.match(String(stream.headers['x-generation-id']), /^gen-/);
      stream.destroy();
      await waitFor('the abort to be counted', () => emulator.counters().streamsAbortedByClient === 1);
    });

    it('no-response: the request is accepted and no header ever comes', async () => {
      let gotResponse = false;
      const pending = open(emulator.origin, { path: '/api/v1/key', headers: faultHeader({ type: 'no-response' }) }).then(() => (gotResponse = true));
      await waitFor('the request to arrive', () => emulator.counters().requests === 1);
      assert.equal(await nothingWithin(300, () => pending.then(() => null)), 'silent');
      assert.equal(gotResponse, false);
      emulator.dropAllConnections();
      await assert.rejects(pending, /socket hang up|ECONNRESET/);
    });
  });

  describe('stream faults', () => {
    it('slow-chunks: waits the given time between events', async () => {
      const started = Date.now();
      const res = await send(emulator.origin, { path: chatPath, headers: faultHeader({ type: 'slow-chunks', delayMs: 40 }), body: streamBody });
      const events = dataEvents(res.body);
      assert.equal(events.at(-1), '[DONE]');
      const gaps = events.length - 2;
      // Node may fire each gap's timer up to a millisecond early.
      assert.ok(Date.now() - started >= gaps * (40 - 1), `${Date.now() - started} ms for ${gaps} gaps`);
    });

    it('error-chunk: content, then OpenRouter’s error chunk under HTTP 200, then the end without [DONE]', async () => {
      emulator.addFault({ path: '/chat/completions', fault: { type: 'error-chunk', afterChunks: 3, code: 502, message: 'Upstream died' } });
      const res = await send(emulator.origin, { path: chatPath, headers: auth(), body: streamBody });
      assert.equal(res.status, 200);
      const events = dataEvents(res.body) as Array<{ id: string; object: string; error?: { code: number; message: string }; choices: Array<{ delta: { content?: string }; finish_reason: string | null; native_finish_reason?: string }> }>;
      assert.equal(events.length, 4);
      assert.ok(events.slice(0, 3).every((e) => !e.error && e.choices[0]?.delta.content));
      const last = events[3]!;
      assert.deepEqual(last.error, { code: 502, message: 'Upstream died' });
      assert.equal(last.object, 'chat.completion.chunk');
      assert.equal(last.id, res.headers['x-generation-id']);
      assert.deepEqual(last.choices, [{ index: 0, delta: { content: '' }, finish_reason: 'error', native_finish_reason: 'error' }]);
      assert.ok(!res.body.includes('[DONE]'));
    });

    it('keepalive-first: comment lines before the first event', async () => {
      const res = await send(emulator.origin, { path: chatPath, headers: faultHeader({ type: 'keepalive-first', count: 3, intervalMs: 5 }), body: streamBody });
      assert.ok(res.body.startsWith(': OPENROUTER PROCESSING\n\n'.repeat(3) + 'data: '));
      assert.equal(dataEvents(res.body).at(-1), '[DONE]');
    });

    it('raw: the given body, status and content type, repeated', async () => {
      emulator.addFault({ path: '/key', fault: { type: 'raw', body: '{"data": {"lim', contentType: 'application/json' } });
      emulator.addFault({ path: '/key', fault: { type: 'raw', body: 'ab', contentType: 'text/plain', status: 202, repeat: 3 } });
      const truncated = await send(emulator.origin, { path: '/api/v1/key', headers: auth() });
      assert.equal(truncated.status, 200);
      assert.equal(truncated.body, '{"data": {"lim');
      const repeated = await send(emulator.origin, { path: '/api/v1/key', headers: auth() });
      assert.equal(repeated.status, 202);
      assert.equal(repeated.headers['content-type'], 'text/plain');
      assert.equal(repeated.body, 'ababab');
    });

    it('applies an x-emulator-fault header to that request alone', async () => {
      assert.equal((await send(emulator.origin, { path: '/api/v1/key', headers: faultHeader({ type: 'status', status: 504 }) })).status, 504);
      assert.equal((await send(emulator.origin, { path: '/api/v1/key', headers: auth() })).status, 200);
    });
  });

  describe('control API over HTTP', () => {
    it('adds and clears faults, reads counters and requests, resets', async () => {
      const post = (path: string, body: unknown, method = 'POST'): Promise<{ status: number; body: string }> => send(emulator.origin, { method, path: `/__emulator${path}`, body });
      assert.equal((await post('/faults', [{ path: '/key', fault: { type: 'status', status: 500 } }, { path: '/models', times: 5, fault: { type: 'status', status: 503 } }])).status, 200);
      assert.equal((await send(emulator.origin, { path: '/api/v1/key', headers: auth() })).status, 500);
      assert.equal((await send(emulator.origin, { path: '/api/v1/models' })).status, 503);
      assert.equal((await send(emulator.origin, { method: 'DELETE', path: '/__emulator/faults' })).status, 200);
      assert.equal((await send(emulator.origin, { path: '/api/v1/models' })).status, 200);
      const counters = JSON.parse((await send(emulator.origin, { path: '/__emulator/counters' })).body) as { requests: number; requestsByPath: Record<string, number> };
      assert.equal(counters.requests, 3, 'control calls are not counted as API requests');
      assert.deepEqual(counters.requestsByPath, { '/key': 1, '/models': 2 });
      const seen = JSON.parse((await send(emulator.origin, { path: '/__emulator/requests' })).body) as Array<{ path: string }>;
      assert.deepEqual(seen.map((r) => r.path), ['/key', '/models', '/models']);
      await post('/reset', undefined);
      assert.equal(emulator.counters().requests, 0);
      assert.equal((await post('/faults', { fault: { type: 'no-such-fault' } })).status, 400);
      assert.equal((await post('/faults', { nope: true })).status, 400);
    });

    it('sets keys and credits', async () => {
      assert.equal((await send(emulator.origin, { method: 'PUT', path: '/__emulator/keys/sk-or-v1-new', body: { limit: null, limit_remaining: null, usage: 1, is_management_key: true } })).status, 200);
      assert.equal((await send(emulator.origin, { method: 'PUT', path: '/__emulator/credits', body: { total_credits: 9, total_usage: 4 } })).status, 200);
      const credits = await send(emulator.origin, { path: '/api/v1/credits', headers: auth('sk-or-v1-new') });
      assert.deepEqual(JSON.parse(credits.body), { data: { total_credits: 9, total_usage: 4 } });
      await send(emulator.origin, { method: 'PUT', path: '/__emulator/keys/sk-or-v1-new', body: null });
      assert.equal((await send(emulator.origin, { path: '/api/v1/credits', headers: auth('sk-or-v1-new') })).status, 401);
      assert.equal((await send(emulator.origin, { path: '/api/v1/credits', headers: auth(managementKey) })).status, 200);
    });

    it('drops every connection on request', async () => {
      const stream = await open(emulator.origin, { path: chatPath, headers: faultHeader({ type: 'stall', afterChunks: 1 }), body: streamBody });
      assert.equal((await send(emulator.origin, { method: 'POST', path: '/__emulator/drop-connections' })).status, 200);
      assert.notEqual(await stream.done, 'end');
      await waitFor('every socket to close', () => emulator.counters().openConnections === 0);
    });
  });
});

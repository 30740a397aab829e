import assert from 'node:assert/strict';
import {
  AbortError, APIError, ConnectionError, ParseError, RateLimitError, StreamError, TimeoutError, type RequestRecord,
} from '../../src/openrouter/index';
import { TRANSPORTS, chat, rejectionOf, useRig } from '../support/providerHarness';
import { waitFor } from '../support/waitFor';

for (const transport of TRANSPORTS) {
  describe(`provider retries over ${transport.name}`, () => {
    const rig = useRig(transport.emulator, transport.provider);

    for (const status of [408, 429, 500, 502, 503, 504, 524, 529]) {
      it(`retries HTTP ${status} and then succeeds`, async () => {
        const { provider, emulator, records } = rig();
        emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status } });
        const completion = await provider.execute(chat('again'));
        assert.match(String(completion.choices[0]?.message.content), /again/);
        assert.deepEqual(records.map((r) => [r.attempt, r.status]), [[1, status], [2, 200]]);
        assert.equal(typeof records[0]?.retryDelayMs, 'number');
        assert.equal(records[0]?.callId, records[1]?.callId);
        assert.equal(provider.stats().retries, 1);
        assert.equal(provider.stats().requests, 2);
      });
    }

    for (const status of [400, 401, 403, 404, 402]) {
      it(`does not retry HTTP ${status}`, async () => {
        const { provider, emulator, records } = rig();
        emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status }, times: 5 });
        const error = await rejectionOf(provider.execute(chat('no')));
        assert.ok(error instanceof APIError);
        assert.equal(error.status, status);
        assert.equal(error.attempts, 1);
        assert.equal(error.retryable, false);
        assert.equal(emulator.counters().requests, 1);
        assert.equal(records.length, 1);
        assert.equal(records[0]?.retryDelayMs, undefined);
      });
    }

    it('retries 402 when it carries Retry-After', async () => {
      const { provider, emulator, records } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 402, retryAfter: '0' } });
      await provider.execute(chat('credits back'));
      assert.deepEqual(records.map((r) => r.status), [402, 200]);
      assert.equal(records[0]?.retryDelayMs, 0);
    });

    it('honours Retry-After seconds', async () => {
      const { emulator, make } = rig();
      const provider = make({ retryMaxDelayMs: 5_000 });
      const delays: Array<number | undefined> = [];
      provider.onRequest((r) => delays.push(r.retryDelayMs));
      try {
        emulator.addFault({ path: '/models', fault: { type: 'status', status: 429, retryAfter: '1' } });
        await provider.listModels();
        assert.deepEqual(delays, [1000, undefined]);
      } finally {
        await provider.close();
      }
    });

    it('retries at once for a Retry-After HTTP date in the past', async () => {
      const { provider, emulator, records } = rig();
      const past = new Date(Date.now() - 60_000).toUTCString();
      emulator.addFault({ path: '/models', fault: { type: 'status', status: 503, retryAfter: past } });
      await provider.listModels();
      assert.deepEqual(records.map((r) => r.retryDelayMs), [0, undefined]);
    });

    it('waits exactly the retry-after-ms asked, even beyond the backoff cap, and says why in the record', async () => {
      const { provider, emulator, records } = rig();
      // The harness caps its own backoff at 50 ms: the server's 120 ms must not be shortened to it.
      emulator.addFault({ path: '/models', fault: { type: 'status', status: 429, retryAfterMs: 120 } });
      const started = performance.now();
      await provider.listModels();
      // (Node may fire a timer up to a millisecond early; the backoff cap it must not fall back to is 50 ms.)
      const waited = performance.now() - started;
      assert.ok(waited >= 119, `the call waited the whole 120 ms, not the 50 ms cap: ${waited.toFixed(1)} ms`);
      assert.deepEqual(records.map((r) => r.retryDelayMs), [120, undefined]);
      assert.equal(records[0]?.attempt, 1);
      assert.equal(records[0]?.reason, 'HTTP 429 rate limited');
      assert.equal(records[1]?.reason, undefined);
    });

    it('stops at once with a RateLimitError carrying the wait when a 429 asks for more than a minute', async () => {
      const { emulator, make } = rig();
      const provider = make({ retryMaxDelayMs: 15_000 });
      emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 429, retryAfter: '120' } });
      const started = performance.now();
      const error = await rejectionOf(provider.execute(chat('later')));
      assert.ok(performance.now() - started < 5_000, 'no wait was sat out');
      assert.ok(error instanceof RateLimitError);
      assert.ok(error instanceof APIError, 'still an APIError for callers that test for one');
      assert.equal(error.status, 429);
      assert.equal(error.retryAfterMs, 120_000);
      assert.equal(error.attempts, 1);
      assert.equal(emulator.counters().requests, 1);
    });

    it('backs off exponentially with jitter when the server names no wait', async () => {
      const { emulator, make } = rig();
      const provider = make({ retryBaseDelayMs: 20, retryMaxDelayMs: 1_000 });
      const delays: number[] = [];
      provider.onRequest((r) => { if (r.retryDelayMs !== undefined) delays.push(r.retryDelayMs); });
      try {
        emulator.addFault({ path: '/key', fault: { type: 'status', status: 500 }, times: 3 });
        await provider.validateConfig();
        assert.equal(delays.length, 3);
        delays.forEach((delay, i) => {
          const full = 20 * 2 ** i;
          assert.ok(delay >= full * 0.75 && delay <= full, `retry ${i + 1}: ${delay} not in [${full * 0.75}, ${full}]`);
        });
      } finally {
        await provider.close();
      }
    });

    it('gives up after maxRetries and reports the attempts made', async () => {
      const { provider, emulator, records } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 503 }, times: 10 });
      const error = await rejectionOf(provider.execute(chat('never')));
      assert.ok(error instanceof APIError);
      assert.equal(error.status, 503);
      assert.equal(error.attempts, 4);
      assert.equal(error.retryable, true);
      assert.equal(emulator.counters().requests, 4);
      assert.equal(records.length, 4);
      assert.equal(records[3]?.retryDelayMs, undefined, 'no wait is announced after the last attempt');
      assert.equal(provider.stats().retries, 3);
    });

    it('retries an HTML 502 page and explains it if it persists', async () => {
      const { provider, emulator } = rig();
      emulator.addFault({ path: '/models', fault: { type: 'status', status: 502, html: true }, times: 10 });
      const error = await rejectionOf(provider.listModels());
      assert.ok(error instanceof APIError);
      assert.match(error.message, /HTTP 502.*HTML/);
      assert.equal(error.attempts, 4);
    });

    it('does not resend a POST the server received before its connection dropped (it may have run)', async () => {
      const { provider, emulator, records } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'drop-before-response' } });
      const error = await rejectionOf(provider.execute(chat('after a drop')));
      assert.ok(error instanceof ConnectionError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /may have run it/);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.retryDelayMs, undefined);
      assert.equal(emulator.counters().requests, 1);
    });

    it('resends a POST that never reached the server (connection refused)', async () => {
      const { emulator, make } = rig();
      const url = emulator.baseUrl;
      await emulator.close();
      const provider = make({ baseUrl: url, maxRetries: 1 });
      const records: RequestRecord[] = [];
      provider.onRequest((record) => records.push(record));
      const error = await rejectionOf(provider.execute(chat('nobody home')));
      assert.ok(error instanceof ConnectionError);
      assert.equal(error.attempts, 2);
      assert.equal(records[0]?.reason, 'connection refused');
      assert.ok((records[0]?.retryDelayMs ?? 0) > 0, 'a refused connection is retried after the backoff');
    });

    it('retries a GET whose connection dropped before any response byte', async () => {
      const { provider, emulator, records } = rig();
      emulator.addFault({ path: '/key', fault: { type: 'drop-before-response' }, times: 2 });
      const result = await provider.validateConfig();
      assert.ok(result.ok);
      assert.deepEqual(records.map((r) => r.status), [undefined, undefined, 200]);
      assert.equal(emulator.counters().requests, 3);
    });

    it('retries when the server is unreachable, then reports a ConnectionError', async () => {
      const { emulator, make } = rig();
      const url = emulator.baseUrl;
      await emulator.close();
      const provider = make({ baseUrl: url, maxRetries: 2 });
      try {
        const error = await rejectionOf(provider.listModels());
        assert.ok(error instanceof ConnectionError);
        assert.equal(error.attempts, 3);
        assert.match(error.message, /ECONNREFUSED/);
      } finally {
        await provider.close();
      }
    });

    it('rejects invalid JSON with a ParseError and does not retry it', async () => {
      const { provider, emulator } = rig();
      emulator.addFault({ path: '/models', fault: { type: 'raw', body: '{"data": [', contentType: 'application/json' } });
      const error = await rejectionOf(provider.listModels());
      assert.ok(error instanceof ParseError);
      assert.equal(emulator.counters().requests, 1);
    });
  });

  describe(`provider timeouts over ${transport.name}`, () => {
    const rig = useRig(transport.emulator, transport.provider);

    it('gives up waiting for response headers after headersMs, without retrying', async () => {
      const { emulator, make } = rig();
      const provider = make({ timeouts: { headersMs: 200 } });
      emulator.addFault({ path: '/chat/completions', fault: { type: 'no-response' } });
      const error = await rejectionOf(provider.execute(chat('silence')));
      assert.ok(error instanceof TimeoutError, String(error));
      assert.match(error.message, /200 ms/);
      assert.equal(emulator.counters().requests, 1);
    });

    it('gives up on a JSON body that stalls longer than idleMs', async () => {
      const { emulator, make } = rig();
      const provider = make({ timeouts: { idleMs: 200 } });
      emulator.addFault({ path: '/models', fault: { type: 'stall' } });
      const error = await rejectionOf(provider.listModels());
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(emulator.counters().requests, 1);
    });

    it('fetches a GET again when its JSON body is cut off mid-way, and succeeds', async () => {
      const { emulator, provider, records } = rig();
      emulator.addFault({ path: '/models', fault: { type: 'drop-mid-stream' } });
      const models = await provider.listModels();
      assert.ok(models.length > 0);
      assert.equal(emulator.counters().requests, 2);
      assert.deepEqual(records.map((r) => [r.attempt, r.status]), [[1, 200], [2, 200]]);
      assert.match(String(records[0]?.error), /connection broke before the whole answer arrived/);
      assert.equal(typeof records[0]?.retryDelayMs, 'number');
      assert.equal(provider.stats().retries, 1);
    });

    it('gives up on a GET whose body is cut off on every attempt, after maxRetries', async () => {
      const { emulator, make } = rig();
      const provider = make({ maxRetries: 2 });
      emulator.addFault({ path: '/models', fault: { type: 'drop-mid-stream' }, times: 10 });
      const error = await rejectionOf(provider.listModels());
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, /GET \/models: the connection broke before the whole answer arrived/);
      assert.equal(error.attempts, 3);
      assert.equal(emulator.counters().requests, 3);
    });

    it('does not resend a non-streamed POST whose JSON body is cut off (it was already generated)', async () => {
      const { emulator, provider } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'drop-mid-stream' } });
      const error = await rejectionOf(provider.execute(chat('once only')));
      assert.ok(error instanceof StreamError, String(error));
      assert.equal(error.retryable, false);
      assert.equal(emulator.counters().requests, 1);
    });
  });

  describe(`provider aborts over ${transport.name}`, () => {
    const rig = useRig(transport.emulator, transport.provider);

    it('aborts while waiting for the response, at once', async () => {
      const { provider, emulator } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'no-response' } });
      const controller = new AbortController();
      const call = provider.execute(chat('hang'), { signal: controller.signal });
      await waitFor('the request to reach the server', () => emulator.counters().requests === 1);
      const started = performance.now();
      controller.abort();
      const error = await rejectionOf(call);
      assert.ok(error instanceof AbortError, String(error));
      assert.ok(performance.now() - started < 1_000);
      assert.equal(emulator.counters().requests, 1, 'an abort is never retried');
    });

    it('aborts during a backoff wait, at once', async () => {
      const { emulator, make } = rig();
      const provider = make({ retryMaxDelayMs: 60_000 });
      try {
        emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 429, retryAfter: '60' } });
        const controller = new AbortController();
        let waiting = false;
        provider.onRequest((r) => { if (r.retryDelayMs === 60_000) waiting = true; });
        const call = provider.execute(chat('wait'), { signal: controller.signal });
        await waitFor('the 60 s backoff to start', () => waiting);
        const started = performance.now();
        controller.abort();
        const error = await rejectionOf(call);
        assert.ok(error instanceof AbortError, String(error));
        assert.equal(error.attempts, 1);
        assert.ok(performance.now() - started < 1_000);
        assert.equal(emulator.counters().requests, 1);
      } finally {
        await provider.close();
      }
    });

    it('rejects at once with an already-aborted signal, sending nothing', async () => {
      const { provider, emulator } = rig();
      const error = await rejectionOf(provider.listModels({ signal: AbortSignal.abort() }));
      assert.ok(error instanceof AbortError);
      assert.equal(error.attempts, 0);
      assert.equal(emulator.counters().requests, 0);
    });
  });
}

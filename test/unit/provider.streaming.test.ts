import assert from 'node:assert/strict';
import { AbortError, StreamError, TimeoutError, type ChatCompletionChunk } from '../../src/openrouter/index';
import { TRANSPORTS, chat, rejectionOf, useRig } from '../support/providerHarness';
import { waitFor } from '../support/waitFor';

async function collect(stream: AsyncIterable<ChatCompletionChunk>, into: ChatCompletionChunk[] = []): Promise<ChatCompletionChunk[]> {
  for await (const chunk of stream) into.push(chunk);
  return into;
}

const text = (chunks: ChatCompletionChunk[]): string => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

for (const transport of TRANSPORTS) {
  describe(`provider streaming over ${transport.name}`, () => {
    const rig = useRig(transport.emulator, transport.provider);

    it('streams chunks to [DONE], ending with the usage chunk that has empty choices', async () => {
      const { provider, emulator, records } = rig();
      let response: { generationId?: string; status: number } | undefined;
      const chunks = await collect(provider.streamExecute(chat('[[chunks:5]] hello'), { onResponse: (info) => { response = info; } }));
      const last = chunks.at(-1);
      assert.deepEqual(last?.choices, []);
      assert.ok(last?.usage && last.usage.total_tokens > 0);
      assert.equal(chunks.filter((c) => c.choices[0]?.delta.content).length, 5);
      assert.equal(response?.status, 200);
      assert.match(String(response?.generationId), /^gen-/);
      assert.equal(chunks[0]?.id, response?.generationId);
      assert.equal((emulator.requests()[0]?.body as { stream?: boolean }).stream, true);
      assert.equal(emulator.counters().streamsCompleted, 1);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.streamed, true);
      assert.equal(records[0]?.error, undefined);
      assert.equal(records[0]?.httpVersion, transport.provider.allowH2 ? '2' : '1.1');
      assert.equal(provider.stats().inFlight, 0);
    });

    it('retries an error status that arrives before the stream starts', async () => {
      const { provider, emulator, records } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 429, retryAfterMs: 1 } });
      const chunks = await collect(provider.streamExecute(chat('[[chunks:20]] retry me')));
      assert.match(text(chunks), /retry me/);
      assert.deepEqual(records.map((r) => r.status), [429, 200]);
    });

    it('reports each attempt whose request went out, before its answer arrives', async () => {
      const { provider, emulator } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 503, retryAfterMs: 1 } });
      const events: string[] = [];
      const chunks = await collect(provider.streamExecute(chat('[[chunks:3]] timed'), {
        onRequestSent: () => events.push(`sent (server has seen ${emulator.counters().requests})`),
        onResponse: (info) => events.push(`response ${info.status}`),
      }));
      assert.match(text(chunks), /timed/);
      // The first attempt's 503 is not a response the caller sees: its request went out all the same.
      assert.deepEqual(events, ['sent (server has seen 0)', 'sent (server has seen 1)', 'response 200']);
    });

    it('reports no request sent when the call is aborted before it goes out', async () => {
      const { provider, emulator } = rig();
      let sent = 0;
      const error = await rejectionOf(collect(provider.streamExecute(chat('never'), { signal: AbortSignal.abort(), onRequestSent: () => sent++ })));
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(sent, 0);
      assert.equal(emulator.counters().requests, 0);
    });

    it('turns a drop after the stream started into a StreamError, without retrying', async () => {
      const { provider, emulator } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'drop-mid-stream', afterChunks: 2 } });
      const received: ChatCompletionChunk[] = [];
      const error = await rejectionOf(collect(provider.streamExecute(chat('[[chunks:6]] drop')), received));
      assert.ok(error instanceof StreamError, String(error));
      assert.equal(received.length, 2);
      assert.equal(emulator.counters().requests, 1);
      assert.match(String(error.generationId), /^gen-/);
    });

    it('throws a mid-stream error chunk as a StreamError after the chunks before it', async () => {
      const { provider, emulator, records } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'error-chunk', afterChunks: 3, code: 502, message: 'Upstream provider failed' } });
      const received: ChatCompletionChunk[] = [];
      const error = await rejectionOf(collect(provider.streamExecute(chat('[[chunks:6]] partial')), received));
      assert.ok(error instanceof StreamError, String(error));
      assert.match(error.message, /Upstream provider failed/);
      assert.equal(error.code, 502);
      assert.equal(error.retryable, false);
      assert.equal(received.length, 3);
      assert.match(text(received), /partial/);
      assert.equal(emulator.counters().requests, 1);
      assert.match(String(records[0]?.error), /Upstream provider failed/);
    });

    it('times out a stream that stalls longer than idleMs', async () => {
      const { emulator, make } = rig();
      const provider = make({ timeouts: { idleMs: 200 } });
      emulator.addFault({ path: '/chat/completions', fault: { type: 'stall', afterChunks: 2 } });
      const received: ChatCompletionChunk[] = [];
      const error = await rejectionOf(collect(provider.streamExecute(chat('[[chunks:6]] stall')), received));
      assert.ok(error instanceof TimeoutError, String(error));
      assert.match(error.message, /200 ms/);
      assert.equal(received.length, 2);
      assert.equal(emulator.counters().requests, 1);
    });

    it('treats keep-alive comments as liveness: they reset the idle timer and reach onKeepAlive', async () => {
      const { emulator, make } = rig();
      // Five comments 80 ms apart keep a 200 ms idle timer alive for 400 ms before the first token.
      const provider = make({ timeouts: { idleMs: 200 } });
      emulator.addFault({ path: '/chat/completions', fault: { type: 'keepalive-first', count: 5, intervalMs: 80 } });
      const comments: string[] = [];
      const chunks = await collect(provider.streamExecute(chat('[[chunks:20]] slow start'), { onKeepAlive: (c) => comments.push(c) }));
      assert.deepEqual(comments, Array(5).fill('OPENROUTER PROCESSING'));
      assert.match(text(chunks), /slow start/);
    });

    it('closes the response when the caller breaks out of for await', async () => {
      const { provider, emulator, records } = rig();
      // Paced so the server is still sending when the caller leaves.
      emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 20 } });
      let seen = 0;
      for await (const _chunk of provider.streamExecute(chat('[[chunks:200]] long'))) {
        if (++seen === 3) break;
      }
      await waitFor('the server to see the stream closed', () => emulator.counters().streamsAbortedByClient === 1);
      assert.equal(emulator.counters().streamsCompleted, 0);
      assert.equal(provider.stats().inFlight, 0);
      assert.match(String(records[0]?.error), /closed by the caller/);
      // The pool recovers: the next call works.
      assert.ok((await provider.listModels()).length > 0);
    });

    it('aborts a running stream at once and closes it', async () => {
      const { emulator, provider } = rig();
      // The next chunk is 1 s away: the abort must not wait for it.
      emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 1_000 } });
      const controller = new AbortController();
      const received: ChatCompletionChunk[] = [];
      let abortedAt = 0;
      const error = await rejectionOf((async () => {
        for await (const chunk of provider.streamExecute(chat('[[chunks:50]] abort me'), { signal: controller.signal })) {
          received.push(chunk);
          abortedAt = performance.now();
          controller.abort();
        }
      })());
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(received.length, 1);
      assert.ok(performance.now() - abortedAt < 600, 'the abort waited for the next chunk');
      await waitFor('the server to see the stream closed', () => emulator.counters().streamsAbortedByClient === 1);
      assert.equal(provider.stats().inFlight, 0);
    });

    it('aborts a stream that has not answered yet', async () => {
      const { provider, emulator } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'no-response' } });
      const controller = new AbortController();
      const run = collect(provider.streamExecute(chat('nothing'), { signal: controller.signal }));
      await waitFor('the request to reach the server', () => emulator.counters().requests === 1);
      controller.abort();
      const error = await rejectionOf(run);
      assert.ok(error instanceof AbortError, String(error));
    });

    it('keeps concurrent streams apart', async () => {
      const { provider } = rig();
      const texts = await Promise.all(Array.from({ length: 6 }, async (_, i) => text(await collect(provider.streamExecute(chat(`[[chunks:12]] stream number ${i}`))))));
      texts.forEach((t, i) => assert.match(t, new RegExp(`stream number ${i}`)));
    });
  });
}

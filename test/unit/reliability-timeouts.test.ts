import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { AbortError, OpenRouterProvider, TimeoutError, type ChatCompletionChunk } from '../../src/openrouter/index';
import { KEY, chat, rejectionOf, useRig } from '../support/providerHarness';

/** Generous slack over a timeout: the machine may be busy, but a hang would blow far past it. */
const SLACK_MS = 3_000;

async function drain(provider: OpenRouterProvider, content: string, signal?: AbortSignal): Promise<number> {
  let chunks = 0;
  for await (const _chunk of provider.streamExecute(chat(content), { signal }) as AsyncIterable<ChatCompletionChunk>) chunks++;
  return chunks;
}

async function timed<T>(work: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await rejectionOf(work);
  return { error, ms: performance.now() - started };
}

describe('reliability: a server that accepts and never answers', () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  let baseUrl: string;

  beforeEach(async () => {
    // A black hole: the TCP connection opens, the request is swallowed, not one byte comes back.
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.once('close', () => sockets.delete(socket));
      socket.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });

  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('ends a JSON call and a stream with a TimeoutError after headersMs, not retried, sockets closed', async () => {
    const headersMs = 400;
    const provider = new OpenRouterProvider({ apiKey: KEY, baseUrl, maxRetries: 3, retryBaseDelayMs: 5, timeouts: { headersMs } });
    try {
      const [json, stream] = await Promise.all([timed(provider.listModels()), timed(drain(provider, 'hello?'))]);
      for (const { error, ms } of [json, stream]) {
        assert.ok(error instanceof TimeoutError, String(error));
        assert.match(error.message, /sent no response within 400 ms/);
        assert.equal(error.attempts, 1, 'the server may be working on it: not resent');
        assert.ok(ms >= headersMs * 0.9 && ms < headersMs + SLACK_MS, `ended after ${Math.round(ms)} ms`);
      }
    } finally {
      await provider.close();
    }
    assert.equal(provider.stats().openConnections, 0);
  });
});

describe('reliability: a server that sends headers then stalls', () => {
  const idleMs = 400;
  const rig = useRig({}, { timeouts: { idleMs, headersMs: 5_000 }, maxRetries: 3 });

  it('ends a stream that stalls before its first event with a TimeoutError after idleMs', async () => {
    rig().emulator.addFault({ path: '/chat/completions', fault: { type: 'stall', afterChunks: 0 } });
    const { error, ms } = await timed(drain(rig().provider, '[[chunks:5]] stall'));
    assert.ok(error instanceof TimeoutError, String(error));
    assert.match(error.message, /silent for more than 400 ms/);
    assert.ok(ms >= idleMs * 0.9 && ms < idleMs + SLACK_MS, `ended after ${Math.round(ms)} ms`);
  });

  it('ends a stream that stalls mid-way after idleMs, having yielded what came before', async () => {
    rig().emulator.addFault({ path: '/chat/completions', fault: { type: 'stall', afterChunks: 3 } });
    let chunks = 0;
    const started = performance.now();
    const error = await rejectionOf((async () => {
      for await (const _chunk of rig().provider.streamExecute(chat('[[chunks:8]] stall')) as AsyncIterable<ChatCompletionChunk>) chunks++;
    })());
    const ms = performance.now() - started;
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(chunks, 3);
    assert.ok(ms < idleMs + SLACK_MS, `ended after ${Math.round(ms)} ms`);
    assert.equal(rig().records.at(-1)?.attempt, 1, 'a started stream is never retried');
  });

  it('ends a JSON answer whose body stalls half-way with a TimeoutError after idleMs', async () => {
    rig().emulator.addFault({ path: '/models', fault: { type: 'stall' } });
    const { error, ms } = await timed(rig().provider.listModels());
    assert.ok(error instanceof TimeoutError, String(error));
    assert.match(error.message, /stalled for more than 400 ms/);
    assert.ok(ms >= idleMs * 0.9 && ms < idleMs + SLACK_MS, `ended after ${Math.round(ms)} ms`);
  });

  it('lets Stop end a stalled stream at once, long before the timeout', async () => {
    const patient = rig().make({ timeouts: { idleMs: 60_000 } });
    rig().emulator.addFault({ path: '/chat/completions', fault: { type: 'stall', afterChunks: 1 } });
    const controller = new AbortController();
    let stoppedAt = 0;
    const error = await rejectionOf((async () => {
      for await (const _chunk of patient.streamExecute(chat('[[chunks:4]] stop me'), { signal: controller.signal }) as AsyncIterable<ChatCompletionChunk>) {
        // The first chunk arrived and the server has gone silent: the user presses Stop.
        stoppedAt = performance.now();
        controller.abort();
      }
    })());
    const ms = performance.now() - stoppedAt;
    assert.ok(error instanceof AbortError, String(error));
    assert.ok(stoppedAt > 0 && ms < SLACK_MS, `ended ${Math.round(ms)} ms after Stop`);
  });

  it('keeps a slow but living stream alive: keep-alive comments reset the idle timer', async () => {
    rig().emulator.addFault({ path: '/chat/completions', fault: { type: 'keepalive-first', count: 4, intervalMs: 250 } });
    const chunks = await drain(rig().provider, '[[chunks:3]] patience');
    assert.ok(chunks >= 3);
  });
});

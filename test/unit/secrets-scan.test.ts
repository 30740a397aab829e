import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { canaryKey } from '../emulator/accounts';
import { startEmulator } from '../emulator/index';
import type { Emulator, Fault } from '../emulator/types';
import { SOAK_FAULTS } from '../bench/soakRun';
import { startConnectProxy } from '../support/proxy/connectProxy';
import { OpenRouterProvider, type ChatCompletionChunk, type ProviderOptions, type RequestRecord } from '../../src/openrouter/index';
import { formatAttempt, formatRetry } from '../../src/log/networkLog';
import { Logger, type LogSink } from '../../src/log/logger';
import { chat } from '../support/providerHarness';

/** Everything a user, a log file or a bug report could ever see, as text. */
function describeAll(value: unknown, seen = new Set<unknown>()): string[] {
  if (value === null || value === undefined || seen.has(value)) return [];
  seen.add(value);
  const texts = [String(value), inspect(value, { depth: 12, showHidden: true, getters: true })];
  try {
    texts.push(JSON.stringify(value) ?? '');
  } catch {
    // Circular values are covered by inspect.
  }
  if (value instanceof Error) {
    texts.push(value.stack ?? '');
    texts.push(...describeAll(value.cause, seen));
  }
  return texts;
}

function logSink(lines: string[]): LogSink {
  const write = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { logLevel: 1, trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), show: () => undefined, dispose: () => undefined } as unknown as LogSink;
}

/** Captures what the process writes to stdout/stderr while `work` runs (and still lets it through). */
async function capturingOutput<T>(captured: string[], work: () => Promise<T>): Promise<T> {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (originals[i] as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  });
  try {
    return await work();
  } finally {
    streams.forEach((stream, i) => {
      stream.write = originals[i] as typeof stream.write;
    });
  }
}

async function settle(work: () => Promise<unknown>): Promise<unknown> {
  try {
    return await work();
  } catch (error) {
    return error;
  }
}

async function drain(provider: OpenRouterProvider, content: string, signal?: AbortSignal): Promise<number> {
  let chunks = 0;
  for await (const _chunk of provider.streamExecute(chat(content), { signal }) as AsyncIterable<ChatCompletionChunk>) chunks++;
  return chunks;
}

// A key shaped like OpenRouter's, and one no pattern knows: only the provider's own care keeps the second out.
const CANARIES = [canaryKey('openrouter'), canaryKey('gateway')];

for (const canary of CANARIES) {
  describe(`secrets scan: a canary key (${canary.startsWith('sk-or-') ? 'OpenRouter-shaped' : 'unknown shape'}) through every call and failure`, function () {
    this.timeout(60_000);
    let emulator: Emulator;
    const outcomes: unknown[] = [];
    const records: RequestRecord[] = [];
    const logLines: string[] = [];
    const output: string[] = [];
    const stats: unknown[] = [];
    const providers: OpenRouterProvider[] = [];

    before(async () => {
      emulator = await startEmulator();
      emulator.setKey(canary, { limit: 10, limit_remaining: 5, usage: 5, is_management_key: true });
      const logger = new Logger(logSink(logLines));
      const log = logger.forComponent('net');
      const make = (options: Partial<ProviderOptions> = {}): OpenRouterProvider => {
        const provider = new OpenRouterProvider({ apiKey: async () => canary, baseUrl: emulator.baseUrl, retryBaseDelayMs: 1, retryMaxDelayMs: 5, maxRetries: 2, ...options });
        provider.onRequest((record) => {
          records.push(record);
          log.info(formatAttempt(record));
          if (record.retryDelayMs !== undefined) log.warn(formatRetry(record));
        });
        providers.push(provider);
        return provider;
      };
      const provider = make({ timeouts: { headersMs: 300, idleMs: 300 } });
      const every = (): Array<() => Promise<unknown>> => [
        () => provider.listModels(),
        () => provider.validateConfig(),
        () => provider.getCredits(),
        () => provider.getGenerationStats('gen-unknown'),
        () => provider.execute(chat('hello')),
        () => drain(provider, '[[chunks:4]] hello'),
      ];
      const run = async (work: () => Promise<unknown>): Promise<void> => {
        const outcome = await settle(work);
        outcomes.push(outcome);
        if (outcome instanceof Error) log.error(outcome);
      };

      await capturingOutput(output, async () => {
        for (const call of every()) await run(call);
        // Servers that echo the key back, in every place an answer can carry it.
        const echo = `Invalid key ${canary} (Authorization: Bearer ${canary})`;
        const echoing: Fault[] = [
          { type: 'status', status: 401, message: echo, metadata: { key: canary, nested: [{ header: `Bearer ${canary}` }] } },
          { type: 'status', status: 503, message: echo, retryAfter: '0' },
          { type: 'status', status: 400, message: echo, code: canary },
          { type: 'raw', body: `not json: ${echo}` },
          { type: 'raw', body: `<html>${echo}</html>`, status: 502, contentType: 'text/html' },
          { type: 'raw', body: echo, status: 400, contentType: 'text/plain' },
          { type: 'error-chunk', afterChunks: 1, code: 403, message: echo },
        ];
        for (const fault of [...echoing, ...Object.values(SOAK_FAULTS).map((spec) => spec.fault as Fault)]) {
          // Every call meets the fault on each of its attempts.
          emulator.addFault({ fault, times: 6 * 3 });
          await Promise.all(every().map(run));
          emulator.clearFaults();
        }
        const controller = new AbortController();
        controller.abort(new Error(`aborted while holding ${canary}`));
        await run(() => drain(provider, 'aborted', controller.signal));
        await run(() => provider.execute(chat('aborted'), { signal: controller.signal }));
        // Keys that cannot be sent, a server that is gone, and a proxy that refuses, with the key as its password.
        await run(() => make({ apiKey: `${canary}\r\nX-Injected: 1` }).execute(chat('inject')));
        await run(() => make({ apiKey: `${canary} ${canary}` }).validateConfig());
        await run(() => make({ baseUrl: 'http://127.0.0.1:9/api/v1', maxRetries: 0 }).execute(chat('nobody home')));
        const proxy = await startConnectProxy({ refuseWith: 407 });
        try {
          await run(() => make({ proxy: { url: `http://user:${encodeURIComponent(canary)}@127.0.0.1:${proxy.port}` } }).listModels());
          await run(async () => make({ proxy: { url: `socks5://user:${canary}@127.0.0.1:1080` } }));
        } finally {
          await proxy.close();
        }
        for (const made of providers) stats.push(made.stats());
      });
    });

    after(async () => {
      await Promise.all(providers.map((provider) => provider.close()));
      await emulator.close();
    });

    it('went through the calls and failures it claims to', () => {
      assert.ok(outcomes.length >= 130, `${outcomes.length} outcomes`);
      assert.ok(outcomes.filter((outcome) => outcome instanceof Error).length >= 80);
      assert.ok(records.length >= 150, `${records.length} records`);
      assert.ok(logLines.length >= records.length);
      assert.ok(emulator.requests().some((request) => request.keyFingerprint !== null), 'the key was sent where it belongs');
    });

    const scan = (texts: readonly string[], where: string): void => {
      const fragment = canary.slice(-16);
      const hits = texts.filter((text) => text.includes(canary) || text.includes(fragment) || text.includes(encodeURIComponent(canary)));
      const first = hits[0] ?? '';
      const at = Math.max(first.indexOf(canary), first.indexOf(fragment), first.indexOf(encodeURIComponent(canary)));
      assert.equal(hits.length, 0, `${where}: ${hits.length} leak(s), e.g. …${first.slice(Math.max(0, at - 200), at + 80)}…`);
    };

    it('is absent from every error and result, including causes, stacks and inspect output', () => {
      scan(outcomes.flatMap((outcome) => describeAll(outcome)), 'errors and results');
    });

    it('is absent from every request record, as objects and as network log lines', () => {
      scan(records.flatMap((record) => describeAll(record)), 'records');
      scan(records.map(formatAttempt), 'network log lines');
    });

    it('is absent from the log channel, stats, and everything the process printed', () => {
      scan(logLines, 'log channel');
      scan(stats.flatMap((value) => describeAll(value)), 'stats');
      scan(output, 'stdout/stderr');
    });

    it('is absent from what the emulator kept of the requests (the test output a failure would print)', () => {
      scan(emulator.requests().map((request) => JSON.stringify(request)), 'emulator request log');
    });
  });
}

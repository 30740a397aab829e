// The soak: many mixed provider calls against the emulator with injected faults, checking that every call
// settles once, in time, with a result or an error a caller can act on, and that sockets and memory stay bounded.
// Shared by `npm run soak` (10,000 calls) and the unit test (a few hundred).
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startSoakEmulator } from './soakEmulator';
import type { Fault } from '../emulator/types';
import { OpenRouterError, OpenRouterProvider, type ChatCompletionChunk, type RequestRecord } from '../../src/openrouter/index';
import { seededRandom } from './seededRandom';
import { waitFor } from '../support/waitFor';

export const SOAK_KEY = 'sk-or-v1-management';

/** Every fault kind the emulator knows, with what a caller should see when it hits a call's first attempt. */
export const SOAK_FAULTS = {
  '429 + Retry-After': { fault: { type: 'status', status: 429, retryAfter: '1' }, recovers: true },
  '429': { fault: { type: 'status', status: 429 }, recovers: true },
  '500': { fault: { type: 'status', status: 500 }, recovers: true },
  '503 + Retry-After': { fault: { type: 'status', status: 503, retryAfter: '1' }, recovers: true },
  'HTML 502': { fault: { type: 'status', status: 502, html: true }, recovers: true },
  'drop before response (GET)': { fault: { type: 'drop-before-response' }, recovers: true, getOnly: true },
  // The server had the POST when the connection dropped: it may have run it, so it is not resent.
  'drop before response (POST)': { fault: { type: 'drop-before-response' }, recovers: false, kinds: ['connection'], postOnly: true },
  // A started POST answer is never resent (it was generated, maybe billed); a GET's broken body is fetched again.
  'drop mid-stream': { fault: { type: 'drop-mid-stream', afterChunks: 2 }, recovers: false, kinds: ['stream'], postOnly: true },
  'drop mid-body (GET)': { fault: { type: 'drop-mid-stream' }, recovers: true, getOnly: true },
  'stall': { fault: { type: 'stall', afterChunks: 2 }, recovers: false, kinds: ['timeout'] },
  'no response': { fault: { type: 'no-response' }, recovers: false, kinds: ['timeout'] },
  'error chunk': { fault: { type: 'error-chunk', afterChunks: 2, code: 502, message: 'Upstream provider failed' }, recovers: false, kinds: ['stream'], streamOnly: true },
  'slow chunks': { fault: { type: 'slow-chunks', delayMs: 3 }, recovers: true, streamOnly: true },
  'keep-alive first': { fault: { type: 'keepalive-first', count: 2, intervalMs: 3 }, recovers: true },
  'invalid JSON': { fault: { type: 'raw', body: '{"data": [ {"id": ', contentType: 'application/json' }, recovers: false, kinds: ['parse', 'stream'] },
} satisfies Record<string, { fault: Fault; recovers: boolean; kinds?: string[]; streamOnly?: boolean; postOnly?: boolean; getOnly?: boolean }>;

export type FaultName = keyof typeof SOAK_FAULTS;
const FAULT_NAMES = Object.keys(SOAK_FAULTS) as FaultName[];

export const CALL_KINDS = ['models', 'key', 'credits', 'completion', 'stream'] as const;
export type CallKind = (typeof CALL_KINDS)[number];
/** Share of each call kind in the mix. */
const MIX: Record<CallKind, number> = { models: 0.1, key: 0.15, credits: 0.15, completion: 0.3, stream: 0.3 };

export interface SoakOptions {
  calls: number;
  concurrency: number;
  /** Share of calls whose first attempt gets a fault. */
  faultRate: number;
  seed: number;
  poolSize: number;
  /** A call not settled by then counts as hung (and is aborted so the run can end). */
  callDeadlineMs: number;
  timeouts: { connectMs: number; headersMs: number; idleMs: number };
  /** Progress lines to stderr. */
  progress?: boolean;
  /** `child` runs the emulator in its own process, so the heap measured is the client's alone. */
  emulator?: 'in-process' | 'child';
}

export const DEFAULT_SOAK: SoakOptions = {
  calls: 10_000,
  concurrency: 20,
  faultRate: 0.05,
  seed: 7,
  poolSize: 10,
  callDeadlineMs: 30_000,
  // Generous for loopback, so that only the injected stalls and silences hit them, even on a busy machine.
  timeouts: { connectMs: 5_000, headersMs: 5_000, idleMs: 2_000 },
};

export interface FaultFigures {
  calls: number;
  succeeded: number;
  failed: number;
  /** Retries the provider spent on calls that met this fault. */
  retries: number;
  /** Error kinds seen (OpenRouterError.kind, or `result` for validateConfig's `{ ok: false }`). */
  failureKinds: Record<string, number>;
}

export interface SoakResult {
  options: SoakOptions;
  durationMs: number;
  calls: number;
  succeeded: number;
  failed: number;
  failedByClass: Record<string, number>;
  hung: number;
  unhandledRejections: number;
  /** Failures that were not an OpenRouterError with a message (or a validateConfig result with one). */
  untypedFailures: number;
  /** Calls whose outcome did not match their records: answered twice, or an error lost. */
  doubleAnswers: number;
  lostErrors: number;
  /** Calls that failed though their fault should have been retried away, or that had no fault. */
  unexpectedFailures: number;
  /** Calls whose failure kind was not the one their fault should give. */
  wrongKinds: number;
  retries: number;
  requests: number;
  byFault: Record<string, FaultFigures>;
  byCall: Record<CallKind, { calls: number; succeeded: number; failed: number }>;
  sockets: {
    poolSize: number;
    /** Open at the emulator after the last call, before close(). */
    openAtEnd: number;
    /** Open at the emulator after close(). */
    openAfterClose: number;
    /** The provider's own count after close(). */
    providerOpenAfterClose: number;
    accepted: number;
  };
  heap: { available: boolean; baselineMB: number; endMB: number; growthMB: number };
  samples: Array<{ call: number; kind: CallKind; fault: string; error: string }>;
}

interface CallContext {
  fault: Fault | undefined;
  injected: boolean;
  records: RequestRecord[];
}

/** `global.gc` when node runs with --expose-gc, else one obtained at runtime. */
function findGc(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

function heapMB(gc: (() => void) | undefined): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Gives the emulator's counts up to 2 s to settle; what they are then is measured (and judged by the caller), not thrown. */
async function settle(what: string, condition: () => Promise<boolean>): Promise<void> {
  await waitFor(what, condition, { timeoutMs: 2_000, intervalMs: 10 }).catch(() => undefined);
}

function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

export async function runSoak(partial: Partial<SoakOptions> = {}): Promise<SoakResult> {
  const options: SoakOptions = { ...DEFAULT_SOAK, ...partial, timeouts: { ...DEFAULT_SOAK.timeouts, ...partial.timeouts } };
  const random = seededRandom(options.seed);
  let faultsPlanned = 0;
  const plan = Array.from({ length: options.calls }, () => {
    let pick = random();
    let kind: CallKind = 'stream';
    for (const candidate of CALL_KINDS) {
      if (pick < MIX[candidate]) {
        kind = candidate;
        break;
      }
      pick -= MIX[candidate];
    }
    let fault: FaultName | undefined;
    if (random() < options.faultRate) {
      // Faults take turns so every kind comes up equally; a stream-only fault turns its call into a stream.
      fault = FAULT_NAMES[faultsPlanned++ % FAULT_NAMES.length] as FaultName;
      const isGet = kind === 'models' || kind === 'key' || kind === 'credits';
      if ('streamOnly' in SOAK_FAULTS[fault]) kind = 'stream';
      else if ('postOnly' in SOAK_FAULTS[fault] && isGet) kind = 'completion';
      else if ('getOnly' in SOAK_FAULTS[fault] && !isGet) kind = 'models';
    }
    return { kind, fault };
  });

  const emulator = await startSoakEmulator(options.emulator ?? 'in-process');
  const provider = new OpenRouterProvider({
    apiKey: SOAK_KEY,
    baseUrl: emulator.baseUrl,
    poolSize: options.poolSize,
    maxRetries: 3,
    retryBaseDelayMs: 2,
    retryMaxDelayMs: 20,
    timeouts: options.timeouts,
  });
  const context = new AsyncLocalStorage<CallContext>();
  provider.onRequest((record) => context.getStore()?.records.push(record));
  // Each call's first HTTP attempt carries its fault; retries go out clean, as after a transient failure.
  const onCreate = (message: unknown): void => {
    const ctx = context.getStore();
    if (!ctx?.fault || ctx.injected) return;
    ctx.injected = true;
    (message as { request: { addHeader(name: string, value: string): void } }).request.addHeader('x-emulator-fault', JSON.stringify(ctx.fault));
  };
  diagnosticsChannel.subscribe('undici:request:create', onCreate);
  let unhandledRejections = 0;
  const onUnhandled = (): void => {
    unhandledRejections++;
  };
  process.on('unhandledRejection', onUnhandled);

  const gc = findGc();
  const result: SoakResult = {
    options,
    durationMs: 0,
    calls: options.calls,
    succeeded: 0,
    failed: 0,
    failedByClass: {},
    hung: 0,
    unhandledRejections: 0,
    untypedFailures: 0,
    doubleAnswers: 0,
    lostErrors: 0,
    unexpectedFailures: 0,
    wrongKinds: 0,
    retries: 0,
    requests: 0,
    byFault: Object.fromEntries(['none', ...FAULT_NAMES].map((name) => [name, { calls: 0, succeeded: 0, failed: 0, retries: 0, failureKinds: {} }])),
    byCall: Object.fromEntries(CALL_KINDS.map((kind) => [kind, { calls: 0, succeeded: 0, failed: 0 }])) as SoakResult['byCall'],
    sockets: { poolSize: options.poolSize, openAtEnd: 0, openAfterClose: 0, providerOpenAfterClose: 0, accepted: 0 },
    heap: { available: gc !== undefined, baselineMB: 0, endMB: 0, growthMB: 0 },
    samples: [],
  };

  const runCall = async (kind: CallKind, signal: AbortSignal): Promise<{ ok: boolean; error?: unknown }> => {
    switch (kind) {
      case 'models':
        await provider.listModels({ signal });
        return { ok: true };
      case 'key': {
        const answer = await provider.validateConfig({ signal });
        return answer.ok ? { ok: true } : { ok: false, error: answer };
      }
      case 'credits':
        await provider.getCredits({ signal });
        return { ok: true };
      case 'completion':
        await provider.execute({ model: 'emulator/echo', messages: [{ role: 'user', content: 'soak' }] }, { signal });
        return { ok: true };
      case 'stream': {
        let done = false;
        for await (const _chunk of provider.streamExecute({ model: 'emulator/echo', messages: [{ role: 'user', content: '[[chunks:6]] soak' }] }, { signal }) as AsyncIterable<ChatCompletionChunk>) {
          if (done) throw new Error('a chunk arrived after the stream ended');
        }
        done = true;
        return { ok: true };
      }
    }
  };

  const oneCall = async (index: number): Promise<void> => {
    const { kind, fault } = plan[index] as { kind: CallKind; fault: FaultName | undefined };
    const spec = fault ? SOAK_FAULTS[fault] : undefined;
    const ctx: CallContext = { fault: spec?.fault, injected: false, records: [] };
    const figures = result.byFault[fault ?? 'none'] as FaultFigures;
    figures.calls++;
    result.byCall[kind].calls++;
    const controller = new AbortController();
    let hung = false;
    const watchdog = setTimeout(() => {
      hung = true;
      controller.abort();
    }, options.callDeadlineMs);
    let outcome: { ok: boolean; error?: unknown };
    try {
      outcome = await context.run(ctx, () => runCall(kind, controller.signal));
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      clearTimeout(watchdog);
    }
    if (hung) result.hung++;
    const retries = ctx.records.filter((record) => record.retryDelayMs !== undefined).length;
    figures.retries += retries;
    // Each call ends in exactly one record without a retry planned; its error matches the call's outcome.
    const finals = ctx.records.filter((record) => record.retryDelayMs === undefined);
    if (finals.length > 1) result.doubleAnswers++;
    const last = finals[0];
    if (outcome.ok) {
      result.succeeded++;
      figures.succeeded++;
      result.byCall[kind].succeeded++;
      if (last?.error !== undefined) result.lostErrors++;
      return;
    }
    result.failed++;
    figures.failed++;
    result.byCall[kind].failed++;
    if (last && last.error === undefined && (last.status ?? 200) < 400) result.lostErrors++;
    const error = outcome.error;
    let failureKind: string;
    let message: string;
    if (error instanceof OpenRouterError) {
      failureKind = error.kind;
      message = error.message;
      bump(result.failedByClass, `${error.name} (${error.kind})`);
    } else if (error && typeof error === 'object' && (error as { ok?: unknown }).ok === false) {
      failureKind = 'result';
      message = String((error as { message?: unknown }).message ?? '');
      bump(result.failedByClass, 'validateConfig { ok: false }');
    } else {
      failureKind = 'untyped';
      message = error instanceof Error ? error.message : String(error);
      bump(result.failedByClass, `untyped: ${error instanceof Error ? error.name : typeof error}`);
    }
    bump(figures.failureKinds, failureKind);
    if (failureKind === 'untyped' || message.trim() === '') result.untypedFailures++;
    if (!spec || spec.recovers) result.unexpectedFailures++;
    else if (failureKind !== 'result' && 'kinds' in spec && !spec.kinds.includes(failureKind)) result.wrongKinds++;
    if (result.samples.length < 40 && !result.samples.some((sample) => sample.fault === (fault ?? 'none') && sample.kind === kind)) {
      result.samples.push({ call: index, kind, fault: fault ?? 'none', error: `${failureKind}: ${message}` });
    }
  };

  const started = performance.now();
  let next = 0;
  const warmup = Math.min(500, Math.floor(options.calls / 10));
  let baselineTaken = false;
  const worker = async (): Promise<void> => {
    while (next < options.calls) {
      const index = next++;
      await oneCall(index);
      if (!baselineTaken && index >= warmup) {
        baselineTaken = true;
        result.heap.baselineMB = heapMB(gc);
      }
      if (options.progress && index > 0 && index % 1000 === 0) process.stderr.write(`soak: ${index} calls\n`);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    result.durationMs = performance.now() - started;
    // Server-side sockets close a moment after the client's; give the counts a short while to settle.
    await settle('the open sockets to drop to the pool size', async () => (await emulator.counters()).openConnections <= options.poolSize);
    const counters = await emulator.counters();
    result.sockets.openAtEnd = counters.openConnections;
    result.sockets.accepted = counters.connectionsAccepted;
    const stats = provider.stats();
    result.retries = stats.retries;
    result.requests = stats.requests;
    result.heap.endMB = heapMB(gc);
    result.heap.growthMB = result.heap.endMB - result.heap.baselineMB;
    await provider.close();
    await settle('every socket to close', async () => (await emulator.counters()).openConnections === 0);
    result.sockets.openAfterClose = (await emulator.counters()).openConnections;
    result.sockets.providerOpenAfterClose = provider.stats().openConnections;
    // A rejection nobody handled surfaces on the next turns of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    diagnosticsChannel.unsubscribe('undici:request:create', onCreate);
    process.off('unhandledRejection', onUnhandled);
    await provider.close();
    await emulator.close();
  }
  result.unhandledRejections = unhandledRejections;
  return result;
}

/** The result as a plain-text table. */
export function formatSoak(result: SoakResult): string {
  const lines: string[] = [];
  const pct = (n: number, of: number): string => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)} %`);
  lines.push(`Soak: ${result.calls} calls, concurrency ${result.options.concurrency}, faults on ${pct(result.calls - (result.byFault.none?.calls ?? 0), result.calls)} of calls, pool ${result.options.poolSize}, ${(result.durationMs / 1000).toFixed(1)} s`);
  lines.push('');
  lines.push(`| fault on first attempt | calls | succeeded | failed (kind) | retries spent |`);
  lines.push(`|---|---:|---:|---|---:|`);
  for (const [name, figures] of Object.entries(result.byFault)) {
    if (figures.calls === 0) continue;
    const kinds = Object.entries(figures.failureKinds).map(([kind, n]) => `${n} ${kind}`).join(', ');
    lines.push(`| ${name} | ${figures.calls} | ${figures.succeeded} | ${figures.failed}${kinds ? ` (${kinds})` : ''} | ${figures.retries} |`);
  }
  lines.push('');
  lines.push(`| property | value |`);
  lines.push(`|---|---:|`);
  const rows: Array<[string, string | number]> = [
    ['succeeded', result.succeeded],
    ['failed with a typed error', result.failed - result.untypedFailures],
    ['failed untyped or without a message', result.untypedFailures],
    ['failures a retry should have absorbed', result.unexpectedFailures],
    ['failures of the wrong kind', result.wrongKinds],
    ['hung (past the watchdog deadline)', result.hung],
    ['unhandled rejections', result.unhandledRejections],
    ['answered twice', result.doubleAnswers],
    ['errors lost', result.lostErrors],
    ['HTTP requests (retries)', `${result.requests} (${result.retries})`],
    ['sockets accepted by the emulator', result.sockets.accepted],
    [`sockets open after the last call (pool ${result.sockets.poolSize})`, result.sockets.openAtEnd],
    ['sockets open after close()', result.sockets.openAfterClose],
    ['heap growth after forced GC', result.heap.available ? `${result.heap.growthMB.toFixed(2)} MB` : 'n/a (no gc)'],
  ];
  for (const [name, value] of rows) lines.push(`| ${name} | ${value} |`);
  lines.push('');
  lines.push('Failures by class: ' + Object.entries(result.failedByClass).map(([name, n]) => `${name} ${n}`).join(', '));
  return lines.join('\n');
}

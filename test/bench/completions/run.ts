// `npm run bench:completions`: a scripted typing session against the emulator (its own process, TLS) behind the
// latency relay, driving the completion engine in Node (the editor's part without vscode), for the pooled
// provider over HTTP/2 and HTTP/1.1 and for a client that sends a `fetch` per completion. Then what one
// cancelled request costs the connection, over each transport.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fetchCompletion } from '../../../src/completions/completionClient';
import { CompletionEngine, type EngineEvent, type PromptSender } from '../../../src/completions/completionEngine';
import { RateGuard } from '../../../src/completions/rateGuard';
import { percentile } from '../../../src/util/percentile';
import { OpenRouterProvider } from '../../../src/openrouter/index';
import { sleep } from '../../../src/openrouter/retry';
import { TEST_KEY } from '../../emulator/accounts';
import { EmulatorProcess } from '../benchProcesses';
import { startLatencyRelay, type LatencyRelay } from '../latencyRelay';
import { typedSource } from './corpus';
import { fetchSender } from './fetchSender';
import { typingSession, type Keystroke } from './typingSession';

const MODEL = 'mistralai/codestral-2508';
const here = new URL('.', import.meta.url).pathname;


interface SessionResult {
  client: string;
  keystrokes: number;
  accepted: number;
  ghostShown: number;
  fromCache: number;
  /** Keystroke to ghost text, every ghost text shown. */
  latencyMs: number[];
  /** The same, only those a request answered. */
  requestLatencyMs: number[];
  requestsSent: number;
  requestsCancelled: number;
  streamsClosedAtServer: number;
  connections: number;
  tlsHandshakes: number;
  wallMs: number;
}

/** Plays the session against one sender; every keystroke asks the engine, as the editor asks the provider. */
async function playSession(client: string, send: PromptSender, keys: readonly Keystroke[], debounceMs: number, relay: LatencyRelay, emulator: EmulatorProcess): Promise<SessionResult> {
  await emulator.reset();
  relay.reset();
  let requestsSent = 0;
  let requestsCancelled = 0;
  let fromCache = 0;
  let lastWasCache = false;
  const onEvent = (event: EngineEvent): void => {
    if (event.type === 'request') requestsSent++;
    if (event.type === 'cancelled' && event.sent) requestsCancelled++;
    if (event.type === 'cache-hit') lastWasCache = true;
  };
  const engine = new CompletionEngine(send, () => ({ model: MODEL, debounceMs, contextTokens: 2048, maxTokens: 64 }), new RateGuard(10_000), onEvent);
  const text = typedSource;
  let pos = 0;
  let keystroke = 0;
  let shown: string | undefined;
  let accepted = 0;
  let keystrokes = 0;
  const latencyMs: number[] = [];
  const requestLatencyMs: number[] = [];
  const pending: Array<Promise<unknown>> = [];
  const started = performance.now();
  for (const key of keys) {
    await sleep(key.delayMs);
    if (key.kind === 'accept') {
      if (!shown || !text.startsWith(shown, pos)) continue;
      pos += shown.length;
      accepted++;
    } else {
      if (key.at < pos) continue;
      pos = key.at + 1;
    }
    keystrokes++;
    const id = ++keystroke;
    shown = undefined;
    const at = performance.now();
    lastWasCache = false;
    const ask = engine.complete({ documentKey: 'file:///bench/src/invoices.ts', offset: pos, prefix: text.slice(0, pos), suffix: '', languageId: 'typescript', path: 'src/invoices.ts' });
    const cached = lastWasCache;
    if (cached) fromCache++;
    pending.push(
      ask.then((middle) => {
        if (id !== keystroke || middle === undefined) return;
        shown = middle;
        const ms = performance.now() - at;
        latencyMs.push(ms);
        if (!cached) requestLatencyMs.push(ms);
      }),
    );
  }
  await Promise.all(pending);
  const wallMs = performance.now() - started;
  const counters = await emulator.counters();
  return {
    client,
    keystrokes,
    accepted,
    ghostShown: latencyMs.length,
    fromCache,
    latencyMs,
    requestLatencyMs,
    requestsSent,
    requestsCancelled,
    streamsClosedAtServer: counters.streamsAbortedByClient,
    connections: relay.connections(),
    tlsHandshakes: counters.tlsHandshakes,
    wallMs,
  };
}

interface CancelCost {
  client: string;
  rounds: number;
  connections: number;
  /** Time to the first byte of the request sent right after a cancelled one. */
  nextTtfbMs: number[];
}

/** Rounds of: a completion streaming slowly, cancelled after its first chunk, then the next completion. */
async function measureCancelCost(client: string, provider: OpenRouterProvider, rounds: number, relay: LatencyRelay, emulator: EmulatorProcess): Promise<CancelCost> {
  // One warm connection first, as in a session.
  for await (const chunk of provider.streamComplete({ model: MODEL, prompt: '[[fim:warm]]' })) void chunk;
  await emulator.reset();
  relay.reset();
  const nextTtfbMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const controller = new AbortController();
    try {
      for await (const chunk of provider.streamComplete({ model: MODEL, prompt: '[[fim:a middle long enough to still be streaming when the user types on]]' }, { signal: controller.signal })) {
        void chunk;
        controller.abort();
      }
    } catch {
      // Cancelled, as the user typed on.
    }
    const sent = performance.now();
    let ttfb: number | undefined;
    for await (const chunk of provider.streamComplete({ model: MODEL, prompt: `[[fim:next ${i}]]` }, { onResponse: () => (ttfb = performance.now() - sent) })) void chunk;
    if (ttfb !== undefined) nextTtfbMs.push(ttfb);
  }
  return { client, rounds, connections: relay.connections(), nextTtfbMs };
}

const fmt = (ms: number | undefined): string => (ms === undefined ? '–' : `${Math.round(ms)}`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rtt: { type: 'string', default: '40' },
      server: { type: 'string', default: '80' },
      chunk: { type: 'string', default: '8' },
      debounce: { type: 'string', default: '200' },
      rounds: { type: 'string', default: '20' },
      clients: { type: 'string', default: 'provider-h2,provider-h1,fetch' },
      out: { type: 'string', default: '.cache/bench' },
    },
  });
  const rtt = Number(values.rtt);
  const debounceMs = Number(values.debounce);
  mkdirSync(values.out, { recursive: true });
  const corpusFile = join(values.out, 'completions-corpus.ts');
  writeFileSync(corpusFile, typedSource);
  const emulator = await EmulatorProcess.start(join(here, '..', 'emulatorProcess.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { BENCH_SERVER_MS: String(values.server), BENCH_CHUNK_MS: String(values.chunk), BENCH_COMPLETION_CORPUS: corpusFile },
  });
  const relay = await startLatencyRelay({ targetHost: '127.0.0.1', targetPort: emulator.ready.port, oneWayMs: rtt / 2 });
  const baseUrl = `https://127.0.0.1:${relay.port}/api/v1`;
  const keys = typingSession(typedSource);
  const makeProvider = (allowH2: boolean): OpenRouterProvider => new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl, ca: emulator.ready.ca, allowH2 });
  const wanted = new Set(values.clients.split(','));
  const sessions: SessionResult[] = [];
  const cancels: CancelCost[] = [];
  try {
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
    console.log(`typing session: ${keys.filter((k) => k.kind === 'char').length} characters of TypeScript, RTT ${rtt} ms, server ${values.server} ms + ${values.chunk} ms per 4-character chunk, debounce ${debounceMs} ms; engine in Node, emulator over TLS behind the latency relay`);
    for (const [name, allowH2] of [['provider-h2', true], ['provider-h1', false]] as const) {
      if (!wanted.has(name)) continue;
      const provider = makeProvider(allowH2);
      const send: PromptSender = (prompt, signal, limits) => fetchCompletion(provider, prompt, { signal, ...limits, onOutcome: () => undefined });
      sessions.push(await playSession(`pooled provider, ${allowH2 ? 'HTTP/2' : 'HTTP/1.1'}`, send, keys, debounceMs, relay, emulator));
      cancels.push(await measureCancelCost(`pooled provider, ${allowH2 ? 'HTTP/2' : 'HTTP/1.1'}`, provider, Number(values.rounds), relay, emulator));
      await provider.close();
    }
    if (wanted.has('fetch')) {
      const client = fetchSender(baseUrl, TEST_KEY, emulator.ready.ca);
      sessions.push(await playSession('fetch per completion (HTTP/1.1)', client.send, keys, debounceMs, relay, emulator));
      await client.close();
    }
  } finally {
    await relay.close();
    await emulator.close();
  }

  console.log('\nkeystroke → ghost text (ms; every ghost text shown, and those a request answered)');
  console.log('| client | keystrokes | accepted | ghost shown | from cache | p50 | p95 | p50 by request | p95 by request | requests sent | cancelled | streams closed at server | TCP+TLS connections |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of sessions) {
    console.log(`| ${s.client} | ${s.keystrokes} | ${s.accepted} | ${s.ghostShown} | ${s.fromCache} | ${fmt(percentile(s.latencyMs, 50))} | ${fmt(percentile(s.latencyMs, 95))} | ${fmt(percentile(s.requestLatencyMs, 50))} | ${fmt(percentile(s.requestLatencyMs, 95))} | ${s.requestsSent} | ${s.requestsCancelled} | ${s.streamsClosedAtServer} | ${s.connections} |`);
  }
  if (cancels.length > 0) {
    console.log(`\nwhat a cancelled request costs the connection (${values.rounds} rounds: a stream cancelled after its first chunk, then the next request)`);
    console.log('| client | new connections | next request, time to first byte p50 | p95 |');
    console.log('|---|---:|---:|---:|');
    for (const c of cancels) console.log(`| ${c.client} | ${c.connections} | ${fmt(percentile(c.nextTtfbMs, 50))} | ${fmt(percentile(c.nextTtfbMs, 95))} |`);
  }
  const result = { loadAverage: loadavg().map((l) => Number(l.toFixed(2))), rttMs: rtt, serverMs: Number(values.server), chunkMs: Number(values.chunk), debounceMs, sessions, cancels, at: new Date().toISOString() };
  writeFileSync(join(values.out, 'completions.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nsaved ${join(values.out, 'completions.json')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

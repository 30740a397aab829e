// `npm run bench:compare`: the wall time of a 4-model comparison (Compare Models) against the network
// limit — the slowest of the same streams run alone over the same latency relay — over HTTP/1.1 and
// HTTP/2, and the connections each opened. The emulator and every measured client run in processes of
// their own; the relay (test/bench/latencyRelay.ts) runs here.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLatencyRelay, type LatencyRelay } from './latencyRelay';
import { EmulatorProcess, runJob } from './benchProcesses';
import type { CompareChildResult, CompareJob } from './compareChild';
import { median, spread } from './stats';

const here = path.dirname(new URL(import.meta.url).pathname);

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} takes a number`);
  return value;
}

const config = {
  rttMs: option('rtt', 40),
  serverMs: option('server', 20),
  chunks: option('chunks', 100),
  // 15 ms apart is about 67 tokens a second, a typical streaming rate.
  chunkMs: option('chunk-ms', 15),
  reps: Math.max(1, option('reps', 3)),
};
const models = ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-pro', 'mistralai/mistral-nemo'];
const prompt = `[[chunks:${config.chunks}]] Compare these approaches to connection pooling.`;

function measure(job: CompareJob): Promise<CompareChildResult> {
  return runJob<CompareJob, CompareChildResult>(path.join(here, 'compareChild.ts'), job, 'the measured comparison', { execArgv: ['--import', 'tsx'] });
}

interface Row {
  protocol: string;
  singleMs: number[];
  compareMs: number[];
  relayConnections: number[];
  providerConnections: number[];
  posts: number[];
  httpVersions: string[];
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const emulator = await EmulatorProcess.start(path.join(here, 'emulatorProcess.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { BENCH_SERVER_MS: String(config.serverMs), BENCH_CHUNK_MS: String(config.chunkMs) },
  });
  let relay: LatencyRelay | undefined;
  const outDir = path.join(process.cwd(), '.cache', 'bench');
  mkdirSync(outDir, { recursive: true });
  const caPath = path.join(outDir, 'compare-emulator-ca.pem');
  writeFileSync(caPath, emulator.ready.ca);
  try {
    relay = await startLatencyRelay({ targetHost: '127.0.0.1', targetPort: emulator.ready.port, oneWayMs: config.rttMs / 2 });
    const url = new URL(emulator.ready.baseUrl);
    url.port = String(relay.port);
    const baseUrl = url.toString().replace(/\/$/, '');
    console.log(`Compare Models benchmark: ${models.length} models, ${config.chunks} chunks each ${config.chunkMs} ms apart, RTT ${config.rttMs} ms, server ${config.serverMs} ms, ${config.reps} repetition(s), load average ${loadAtStart.toFixed(1)}.`);
    const rows: Row[] = [
      { protocol: 'HTTP/1.1', singleMs: [], compareMs: [], relayConnections: [], providerConnections: [], posts: [], httpVersions: [] },
      { protocol: 'HTTP/2', singleMs: [], compareMs: [], relayConnections: [], providerConnections: [], posts: [], httpVersions: [] },
    ];
    // A warm-up so the first measurement does not pay for the emulator's first TLS handshake and JIT.
    await measure({ baseUrl, caPath, models: models.slice(0, 2), prompt, allowH2: true });
    for (let rep = 0; rep < config.reps; rep++) {
      // Protocols interleaved, alternating which goes first, so a load change hits both alike.
      const order = rep % 2 === 0 ? rows : [...rows].reverse();
      for (const row of order) {
        const allowH2 = row.protocol === 'HTTP/2';
        const singles: number[] = [];
        for (const model of models) singles.push((await measure({ baseUrl, caPath, models: [model], prompt, allowH2 })).wallMs);
        row.singleMs.push(Math.max(...singles));
        relay.reset();
        const result = await measure({ baseUrl, caPath, models, prompt, allowH2 });
        if (result.columns.some((c) => c.status !== 'done')) throw new Error(`a column did not finish: ${JSON.stringify(result.columns)}`);
        row.compareMs.push(result.wallMs);
        row.relayConnections.push(relay.connections());
        row.providerConnections.push(result.connectionsOpened);
        row.posts.push(result.posts);
        row.httpVersions = result.httpVersions;
      }
    }
    const loadAtEnd = os.loadavg()[0] ?? 0;
    console.log('');
    // What the relay's model allows at best: TCP + TLS 1.3 handshake (2 RTT), the request's round trip, the server's
    // think time, then the chunks back to back at the emulator's pace.
    const modelledMs = 3 * config.rttMs + config.serverMs + (config.chunks + 1) * config.chunkMs;
    console.log(`Modelled floor of one stream: 3 × RTT + server + ${config.chunks + 1} × ${config.chunkMs} ms = ${modelledMs} ms.\n`);
    console.log('| protocol | network limit: slowest single stream alone | 4-model comparison | comparison ÷ limit | connections opened (relay / provider) | POSTs |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const row of rows) {
      const limit = median(row.singleMs);
      const wall = median(row.compareMs);
      const range = spread(row.compareMs);
      console.log(
        `| ${row.protocol} (${row.httpVersions.join(', ')}) | ${limit.toFixed(0)} ms | ${wall.toFixed(0)} ms (${range.min.toFixed(0)}–${range.max.toFixed(0)}) | ${(wall / limit).toFixed(2)} | ${median(row.relayConnections)} / ${median(row.providerConnections)} | ${median(row.posts)} |`,
      );
    }
    console.log(`\nMedian of ${config.reps}; load average ${loadAtStart.toFixed(1)} → ${loadAtEnd.toFixed(1)} (2 cores). Each figure is a fresh process and a cold provider: the handshake is included.`);
    const file = path.join(outDir, 'compare.json');
    writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), config, models, modelledMs, loadAverage: { start: loadAtStart, end: loadAtEnd }, rows }, null, 2));
    console.log(`Saved ${path.relative(process.cwd(), file)}`);
  } finally {
    await relay?.close();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

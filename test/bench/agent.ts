// `npm run bench:agent`: a scripted agent task of N steps (N − 1 read_file calls, then the answer) on the real
// loop of src/agent, over the latency relay, HTTP/1.1 and HTTP/2. Wall time against the network's and the
// emulator's share (handshake + N × RTT + the emulator's own time for each request), the connections opened,
// and what is left: the extension's own time per step. The emulator and every measured task run in processes
// of their own; the relay (latencyRelay.ts) runs here.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AgentChildResult, AgentJob, AgentTaskResult } from './agentChild';
import { EmulatorProcess, runJob } from './benchProcesses';
import type { TimedRequest } from './emulatorProcess';
import { startLatencyRelay, type LatencyRelay } from './latencyRelay';
import { handshakeMs } from './networkModel';
import { median, spread } from './stats';

const here = path.dirname(new URL(import.meta.url).pathname);
const tsx = { execArgv: ['--import', 'tsx'] };

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    steps: { type: 'string', default: '10' },
    rtt: { type: 'string', default: '40' },
    server: { type: 'string', default: '20' },
    'file-bytes': { type: 'string', default: '2000' },
    out: { type: 'string', default: '.cache/bench' },
  },
});
function count(name: keyof typeof values, least: number): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < least) throw new Error(`--${name} takes a whole number of at least ${least}`);
  return value;
}
const config = { reps: count('reps', 1), steps: count('steps', 2), rttMs: count('rtt', 0), serverMs: count('server', 0), fileBytes: count('file-bytes', 1) };

/** One task, with what the relay and the emulator saw of it. */
interface AgentRun {
  wallMs: number;
  /** The emulator's own time for every chat request of the task (headers in → response closed), summed. */
  emulatorMs: number;
  /** Handshake + one RTT per chat request + emulatorMs: the wall time if the extension took no time at all. */
  floorMs: number;
  /** (wall − floor) / steps. */
  ownMsPerStep: number;
  /** The same for the first step alone (the handshake left out) … */
  firstStepOwnMs: number;
  /** … and the median of the later steps'. */
  laterStepOwnMs: number;
  cpuMsPerStep: number;
  toolMs: number;
  relayConnections: number;
  providerConnections: number;
  /** Requests the provider sent, by method and path. */
  requests: Record<string, number>;
  httpVersions: string[];
}

interface Row {
  protocol: 'HTTP/1.1' | 'HTTP/2';
  /** The measured task: a new connection, code that has run once. */
  runs: AgentRun[];
  /** The process's first task, before it. */
  coldRuns: AgentRun[];
}

function figures(result: AgentTaskResult, chats: TimedRequest[], relayConnections: number, handshake: number): AgentRun {
  if (result.end !== 'done' || result.steps !== config.steps || result.toolCalls !== config.steps - 1) {
    throw new Error(`the task did not run as scripted: ended ${result.end} after ${result.steps} steps and ${result.toolCalls} tool calls`);
  }
  const emulatorMs = chats.reduce((sum, r) => sum + r.handledMs!, 0);
  const floorMs = handshake + config.steps * config.rttMs + emulatorMs;
  // Each step's own time: its time less its request's round trip and the emulator's time (and the first, the handshake).
  const stepOwn = result.stepMs.map((stepMs, i) => stepMs - config.rttMs - chats[i]!.handledMs! - (i === 0 ? handshake : 0));
  return {
    wallMs: result.wallMs,
    emulatorMs,
    floorMs,
    ownMsPerStep: (result.wallMs - floorMs) / config.steps,
    firstStepOwnMs: stepOwn[0]!,
    laterStepOwnMs: median(stepOwn.slice(1)),
    cpuMsPerStep: result.cpuMs / config.steps,
    toolMs: result.toolMs,
    relayConnections,
    providerConnections: result.connectionsOpened,
    requests: result.requests,
    httpVersions: result.httpVersions,
  };
}

async function measureOnce(emulator: EmulatorProcess, relays: { cold: LatencyRelay; warm: LatencyRelay }, job: AgentJob, handshake: number): Promise<{ cold: AgentRun; warm: AgentRun }> {
  await emulator.reset();
  relays.cold.reset();
  relays.warm.reset();
  const result = await runJob<AgentJob, AgentChildResult>(path.join(here, 'agentChild.ts'), job, 'the measured agent task', tsx);
  const chats = (await emulator.requests()).filter((r) => r.path === '/chat/completions');
  if (chats.length !== 2 * config.steps || chats.some((r) => r.handledMs === undefined)) throw new Error(`the emulator saw ${chats.length} chat requests for two tasks of ${config.steps} steps, or one had not ended`);
  return {
    cold: figures(result.cold, chats.slice(0, config.steps), relays.cold.connections(), handshake),
    warm: figures(result.warm, chats.slice(config.steps), relays.warm.connections(), handshake),
  };
}

const ms = (value: number, digits = 0): string => `${value.toFixed(digits)} ms`;

function printTable(rows: Row[], pick: (row: Row) => AgentRun[]): void {
  console.log('| protocol | wall (min–max) | emulator, sum of its times | floor: network + emulator | wall ÷ floor | extension per step | first step / later steps | client CPU per step | connections (relay / provider) | requests |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const row of rows) {
    const runs = pick(row);
    const of = (field: (run: AgentRun) => number): number => median(runs.map(field));
    const range = spread(runs.map((r) => r.wallMs));
    const wall = of((r) => r.wallMs);
    const requests = Object.entries(runs[0]!.requests).map(([p, n]) => `${n} × ${p}`).join(', ');
    console.log(
      `| ${row.protocol} (${runs[0]!.httpVersions.join(', ')}) | ${ms(wall)} (${range.min.toFixed(0)}–${range.max.toFixed(0)}) | ${ms(of((r) => r.emulatorMs))} | ${ms(of((r) => r.floorMs))} | ${(wall / of((r) => r.floorMs)).toFixed(2)} | ${ms(of((r) => r.ownMsPerStep), 1)} | ${ms(of((r) => r.firstStepOwnMs))} / ${ms(of((r) => r.laterStepOwnMs), 1)} | ${ms(of((r) => r.cpuMsPerStep), 1)} | ${of((r) => r.relayConnections)} / ${of((r) => r.providerConnections)} | ${requests} |`,
    );
  }
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const outDir = path.resolve(values.out!);
  mkdirSync(outDir, { recursive: true });
  const emulator = await EmulatorProcess.start(path.join(here, 'emulatorProcess.ts'), { ...tsx, env: { BENCH_SERVER_MS: String(config.serverMs) } });
  let relay: LatencyRelay | undefined;
  let coldRelay: LatencyRelay | undefined;
  try {
    const caPath = path.join(outDir, 'agent-emulator-ca.pem');
    writeFileSync(caPath, emulator.ready.ca);
    relay = await startLatencyRelay({ targetHost: '127.0.0.1', targetPort: emulator.ready.port, oneWayMs: config.rttMs / 2 });
    // The process's first task goes through a second relay with the same delays: no connection carries over.
    coldRelay = await startLatencyRelay({ targetHost: '127.0.0.1', targetPort: emulator.ready.port, oneWayMs: config.rttMs / 2 });
    const relays = { cold: coldRelay, warm: relay };
    const origin = (port: number): string => {
      const url = new URL(emulator.ready.baseUrl);
      url.port = String(port);
      return url.href.replace(/\/$/, '');
    };
    const handshake = handshakeMs({ rttMs: config.rttMs, serverMs: config.serverMs, tlsRoundTrips: await emulator.tlsRoundTrips() });
    console.log(
      `Agent task benchmark: ${config.steps} steps (${config.steps - 1} read_file calls of ${config.fileBytes} bytes, then the answer), RTT ${config.rttMs} ms, server ${config.serverMs} ms, median of ${config.reps}, load average ${loadAtStart.toFixed(1)} on ${os.cpus().length} CPUs.`,
    );
    const rows: Row[] = [
      { protocol: 'HTTP/1.1', runs: [], coldRuns: [] },
      { protocol: 'HTTP/2', runs: [], coldRuns: [] },
    ];
    const job = (row: Row): AgentJob => ({ baseUrl: origin(relay!.port), coldBaseUrl: origin(coldRelay!.port), caPath, allowH2: row.protocol === 'HTTP/2', steps: config.steps, fileBytes: config.fileBytes });
    // A warm-up of each, so the first measurement does not pay for the emulator's first handshakes and JIT.
    for (const row of rows) await measureOnce(emulator, relays, job(row), handshake);
    for (let rep = 0; rep < config.reps; rep++) {
      // Protocols interleaved, alternating which goes first, so a change of load hits both alike.
      for (const row of rep % 2 === 0 ? rows : [...rows].reverse()) {
        const { cold, warm } = await measureOnce(emulator, relays, job(row), handshake);
        row.runs.push(warm);
        row.coldRuns.push(cold);
        process.stdout.write(`\r  run ${rep + 1}/${config.reps} ${row.protocol}: ${warm.wallMs.toFixed(0)} ms (first task ${cold.wallMs.toFixed(0)} ms)        `);
      }
    }
    const loadAtEnd = os.loadavg()[0] ?? 0;
    process.stdout.write('\n');
    console.log(`\nNetwork's share of a task: handshake ${handshake} ms (TCP + TLS) + ${config.steps} × RTT ${config.rttMs} ms; the emulator's is its own time per request (${config.serverMs} ms think time, then the answer).`);
    console.log('\nThe measured task (a new connection; the process has run the same task once before):\n');
    printTable(rows, (row) => row.runs);
    console.log("\nThe process's first task (every piece of code runs for the first time):\n");
    printTable(rows, (row) => row.coldRuns);
    const h2 = rows[1]!;
    const h2Connections = Math.max(...h2.runs.map((r) => r.relayConnections));
    console.log(`\nGoal, one connection for the whole task over HTTP/2: ${h2Connections === 1 ? 'MET' : 'MISSED'} (at most ${h2Connections} in ${h2.runs.length} runs; HTTP/1.1 at most ${Math.max(...rows[0]!.runs.map((r) => r.relayConnections))}).`);
    console.log(`Median of ${config.reps}; load average ${loadAtStart.toFixed(1)} → ${loadAtEnd.toFixed(1)}. Each task is a fresh process and a cold provider: the handshake is included.`);
    const file = path.join(outDir, 'agent.json');
    writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, config, handshakeMs: handshake, loadAverage: { start: loadAtStart, end: loadAtEnd }, goalMet: h2Connections === 1, rows }, null, 2));
    console.log(`Saved ${path.relative(process.cwd(), file)}`);
  } finally {
    await relay?.close();
    await coldRelay?.close();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

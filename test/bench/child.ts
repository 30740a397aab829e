// One measurement in a fresh process: build a client, run one workload through the relay, report wall
// time and this process's CPU time to the parent over IPC.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { loadClient, type ClientFactory } from './clients';
import type { ClientKind, WorkloadKind, WorkloadSizes } from './config';
import { WARM_UP_ROUNDS, runWorkload, warmUp } from './workloads';

export interface ChildJob {
  client: ClientKind;
  workload: WorkloadKind;
  sizes: WorkloadSizes;
  /** Through the latency relay: the measured calls. */
  baseUrl: string;
  /** A second relay in front of the emulator: warm-up calls, which the measuring relay never sees. */
  warmUpBaseUrl: string;
  apiKey: string;
  /** When set, a V8 CPU profile of the measured part only is written here. */
  profilePath?: string;
}

export interface ChildResult {
  wallMs: number;
  cpuMs: number;
  requests: number;
  chunks?: number;
  /** The client's own count of connections opened, when it keeps one. */
  clientConnections?: number;
  /** Time from process start to the clock starting (module loading, warm-up). */
  setupMs: number;
  /** Streaming only: CPU of each steady-state stream (see steadyStreams). */
  steadyCpuMs?: number[];
}

/** Streams measured one by one after the measured part, on one kept connection, for the CPU per chunk. */
const STEADY_STREAMS = 5;

/**
 * The cost of a chunk once a process has settled. The measured stream's CPU also carries what is paid
 * once per stream or per process (the TLS handshake, the garbage collector and compiler threads still
 * busy after the warm-up: ~40–50 ms for every client alike), which would blur a per-chunk comparison.
 * Runs on the warm-up relay so the measuring relay's connection count stays the measured part's.
 */
async function steadyStreamCpu(createClient: ClientFactory, job: ChildJob): Promise<number[]> {
  const client = createClient({ baseUrl: job.warmUpBaseUrl, apiKey: job.apiKey });
  try {
    // The first stream opens the connection; the ones measured reuse it.
    await runWorkload('streaming', client, job.sizes);
    const samples: number[] = [];
    for (let i = 0; i < STEADY_STREAMS; i++) {
      const start = process.cpuUsage();
      await runWorkload('streaming', client, job.sizes);
      samples.push(cpuMsSince(start));
    }
    return samples;
  } finally {
    await client.close();
  }
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function measure(job: ChildJob): Promise<ChildResult> {
  // Cold start measures everything cold; every other workload first runs on a separate origin so the
  // clock sees steady-state code behind a cold connection, as in a long-running editor session.
  const createClient = await loadClient(job.client);
  if (job.workload !== 'cold-start') {
    for (let round = 0; round < WARM_UP_ROUNDS; round++) {
      const warm = createClient({ baseUrl: job.warmUpBaseUrl, apiKey: job.apiKey });
      await warmUp(warm, job.workload, job.sizes);
      await warm.close();
    }
  }
  const profiler = job.profilePath ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const setupMs = performance.now();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const client = createClient({ baseUrl: job.baseUrl, apiKey: job.apiKey });
  const output = await runWorkload(job.workload, client, job.sizes);
  const wallMs = performance.now() - wallStart;
  const cpuMs = cpuMsSince(cpuStart);
  if (profiler && job.profilePath) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(job.profilePath, JSON.stringify(profile));
    profiler.disconnect();
  }
  const clientConnections = client.connectionsOpened?.();
  await client.close();
  const steadyCpuMs = job.workload === 'streaming' ? await steadyStreamCpu(createClient, job) : undefined;
  return { wallMs, cpuMs, requests: output.requests, chunks: output.chunks, clientConnections, setupMs, steadyCpuMs };
}

process.once('message', (job: ChildJob) => {
  measure(job).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});

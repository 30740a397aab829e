// What each client is asked to do. The same calls for every client; each checks its answer's size so a
// client cannot look fast by doing less.
import type { BenchClient } from './clients';
import type { WorkloadKind, WorkloadSizes } from './config';

export interface WorkloadOutput {
  requests: number;
  /** Content chunks received (streaming only). */
  chunks?: number;
}

function prompt(i: number): string {
  return `Benchmark question ${i}: say something short.`;
}

export function streamPrompt(chunks: number): string {
  return `Tell a long story. [[chunks:${chunks}]]`;
}

async function sequential(client: BenchClient, n: number): Promise<WorkloadOutput> {
  for (let i = 0; i < n; i++) await client.chat(prompt(i));
  return { requests: n };
}

async function concurrent(client: BenchClient, n: number): Promise<WorkloadOutput> {
  await Promise.all(Array.from({ length: n }, (_, i) => client.chat(prompt(i))));
  return { requests: n };
}

/** A session as the extension makes it: catalogue, key, balance, a conversation, and its cost. */
async function sessionMix(client: BenchClient): Promise<WorkloadOutput> {
  const models = await client.models();
  if (models < 10) throw new Error(`GET /models returned only ${models} models`);
  await client.key();
  await client.credits();
  let requests = 3;
  for (let turn = 0; turn < 3; turn++) {
    const { id } = await client.chat(prompt(turn));
    await client.generation(id);
    requests += 2;
  }
  await client.key();
  return { requests: requests + 1 };
}

async function streaming(client: BenchClient, chunks: number): Promise<WorkloadOutput> {
  const result = await client.stream(streamPrompt(chunks));
  if (result.contentChunks !== chunks) throw new Error(`expected ${chunks} content chunks, got ${result.contentChunks}`);
  return { requests: 1, chunks: result.contentChunks };
}

/** Several long answers at once: over HTTP/2 they share one connection and its flow-control window. */
async function streamingParallel(client: BenchClient, streams: number, chunks: number): Promise<WorkloadOutput> {
  const outputs = await Promise.all(Array.from({ length: streams }, () => streaming(client, chunks)));
  return { requests: streams, chunks: outputs.reduce((sum, output) => sum + (output.chunks ?? 0), 0) };
}

export function runWorkload(kind: WorkloadKind, client: BenchClient, sizes: WorkloadSizes): Promise<WorkloadOutput> {
  switch (kind) {
    case 'sequential':
      return sequential(client, sizes.sequential);
    case 'concurrent':
      return concurrent(client, sizes.concurrent);
    case 'session-mix':
      return sessionMix(client);
    case 'streaming':
      return streaming(client, sizes.streamChunks);
    case 'streaming-parallel':
      return streamingParallel(client, sizes.parallelStreams, sizes.streamChunks);
    case 'cold-start':
      return sequential(client, 1);
  }
}

/**
 * Warm-up rounds, each with a client of its own. The measured part starts with a new client on a new
 * connection: a client that opens one connection per call (the "before") would otherwise be the only
 * one whose connection set-up code had run often enough to be compiled, and a pooled client pays that
 * JIT work in its measured part (~40 ms of CPU, enough to slow its stream's wall time by 15 %).
 */
export const WARM_UP_ROUNDS = 3;

/**
 * Full-length streams per round before the streaming workload's clock starts (6 in all). A process's
 * first long streams pay for the JIT compiling their hot path, and process CPU time counts the compiler
 * threads: measured one stream at a time, the provider's CPU per 1,000 chunks fell from ~52 ms (1st
 * stream) to ~18 (2nd) and ~8–10 (3rd on), the openai SDK's from ~58 to ~42, ~23, and ~20 from the 5th on.
 * A running editor paid that long ago.
 */
export const STREAM_WARM_UPS = 2;

/**
 * One call of every kind a workload uses, so code is loaded and compiled before the clock starts; the
 * streaming workload also streams its full length STREAM_WARM_UPS times. Run once per warm-up round.
 */
export async function warmUp(client: BenchClient, workload: WorkloadKind, sizes: WorkloadSizes): Promise<void> {
  const { id } = await client.chat(prompt(0));
  await client.generation(id);
  const long = workload === 'streaming' || workload === 'streaming-parallel';
  const streams = long ? STREAM_WARM_UPS : 1;
  for (let i = 0; i < streams; i++) await client.stream(streamPrompt(long ? sizes.streamChunks : 200));
  if (workload === 'streaming-parallel') await streamingParallel(client, sizes.parallelStreams, sizes.streamChunks);
  await client.models();
  await client.key();
  await client.credits();
  await Promise.all([client.chat(prompt(1)), client.chat(prompt(2))]);
}

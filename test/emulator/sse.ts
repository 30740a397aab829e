// Writes a response body event by event (SSE) or in one piece (JSON), applying the body-level faults:
// drops, stalls, slow events, holds until released, a mid-stream error chunk, keep-alive comments first.
import type { Fault } from './types';
import type { Exchange } from './exchange';

export type Outcome = 'completed' | 'client-aborted' | 'dropped' | 'stalled' | 'errored';

const defaultAfterChunks = 2;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}

export const sseHeaders = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

export function sseEvent(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

async function keepalives(ex: Exchange, fault: Fault | undefined, line: string): Promise<void> {
  if (fault?.type !== 'keepalive-first') return;
  for (let i = 0; i < fault.count && ex.alive; i++) {
    await ex.write(line);
    await pause(fault.intervalMs);
  }
}

export interface SseOptions {
  fault?: Fault;
  chunkDelayMs: number;
  headers: Record<string, string | number>;
  /** The chunk OpenRouter sends when generation fails after it started. */
  errorChunk: (code: number | string, message: string) => unknown;
  /** For a `hold` fault: resolves when the held stream may go on. */
  released?: Promise<void>;
  /** Called after each event is handed to the socket, with how many were sent so far. */
  onSent?: (count: number) => void;
}

export async function sendSse(ex: Exchange, events: unknown[], opts: SseOptions): Promise<Outcome> {
  const { fault } = opts;
  ex.writeHead(200, { ...sseHeaders, ...opts.headers });
  // Headers (with X-Generation-Id) go out at once, as OpenRouter's do, even if no event follows.
  ex.flushHeaders();
  await keepalives(ex, fault, ': OPENROUTER PROCESSING\n\n');
  const delay = fault?.type === 'slow-chunks' ? fault.delayMs : opts.chunkDelayMs;
  const cutAt = fault?.type === 'drop-mid-stream' || fault?.type === 'stall' || fault?.type === 'error-chunk' ? (fault.afterChunks ?? defaultAfterChunks) : Infinity;
  const holdAt = fault?.type === 'hold' && opts.released ? (fault.afterChunks ?? defaultAfterChunks) : Infinity;
  for (let i = 0; i < events.length; i++) {
    if (!ex.alive) return 'client-aborted';
    if (i >= cutAt) return cut(ex, fault, opts);
    if (i === holdAt) await Promise.race([opts.released, ex.finished]);
    if (i > 0) await pause(delay);
    if (!ex.alive) return 'client-aborted';
    await ex.write(sseEvent(events[i]));
    opts.onSent?.(i + 1);
  }
  if (!ex.alive) return 'client-aborted';
  if (cutAt !== Infinity && events.length <= cutAt) return cut(ex, fault, opts);
  await ex.write(sseEvent('[DONE]'));
  ex.end();
  return ex.clientGone ? 'client-aborted' : 'completed';
}

async function cut(ex: Exchange, fault: Fault | undefined, opts: SseOptions): Promise<Outcome> {
  if (fault?.type === 'drop-mid-stream') {
    ex.drop();
    return 'dropped';
  }
  if (fault?.type === 'error-chunk') {
    await ex.write(sseEvent(opts.errorChunk(fault.code ?? 502, fault.message ?? 'Provider returned error')));
    ex.end();
    return 'errored';
  }
  await ex.finished;
  return ex.droppedByServer ? 'dropped' : ex.clientGone ? 'client-aborted' : 'stalled';
}

/** A JSON body, cut or stalled halfway for the body faults (OpenRouter pads slow JSON answers with whitespace). */
export async function sendJsonBody(ex: Exchange, status: number, body: unknown, fault: Fault | undefined, headers: Record<string, string | number> = {}): Promise<Outcome> {
  const text = JSON.stringify(body);
  const padding = fault?.type === 'keepalive-first' ? '\n'.repeat(fault.count) : '';
  ex.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(padding + text), ...headers });
  if (fault?.type === 'keepalive-first') {
    for (let i = 0; i < fault.count && ex.alive; i++) {
      await ex.write('\n');
      await pause(fault.intervalMs);
    }
  }
  if (fault?.type === 'drop-mid-stream' || fault?.type === 'stall') {
    await ex.write(text.slice(0, Math.floor(text.length / 2)));
    if (fault.type === 'drop-mid-stream') {
      ex.drop();
      return 'dropped';
    }
    await ex.finished;
    return ex.droppedByServer ? 'dropped' : 'client-aborted';
  }
  if (!ex.alive) return 'client-aborted';
  ex.end(text);
  return 'completed';
}

// The emulator in a process of its own, so its TLS and JSON work never delays the relay's timers or the
// client being measured. Controlled by the benchmark runner over IPC.
import { readFileSync } from 'node:fs';
import { startEmulator } from '../emulator/index';

export type EmulatorRequest = { type: 'counters' } | { type: 'requests' } | { type: 'reset' } | { type: 'close' };

/** A seen request without its headers and body, for the runner: where it went and the emulator's own time. */
export interface TimedRequest {
  method: string;
  path: string;
  httpVersion: string;
  connectionId: number;
  handledMs?: number;
}

export interface EmulatorReady {
  type: 'ready';
  baseUrl: string;
  port: number;
  ca: string;
}

async function main(): Promise<void> {
  const serverDelayMs = Number(process.env.BENCH_SERVER_MS ?? '20');
  // Pacing between streamed chunks (the compare benchmark's streams take a while, as real ones do).
  const chunkDelayMs = Number(process.env.BENCH_CHUNK_MS ?? '0');
  // The text the completions benchmark types: the emulator predicts each line's rest from it.
  const corpusFile = process.env.BENCH_COMPLETION_CORPUS;
  const completionCorpus = corpusFile ? readFileSync(corpusFile, 'utf8') : undefined;
  const emulator = await startEmulator({ tls: true, serverDelayMs, chunkDelayMs, generationReadyAfterMs: 0, completionCorpus });
  if (!emulator.ca) throw new Error('the emulator started without TLS');
  const ready: EmulatorReady = { type: 'ready', baseUrl: emulator.baseUrl, port: emulator.port, ca: emulator.ca };
  process.send?.(ready);
  process.on('message', (message: EmulatorRequest) => {
    switch (message.type) {
      case 'counters':
        process.send?.({ type: 'counters', counters: emulator.counters() });
        break;
      case 'requests': {
        const requests: TimedRequest[] = emulator.requests().map(({ method, path, httpVersion, connectionId, handledMs }) => ({ method, path, httpVersion, connectionId, ...(handledMs !== undefined ? { handledMs } : {}) }));
        process.send?.({ type: 'requests', requests });
        break;
      }
      case 'reset':
        emulator.reset();
        process.send?.({ type: 'reset' });
        break;
      case 'close':
        void emulator.close().then(() => process.exit(0));
        break;
    }
  });
  process.on('disconnect', () => void emulator.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

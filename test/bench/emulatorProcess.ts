// The emulator in a process of its own, so its TLS and JSON work never delays the relay's timers or the
// client being measured. Controlled by the benchmark runner over IPC.
import { startEmulator } from '../emulator/index';

export type EmulatorRequest = { type: 'counters' } | { type: 'reset' } | { type: 'close' };

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
  const emulator = await startEmulator({ tls: true, serverDelayMs, chunkDelayMs, generationReadyAfterMs: 0 });
  if (!emulator.ca) throw new Error('the emulator started without TLS');
  const ready: EmulatorReady = { type: 'ready', baseUrl: emulator.baseUrl, port: emulator.port, ca: emulator.ca };
  process.send?.(ready);
  process.on('message', (message: EmulatorRequest) => {
    switch (message.type) {
      case 'counters':
        process.send?.({ type: 'counters', counters: emulator.counters() });
        break;
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

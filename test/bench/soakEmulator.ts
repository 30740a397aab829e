// The soak's emulator, in this process (quick, for the unit test) or in its own (so the heap measured is
// the client's alone: the emulator keeps thousands of generations for /generation).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'undici';
import { startEmulator } from '../emulator/index';
import type { EmulatorCounters } from '../emulator/types';

export interface SoakEmulator {
  baseUrl: string;
  counters(): Promise<EmulatorCounters>;
  close(): Promise<void>;
}

export async function startSoakEmulator(where: 'in-process' | 'child'): Promise<SoakEmulator> {
  if (where === 'in-process') {
    const emulator = await startEmulator();
    return { baseUrl: emulator.baseUrl, counters: async () => emulator.counters(), close: () => emulator.close() };
  }
  const cli = path.join(__dirname, '..', 'emulator', 'cli.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', cli], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const { baseUrl } = JSON.parse(line) as { baseUrl: string };
  const origin = new URL(baseUrl).origin;
  return {
    baseUrl,
    counters: async () => {
      const control = new Client(origin);
      try {
        const res = await control.request({ path: '/__emulator/counters', method: 'GET' });
        const counters = (await res.body.json()) as EmulatorCounters;
        // The control connection asking is open too; it is not the provider's.
        return { ...counters, openConnections: counters.openConnections - 1, connectionsAccepted: counters.connectionsAccepted - 1 };
      } finally {
        await control.destroy();
      }
    },
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

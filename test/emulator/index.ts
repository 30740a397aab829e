// Entry point of the loopback OpenRouter emulator (see README.md in this folder).
import { EmulatorServer } from './server';
import type { Emulator, EmulatorOptions } from './types';

export type * from './types';
export { keyFingerprint } from './accounts';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return EmulatorServer.start(options);
}

// Shared setup for the provider tests: a real emulator on loopback and a provider pointed at it.
import { TEST_KEY as KEY } from '../emulator/accounts';
import { startEmulator } from '../emulator/index';
import type { Emulator, EmulatorOptions } from '../emulator/types';
import { OpenRouterProvider, type ProviderOptions, type RequestRecord } from '../../src/openrouter/index';

export { TEST_KEY as KEY, MANAGEMENT_KEY } from '../emulator/accounts';
export const MODEL = 'emulator/echo';

export interface Rig {
  emulator: Emulator;
  provider: OpenRouterProvider;
  records: RequestRecord[];
  /** Another provider on the same emulator and transport, closed after the test. */
  make(options?: Partial<ProviderOptions>): OpenRouterProvider;
}

/** The transports every behaviour is proven over. */
export const TRANSPORTS: ReadonlyArray<{ name: string; emulator: EmulatorOptions; provider: Partial<ProviderOptions> }> = [
  { name: 'HTTP/1.1', emulator: {}, provider: {} },
  { name: 'HTTP/2 over TLS', emulator: { tls: true }, provider: { allowH2: true } },
];

/** Starts an emulator and a provider with fast retries; closes both after the test. */
export function useRig(emulatorOptions: EmulatorOptions = {}, providerOptions: Partial<ProviderOptions> = {}): () => Rig {
  let rig: Rig | undefined;
  let extra: OpenRouterProvider[] = [];
  beforeEach(async () => {
    const emulator = await startEmulator(emulatorOptions);
    const make = (options: Partial<ProviderOptions> = {}): OpenRouterProvider => {
      const provider = makeProvider(emulator, { ...providerOptions, ...options });
      extra.push(provider);
      return provider;
    };
    rig = { emulator, provider: makeProvider(emulator, providerOptions), records: [], make };
    const { records } = rig;
    rig.provider.onRequest((record) => records.push(record));
  });
  afterEach(async () => {
    await Promise.all(extra.map((provider) => provider.close()));
    extra = [];
    await rig?.provider.close();
    await rig?.emulator.close();
    rig = undefined;
  });
  return () => {
    if (!rig) throw new Error('rig used outside a test');
    return rig;
  };
}

export function makeProvider(emulator: Emulator, options: Partial<ProviderOptions> = {}): OpenRouterProvider {
  return new OpenRouterProvider({
    apiKey: KEY,
    baseUrl: emulator.baseUrl,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 50,
    ...(emulator.ca ? { ca: emulator.ca } : {}),
    ...options,
  });
}

export function chat(content: string, model = MODEL): { model: string; messages: Array<{ role: 'user'; content: string }> } {
  return { model, messages: [{ role: 'user', content }] };
}

/** Resolves with the rejection of `promise`, failing when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

// Mocha set-up for tests behind nginx: one emulator and one nginx in front of it per suite, fresh
// providers per test (closed after it), and the emulator's counts zeroed before each test.
import { startEmulator } from '../../emulator/index';
import type { Emulator } from '../../emulator/types';
import { OpenRouterProvider, type ProviderOptions } from '../../../src/openrouter/index';
import { KEY } from '../providerHarness';
import { nginxAvailable, startNginx, type Nginx, type NginxOptions } from './nginx';

export interface NginxRig {
  emulator: Emulator;
  nginx: Nginx;
  /** nginx's port on 127.0.0.1. */
  port: number;
  /** A provider pointed at nginx, trusting its test CA; closed after the test. */
  make(options?: Partial<ProviderOptions>): OpenRouterProvider;
  /** POSTs of completions the emulator (behind nginx) received. */
  completionsUpstream(): number;
}

export function useNginxRig(options: Omit<NginxOptions, 'upstreamPort'> = {}): () => NginxRig {
  let rig: NginxRig | undefined;
  let providers: OpenRouterProvider[] = [];
  before(async function () {
    this.timeout(30_000);
    if (!nginxAvailable()) throw new Error('Debian nginx with http_ssl and http_v2 is needed: apt-get install nginx-light');
    const emulator = await startEmulator();
    const nginx = await startNginx({ ...options, upstreamPort: Number(new URL(emulator.baseUrl).port) });
    rig = {
      emulator,
      nginx,
      port: Number(new URL(nginx.baseUrl).port),
      make: (overrides = {}) => {
        const provider = new OpenRouterProvider({ apiKey: KEY, baseUrl: nginx.baseUrl, ca: nginx.ca, retryBaseDelayMs: 500, ...overrides });
        providers.push(provider);
        return provider;
      },
      completionsUpstream: () => emulator.counters().requestsByPath['/chat/completions'] ?? 0,
    };
  });
  beforeEach(() => rig?.emulator.reset());
  afterEach(async () => {
    await Promise.all(providers.map((provider) => provider.close()));
    providers = [];
  });
  after(async () => {
    await rig?.nginx.stop();
    await rig?.emulator.close();
    rig = undefined;
  });
  return () => {
    if (!rig) throw new Error('nginx rig used outside a test');
    return rig;
  };
}

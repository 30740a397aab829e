// The settings and the provider host of the extension, under the vscode stand-in, pointed at a loopback
// emulator: what the unit tests of the features built on the host start from.
import { Settings } from '../../../src/config/settings';
import { WorkspaceConsent } from '../../../src/config/workspaceConsent';
import { ProviderHost } from '../../../src/host/providerHost';
import type { ProviderEnvironment } from '../../../src/host/providerHost';
import type { ApiKeyStore } from '../../../src/apiKey/apiKeyStore';
import type { Log } from '../../../src/log/logger';
import { OpenRouterProvider } from '../../../src/openrouter';
import type { Emulator } from '../../emulator';

/** A log that drops every line. */
import { silentLog } from '../../support/silentLog';

export const silent = silentLog;

type Memento = ConstructorParameters<typeof WorkspaceConsent>[0];

/** A workspace state kept in memory. */
export function memoryMemento(): Memento {
  const state = new Map<string, unknown>();
  const memento = {
    keys: () => [...state.keys()],
    get: <T>(key: string, fallback?: T) => (state.has(key) ? (state.get(key) as T) : fallback),
    update: (key: string, value: unknown) => Promise.resolve(void state.set(key, value)),
  };
  return memento as unknown as Memento;
}

/** The consent every settings reader goes through, over a workspace state (in memory unless given). */
export function workspaceConsent(log: Log = silent, memento: Memento = memoryMemento()): WorkspaceConsent {
  return new WorkspaceConsent(memento, log);
}

export function hostOn(emulator: Emulator, keys: ApiKeyStore, options: { log?: Log; environment?: ProviderEnvironment } = {}): { settings: Settings; host: ProviderHost } {
  const log = options.log ?? silent;
  const settings = new Settings(log, workspaceConsent(log), { OPENROUTER_BASE_URL: emulator.baseUrl });
  const host = new ProviderHost(settings, keys, log, (providerOptions) => new OpenRouterProvider(providerOptions), options.environment);
  return { settings, host };
}

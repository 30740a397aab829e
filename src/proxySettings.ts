// The proxy the provider uses, from VS Code's `http.*` settings and the HTTPS_PROXY/HTTP_PROXY/NO_PROXY
// environment. The provider speaks through undici, not VS Code's patched fetch, so it must be told.
// No vscode import: the caller passes the `http` configuration section, so this is unit-tested under Node.
import { proxyFor } from './openrouter/proxy';
import type { ProxyOptions } from './openrouter/types';

/** The `http` configuration section, or anything with its `get`. */
export interface HttpConfiguration {
  get<T>(key: string): T | undefined;
}

/** Settings under `http.` whose change means a new provider. */
export const proxySettingSections: readonly string[] = ['http.proxy', 'http.noProxy', 'http.proxyStrictSSL', 'http.proxySupport'];

export interface ProxyChoice {
  /** Undefined: connect directly. */
  proxy?: ProxyOptions;
  /** Where the proxy URL came from, for the log. */
  source?: 'http.proxy' | 'environment';
  /** A sentence for the user when the proxy setting was unusable and a direct connection is used. */
  problem?: string;
}

const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

function envValue(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

function listSetting(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

/**
 * `http.proxy` wins over the environment; `http.noProxy` and NO_PROXY both apply. A proxy inherited from
 * the environment never carries loopback traffic (a local gateway or emulator), as browsers behave;
 * an explicit `http.proxy` does unless noProxy says otherwise. `http.proxySupport: off` turns it all off.
 */
export function proxyChoice(baseUrl: string, http: HttpConfiguration, env: NodeJS.ProcessEnv = process.env): ProxyChoice {
  if (http.get<string>('proxySupport') === 'off') return {};
  const https = baseUrl.trim().toLowerCase().startsWith('https:');
  const setting = http.get<string>('proxy');
  const fromSetting = typeof setting === 'string' && setting.trim() !== '' ? setting.trim() : undefined;
  const fromEnv = https
    ? envValue(env, 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy')
    : envValue(env, 'HTTP_PROXY', 'http_proxy');
  const url = fromSetting ?? fromEnv;
  if (!url) return {};
  const source = fromSetting ? 'http.proxy' : 'environment';
  const noProxy = [...listSetting(http.get('noProxy')), ...(envValue(env, 'NO_PROXY', 'no_proxy')?.split(/[\s,]+/) ?? [])];
  if (source === 'environment') noProxy.push(...LOOPBACK);
  const strictSSL = http.get<boolean>('proxyStrictSSL');
  const proxy: ProxyOptions = { url, noProxy, strictSSL: strictSSL !== false };
  try {
    proxyFor(baseUrl, proxy);
  } catch (error) {
    const where = source === 'http.proxy' ? 'http.proxy' : 'The HTTPS_PROXY/HTTP_PROXY environment variable';
    return { problem: `${where}: ${error instanceof Error ? error.message : String(error)} Connecting directly.` };
  }
  return { proxy, source };
}

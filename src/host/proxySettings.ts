// The proxy and trusted certificates the provider uses, from VS Code's `http.*` settings and the
// HTTPS_PROXY/HTTP_PROXY/NO_PROXY environment. The provider keeps its own connection pool rather than VS Code's
// patched fetch, so it must be told. No vscode import: the caller passes the `http` configuration section (and
// VS Code's proxy resolver), so this is unit-tested under Node.
import { proxyFor } from '../openrouter/proxy';
import { redactSecrets } from '../openrouter/redact';
import type { ProxyOptions } from '../openrouter/types';
import { errorText } from '../util/errorText';

/** The `http` configuration section, or anything with its `get`. */
export interface HttpConfiguration {
  get<T>(key: string): T | undefined;
}

/** Settings under `http.` whose change means a new provider. */
export const proxySettingSections: readonly string[] = [
  'http.proxy',
  'http.noProxy',
  'http.proxyStrictSSL',
  'http.proxySupport',
  'http.proxyAuthorization',
  'http.systemCertificates',
  'http.systemCertificatesNode',
];

export interface ProxyChoice {
  /** Undefined: connect directly. */
  proxy?: ProxyOptions;
  /** Where the proxy URL came from, for the log; `system`: VS Code's resolver decides at the first connection. */
  source?: 'http.proxy' | 'environment' | 'system';
  /** A sentence for the user when the configured proxy is unusable: then `proxy.unusable` fails every connection. */
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
 * an explicit `http.proxy` does unless noProxy says otherwise. With neither, `systemResolver` (VS Code's own
 * resolution: PAC file, OS proxy settings) is asked at the first connection. `http.proxyAuthorization` is
 * sent to the proxy unless its URL carries credentials. `http.proxySupport: off` turns it all off.
 */
export function proxyChoice(
  baseUrl: string,
  http: HttpConfiguration,
  env: NodeJS.ProcessEnv = process.env,
  systemResolver?: (origin: string) => Promise<string | undefined>,
): ProxyChoice {
  if (http.get<string>('proxySupport') === 'off') return {};
  const authorizationSetting = http.get<string | null>('proxyAuthorization');
  const authorization = typeof authorizationSetting === 'string' && authorizationSetting.trim() !== '' ? { authorization: authorizationSetting.trim() } : {};
  const strictSSL = http.get<boolean>('proxyStrictSSL') !== false;
  const https = baseUrl.trim().toLowerCase().startsWith('https:');
  const setting = http.get<string>('proxy');
  const fromSetting = typeof setting === 'string' && setting.trim() !== '' ? setting.trim() : undefined;
  const fromEnv = https
    ? envValue(env, 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy')
    : envValue(env, 'HTTP_PROXY', 'http_proxy');
  const url = fromSetting ?? fromEnv;
  const noProxy = [...listSetting(http.get('noProxy')), ...(envValue(env, 'NO_PROXY', 'no_proxy')?.split(/[\s,]+/) ?? [])];
  if (!url) return systemResolver ? { proxy: { noProxy, strictSSL, ...authorization, resolve: systemResolver }, source: 'system' } : {};
  const source = fromSetting ? 'http.proxy' : 'environment';
  if (source === 'environment') noProxy.push(...LOOPBACK);
  const proxy: ProxyOptions = { url, noProxy, strictSSL, ...authorization };
  try {
    proxyFor(baseUrl, proxy);
  } catch (error) {
    // Fail closed: a proxy the user chose but that cannot be used is an error, never a direct connection.
    const fix = source === 'http.proxy' ? 'correct or clear the http.proxy setting' : 'correct or unset HTTPS_PROXY/HTTP_PROXY and restart VS Code';
    const where = source === 'http.proxy' ? 'http.proxy' : 'The HTTPS_PROXY/HTTP_PROXY environment variable';
    const problem = redactSecrets(`${where}: ${errorText(error)} OpenRouter is not contacted until you ${fix}.`);
    return { proxy: { unusable: problem }, source, problem };
  }
  return { proxy, source };
}

export interface CertificateChoice {
  /** Trust the operating system's certificate store (`http.systemCertificates`, on by default). */
  system: boolean;
  /** Read it through Node, as VS Code does when `http.systemCertificatesNode` is on. */
  fromNode: boolean;
}

export function certificateChoice(http: HttpConfiguration): CertificateChoice {
  return { system: http.get<boolean>('systemCertificates') !== false, fromNode: http.get<boolean>('systemCertificatesNode') !== false };
}

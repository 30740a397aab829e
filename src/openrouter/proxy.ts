// Reaching OpenRouter through an HTTP(S) proxy: which origins use it, and CONNECT tunnels the pool keeps alive.
import type { LookupFunction, Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { Pool, buildConnector } from 'undici';
import { ConfigError, ConnectionError, OpenRouterError, TimeoutError } from './errors';
import type { ProxyOptions } from './types';
import { withoutCredentials } from './redact';
import { loadUndici } from './undici';
import { errorText } from './errors';

/** Splits a NO_PROXY-style value (commas or whitespace) into lower-case entries. */
export function parseNoProxy(value: string | readonly string[] | undefined): string[] {
  const items = typeof value === 'string' ? value.split(/[\s,]+/) : [...(value ?? [])].flatMap((item) => String(item).split(/[\s,]+/));
  return items.map((item) => item.trim().toLowerCase()).filter((item) => item !== '');
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** True when `origin` matches a noProxy entry (curl's rules: exact host, domain suffix, optional port, `*`). */
export function bypassesProxy(origin: URL, noProxy: readonly string[]): boolean {
  const host = origin.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = origin.port || defaultPort(origin.protocol);
  for (const raw of parseNoProxy(noProxy)) {
    if (raw === '*') return true;
    // A bare IPv6 address has colons but no port; `[addr]:port` and `host:port` may carry one.
    const match = raw.split(':').length > 2 && !raw.startsWith('[') ? [raw, raw, undefined] : /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(raw);
    if (!match) continue;
    const entryPort = match[2];
    if (entryPort && entryPort !== port) continue;
    const entry = (match[1] ?? '').replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (entry === '') continue;
    if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/** The proxy to use for `origin`, or undefined for a direct connection. A bad proxy URL is a ConfigError. */
export function proxyFor(origin: string, options: ProxyOptions | undefined): URL | undefined {
  const raw = options?.url?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    // VS Code and curl accept `host:port` without a scheme; it means an http proxy.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new ConfigError(`The proxy setting "${withoutCredentials(raw)}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`The proxy ${describeProxy(url)} is not supported: only http:// and https:// proxies are.`);
  }
  return bypassesProxy(new URL(origin), options?.noProxy ?? []) ? undefined : url;
}

/** The proxy's address for messages: never its user name or password. */
export function describeProxy(url: URL): string {
  return `${url.protocol}//${url.host}`;
}


const REASONS: Record<number, string> = {
  403: 'Forbidden: the proxy does not allow this destination',
  407: 'Proxy Authentication Required: check http.proxyAuthorization or the user name and password in the proxy URL; Kerberos, NTLM and credential prompts are not supported',
};

const TLS_CODES = /^(CERT_|ERR_TLS_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_(GET|VERIFY)_|ERR_SSL_)/;

export interface ProxyTunnelOptions {
  connectMs: number;
  /** The trusted CAs, parsed once, for an https proxy's certificate (default: Node's built-in roots). */
  secureContext?: SecureContext;
  /** `Proxy-Authorization` value sent with each CONNECT when the proxy URL carries no credentials. */
  authorization?: string;
  /** Verify an https proxy's certificate; default true. */
  strictSSL?: boolean;
  lookup?: LookupFunction;
}

/**
 * Opens each pooled connection as a CONNECT tunnel through the proxy, then TLS to the origin inside it
 * (verified against the origin's trusted CAs, whatever the proxy settings). The pool keeps the tunnelled
 * sockets alive like direct ones, so sequential calls share one tunnel.
 */
export class ProxyTunnel {
  private pool: Pool | undefined;
  private readonly proxyOrigin: string;
  private readonly authorization: string | undefined;
  readonly display: string;

  constructor(proxy: URL, private readonly options: ProxyTunnelOptions) {
    this.display = describeProxy(proxy);
    this.authorization = proxy.username || proxy.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
      : options.authorization?.trim() || undefined;
    this.proxyOrigin = proxy.origin;
  }

  /** Made on the first tunnel, so a configured but unused proxy costs nothing. */
  private get proxyPool(): Pool {
    if (this.pool) return this.pool;
    const { options } = this;
    const https = this.proxyOrigin.startsWith('https:');
    const trust = options.secureContext ? { secureContext: options.secureContext } : {};
    const tls = https ? { ...trust, ...(options.strictSSL === false ? { rejectUnauthorized: false } : {}) } : {};
    const { Pool: UndiciPool, buildConnector: connectorFor } = loadUndici();
    // Each CONNECT takes its socket away from this pool, so it never keeps idle connections to the proxy.
    this.pool = new UndiciPool(this.proxyOrigin, {
      connections: null,
      headersTimeout: options.connectMs,
      connect: connectorFor({ ...tls, timeout: options.connectMs, ...(options.lookup ? { lookup: options.lookup } : {}) } as buildConnector.BuildOptions),
    });
    return this.pool;
  }

  /** A connector for the pool: tunnel first, then `originOptions` (TLS, ALPN, CA) over the tunnel. */
  connector(originOptions: buildConnector.BuildOptions): buildConnector.connector {
    const toOrigin = loadUndici().buildConnector(originOptions);
    return (opts, callback) => {
      const authority = opts.port ? `${opts.hostname}:${opts.port}` : `${opts.hostname}:${defaultPort(opts.protocol)}`;
      const headers: Record<string, string> = { host: authority, 'proxy-connection': 'keep-alive' };
      if (this.authorization) headers['proxy-authorization'] = this.authorization;
      this.proxyPool.connect({ path: authority, headers }).then(
        ({ statusCode, socket: duplex }) => {
          // A CONNECT hands back the proxy connection's own net.Socket (or TLSSocket for an https proxy).
          const socket = duplex as Socket;
          if (statusCode !== 200) {
            socket.on('error', () => {}).destroy();
            callback(this.refused(statusCode, authority), null);
            return;
          }
          if (opts.protocol !== 'https:') {
            callback(null, socket);
            return;
          }
          toOrigin({ ...opts, httpSocket: socket }, callback);
        },
        (error: unknown) => callback(this.unreachable(error), null),
      );
    };
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }

  private refused(status: number, authority: string): OpenRouterError {
    const reason = REASONS[status] ?? 'the proxy did not open the tunnel';
    return new ConnectionError(`Could not reach OpenRouter through the proxy ${this.display}: it answered HTTP ${status} to CONNECT ${authority} (${reason}).`, {
      code: 'ERR_PROXY_REFUSED',
      retryable: false,
    });
  }

  private unreachable(error: unknown): OpenRouterError {
    if (error instanceof OpenRouterError) return error;
    const code = (error as { code?: unknown } | null)?.code;
    const text = typeof code === 'string' ? code : errorText(error);
    const init = { cause: error, code: typeof code === 'string' ? code : undefined };
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new TimeoutError(`The proxy ${this.display} did not open a tunnel within ${this.options.connectMs} ms.`, { ...init, retryable: true });
    }
    if (typeof code === 'string' && TLS_CODES.test(code)) {
      return new ConnectionError(
        `The proxy ${this.display} presented a TLS certificate that was not accepted (${code}); trust its CA, or turn off http.proxyStrictSSL for this proxy.`,
        { ...init, retryable: false },
      );
    }
    return new ConnectionError(`Could not reach the proxy ${this.display} (${text}).`, { ...init, retryable: true });
  }
}

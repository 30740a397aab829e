// How a pool's connections reach the origin: directly or through a proxy, trusting which CAs. Decided once,
// when the first connection is made (so an unused provider loads no certificates and asks no resolver),
// then shared by every connection of the pool.
import * as tls from 'node:tls';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { buildConnector } from 'undici';
import type { ConnectionTracker } from './connections';
import { ConfigError, ConnectionError, OpenRouterError, TimeoutError } from './errors';
import { ProxyTunnel, proxyFor } from './proxy';
import type { ProxyOptions } from './types';
import { errorText } from './errors';

export interface RouteOptions {
  origin: string;
  connectMs: number;
  /** Extra trusted CAs (PEM), on top of Node's built-in roots and the system's. */
  ca?: string | string[];
  /** Loads the operating system's trusted CAs (PEM); absent: only Node's built-in roots (and `ca`). */
  systemCertificates?: () => Promise<readonly string[]>;
  proxy?: ProxyOptions;
  tracker: ConnectionTracker;
}

interface Decision {
  secureContext?: SecureContext;
  tunnel?: ProxyTunnel;
}

interface Settled {
  proxy?: URL;
  secureContext?: SecureContext;
}

type CertificateStore = (store: 'default') => string[];

/** Node's default trust: its built-in roots plus NODE_EXTRA_CA_CERTS (`tls.getCACertificates` is Node 22.15+). */
function nodeDefaultCertificates(): readonly string[] {
  const read = (tls as { getCACertificates?: CertificateStore }).getCACertificates;
  return read ? read('default') : rootCertificates;
}

/** The last TLS context made with each system list (the loader hands out one array per load), and its `ca`. */
const lastContexts = new WeakMap<readonly string[], { key: string; context: SecureContext }>();
const NO_SYSTEM_CERTIFICATES: readonly string[] = [];

const CERTIFICATE_CODES = /^(CERT_|ERR_TLS_CERT|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_(GET|VERIFY)_)/;

export class NetworkRoute {
  private readonly explicitProxy: URL | undefined;
  private decision: Promise<Decision> | undefined;
  private decided: Decision | undefined;
  private tunnel: ProxyTunnel | undefined;
  private closed = false;

  constructor(private readonly options: RouteOptions) {
    // Checked now so a bad proxy URL fails when the provider is made, not at its first call.
    this.explicitProxy = options.proxy?.unusable ? undefined : proxyFor(options.origin, options.proxy);
  }

  /** A connector for undici (or the HTTP/2 connection) that waits for the route, then connects along it. */
  connector(settings: { allowH2: boolean }): buildConnector.connector {
    let built: buildConnector.connector | undefined;
    return (connectOptions, callback) => {
      const reply = callback as (error: Error | null, socket: unknown) => void;
      // A configured proxy that cannot be used stops every connection: none goes around it.
      const unusable = this.options.proxy?.unusable;
      if (unusable) return reply(new ConfigError(unusable, { retryable: false }), null);
      const run = (connect: buildConnector.connector): void =>
        connect(connectOptions, ((error: Error | null, socket: unknown) => reply(error ? this.explain(error) : null, error ? null : socket)) as buildConnector.Callback);
      const build = ({ tunnel, secureContext }: Decision): buildConnector.connector =>
        this.options.tracker.connector(
          { ...(secureContext ? { secureContext } : {}), timeout: this.options.connectMs, allowH2: settings.allowH2 } as buildConnector.BuildOptions,
          tunnel && ((originOptions: buildConnector.BuildOptions) => tunnel.connector(originOptions)),
        );
      if (built) return run(built);
      // Without a resolver or system store to wait for, the first connection starts at once, as later ones do.
      this.decided ??= this.canDecideNow() ? this.adopt(this.settleNow()) : undefined;
      if (this.decided) return run((built = build(this.decided)));
      this.decide().then(
        (decision) => run((built ??= build(decision))),
        (error: unknown) => reply(error instanceof Error ? error : new Error(String(error)), null),
      );
    };
  }

  /** The proxy in use once decided (for messages and tests). */
  get proxy(): string | undefined {
    return this.tunnel?.display;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tunnel?.close();
  }

  private decide(): Promise<Decision> {
    if (!this.decision) {
      this.decision = this.makeDecision();
      // A failed decision (a resolver that timed out) is made again for the next connection.
      this.decision.catch(() => {
        this.decision = undefined;
      });
    }
    return this.decision;
  }

  private canDecideNow(): boolean {
    return !this.options.systemCertificates && (this.explicitProxy !== undefined || !this.options.proxy?.resolve);
  }

  private settleNow(): Settled {
    const proxy = this.explicitProxy;
    return { proxy, secureContext: this.needsTls(proxy) ? this.context(NO_SYSTEM_CERTIFICATES) : undefined };
  }

  private async makeDecision(): Promise<Decision> {
    const proxy = this.explicitProxy ?? (await this.askResolver());
    const system = this.needsTls(proxy) && this.options.systemCertificates ? await this.options.systemCertificates() : NO_SYSTEM_CERTIFICATES;
    if (this.closed) throw new ConnectionError('The connection pool is closed.', { code: 'UND_ERR_DESTROYED', retryable: false });
    return (this.decided = this.adopt({ proxy, secureContext: this.needsTls(proxy) ? this.context(system) : undefined }));
  }

  private needsTls(proxy: URL | undefined): boolean {
    return this.options.origin.startsWith('https:') || proxy?.protocol === 'https:';
  }

  private adopt({ proxy, secureContext }: Settled): Decision {
    const { options } = this;
    if (proxy) {
      this.tunnel = new ProxyTunnel(proxy, {
        connectMs: options.connectMs,
        secureContext,
        strictSSL: options.proxy?.strictSSL,
        authorization: options.proxy?.authorization,
        lookup: options.tracker.lookup,
      });
    }
    return { secureContext, tunnel: this.tunnel };
  }

  /** The system's proxy for the origin (PAC, OS settings), when no proxy was configured explicitly. */
  private async askResolver(): Promise<URL | undefined> {
    const resolve = this.options.proxy?.resolve;
    if (!resolve) return undefined;
    const { connectMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`The system proxy settings gave no answer for ${this.options.origin} within ${connectMs} ms.`, { retryable: true })), connectMs);
    });
    try {
      const answer = await Promise.race([resolve(this.options.origin), timeout]);
      return answer ? proxyFor(this.options.origin, { ...this.options.proxy, url: answer }) : undefined;
    } catch (error) {
      if (error instanceof OpenRouterError) throw error;
      throw new ConnectionError(`The system proxy settings could not be read (${errorText(error)}).`, { cause: error, retryable: true });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One TLS context for every connection: Node's default CAs, plus the system's and `ca` when given. Node's
   * `ca` replaces its defaults (the built-in roots and NODE_EXTRA_CA_CERTS), so they are listed too. Parsed
   * once per pool.
   */
  private context(system: readonly string[]): SecureContext {
    const { ca } = this.options;
    const extra = ca === undefined ? [] : Array.isArray(ca) ? ca : [ca];
    if (extra.length === 0 && system.length === 0) return createSecureContext({});
    // Pools built with the same lists (a rebuilt pool, the fresh connections of Measure Connection Reuse)
    // share the context instead of parsing a few hundred certificates again.
    const key = extra.join('\n');
    const last = lastContexts.get(system);
    if (last?.key === key) return last.context;
    const context = createSecureContext({ ca: [...new Set([...nodeDefaultCertificates(), ...system, ...extra])] });
    lastContexts.set(system, { key, context });
    return context;
  }

  /** A certificate the origin (or a TLS-inspecting proxy in its place) presented that is not trusted. */
  private explain(error: Error): Error {
    if (error instanceof OpenRouterError) return error;
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !CERTIFICATE_CODES.test(code)) return error;
    const via = this.tunnel ? ` through the proxy ${this.tunnel.display}` : '';
    const advice = this.options.systemCertificates
      ? 'If a proxy or security software on this network inspects TLS, its CA certificate must be in the operating system’s certificate store.'
      : 'The operating system’s certificate store is not used (http.systemCertificates is off): turn it on if your network’s CA is in that store.';
    return new ConnectionError(`OpenRouter at ${this.options.origin}${via}: the TLS certificate was not accepted (${code}). ${advice}`, {
      cause: error,
      code,
      retryable: false,
    });
  }
}

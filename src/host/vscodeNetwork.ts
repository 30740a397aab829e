// What VS Code knows about the network, for the provider's own connection pool: the operating system's CA
// certificates as VS Code loads them (`http.systemCertificates`) and VS Code's proxy resolution (PAC files and
// OS proxy settings on desktop). Both come from the `@vscode/proxy-agent` module VS Code ships and configures
// at start-up (the module its diagnostics and Copilot Chat use too), found under `vscode.env.appRoot`.
// Nothing is loaded until the first connection asks.
import { join } from 'node:path';
import * as tls from 'node:tls';
import * as vscode from 'vscode';
import type { Log } from '../log/logger';
import { describeProxy } from '../openrouter/proxy';
import { errorText } from '../util/errorText';

interface AgentLog {
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** The parts of `@vscode/proxy-agent` used here; VS Code sets `resolveProxyURL` on it when it starts. */
interface ProxyAgentModule {
  resolveProxyURL?: (url: string) => Promise<string | undefined>;
  loadSystemCertificates?: (params: { loadSystemCertificatesFromNode?: () => boolean; log: AgentLog }) => Promise<string[]>;
}

type NodeSystemCertificates = (store: 'system') => string[];

export class VscodeNetwork {
  private agent: ProxyAgentModule | null | undefined;
  private readonly certificates = new Map<boolean, Promise<readonly string[]>>();
  private lastProxy: string | undefined;

  constructor(private readonly log: Log, private readonly appRoot: () => string = () => vscode.env.appRoot) {}

  /** The OS store's CAs (PEM), loaded once per mode; `fromNode` mirrors `http.systemCertificatesNode`. */
  systemCertificates(fromNode: boolean): Promise<readonly string[]> {
    let pending = this.certificates.get(fromNode);
    if (!pending) {
      pending = this.loadCertificates(fromNode);
      this.certificates.set(fromNode, pending);
    }
    return pending;
  }

  /** The proxy VS Code would use for `origin` (a URL), or undefined for a direct connection or when VS Code cannot say. */
  async resolveProxy(origin: string): Promise<string | undefined> {
    const resolve = this.proxyAgent()?.resolveProxyURL;
    if (!resolve) return undefined;
    const answer = (await resolve(origin)) || undefined;
    const shown = answer ? describeText(answer) : 'a direct connection';
    if (shown !== this.lastProxy) this.log.info(`VS Code's proxy settings choose ${shown} for ${origin}.`);
    this.lastProxy = shown;
    return answer;
  }

  private async loadCertificates(fromNode: boolean): Promise<readonly string[]> {
    const started = Date.now();
    let certificates: readonly string[] = [];
    let source = 'VS Code';
    try {
      const load = this.proxyAgent()?.loadSystemCertificates;
      if (load) {
        certificates = await load({ loadSystemCertificatesFromNode: () => fromNode, log: this.agentLog() });
      } else {
        source = 'Node';
        const read = (tls as { getCACertificates?: NodeSystemCertificates }).getCACertificates;
        certificates = read ? read('system') : [];
      }
    } catch (error) {
      this.log.warn(`The operating system's certificates could not be loaded (${errorText(error)}); only Node's built-in CAs are trusted.`);
      this.certificates.delete(fromNode);
      return [];
    }
    this.log.info(`Loaded ${certificates.length} certificates from the operating system's store through ${source} in ${Date.now() - started} ms.`);
    return certificates;
  }

  private proxyAgent(): ProxyAgentModule | undefined {
    if (this.agent !== undefined) return this.agent ?? undefined;
    this.agent = null;
    const root = this.appRoot();
    for (const folder of ['node_modules.asar', 'node_modules']) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- VS Code's own copy, by absolute path, on first use
        this.agent = require(join(root, folder, '@vscode', 'proxy-agent')) as ProxyAgentModule;
        break;
      } catch {
        // Not in this folder (desktop builds pack node_modules into an asar archive).
      }
    }
    if (!this.agent) this.log.debug(`VS Code's proxy agent was not found under ${root}: using Node's system certificates and the explicit proxy settings only.`);
    return this.agent ?? undefined;
  }

  private agentLog(): AgentLog {
    const ignore = (): void => undefined;
    return { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: (...args) => this.log.debug(`proxy agent: ${args.map(String).join(' ')}`) };
  }
}

function describeText(url: string): string {
  try {
    return `the proxy ${describeProxy(new URL(url))}`;
  } catch {
    return 'an unreadable proxy address';
  }
}

import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKey/apiKeyStore';
import { Disposable } from '../util/dispose';
import type { Log } from '../log/logger';
import type { OpenRouterProvider } from '../openrouter';
import type { CallOptions, ProviderOptions, RequestRecord, ValidateResult } from '../openrouter/types';
import { certificateChoice, proxyChoice, proxySettingSections } from './proxySettings';
import type { Settings } from '../config/settings';
import { providerSettingKeys } from '../config/settingsValidation';
import type { SettingsValues } from '../config/settingsValidation';
import { VscodeNetwork } from './vscodeNetwork';
import { errorText } from '../util/errorText';

/** The one client every feature shares (see src/openrouter). */
export type Provider = OpenRouterProvider;

export type ProviderFactory = (options: ProviderOptions) => Provider;

/** Extra options the environment supplies (a trusted test CA for the local emulator). */
export interface ProviderEnvironment {
  ca?: string;
  appUrl?: string;
  appTitle?: string;
}

// A retired provider still serving a stream is closed at the latest after this long.
const RETIRE_GRACE_MS = 10 * 60_000;

/** A provider replaced by a settings change, waiting for its in-flight calls before it closes. */
interface RetiringProvider {
  /** Closes it now, whatever is still in flight, and stops watching it. */
  closeNow(): Promise<void>;
}

/**
 * Owns the one provider every feature shares. The key is read from the store per request, so a new key
 * needs nothing here; settings that shape the pool (origin, size, timeouts, retries) build a new provider,
 * and the old one is closed once its in-flight calls end. Read `host.provider` per call, never keep it.
 */
export class ProviderHost extends Disposable {
  private current: Provider | undefined;
  private unsubscribeCurrent: () => void = () => undefined;
  private readonly retiring = new Set<RetiringProvider>();
  private lastProxyProblem: string | undefined;
  private network: VscodeNetwork | undefined;
  private readonly _onDidChangeProvider = this._register(new vscode.EventEmitter<void>());
  /** Fires after a settings change replaced the provider (a new origin, pool or retry policy). */
  readonly onDidChangeProvider = this._onDidChangeProvider.event;
  private readonly _onRequest = this._register(new vscode.EventEmitter<RequestRecord>());
  /** Every attempt of every call, whichever provider made it. */
  readonly onRequest = this._onRequest.event;

  constructor(
    private readonly settings: Settings,
    private readonly keys: ApiKeyStore,
    private readonly log: Log,
    private readonly createProvider: ProviderFactory,
    private readonly environment: ProviderEnvironment = {},
  ) {
    super();
    this._register(
      settings.onDidChange((change) => {
        if (change.affects(...providerSettingKeys)) this.rebuild();
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (proxySettingSections.some((section) => event.affectsConfiguration(section))) this.rebuild();
      }),
    );
  }

  /** The current provider, built on first use (building opens no socket). */
  get provider(): Provider {
    if (!this.current) {
      if (this.isDisposed) throw new Error('The OpenRouter connection was shut down.');
      this.current = this.createProvider(this.options(this.settings.values));
      this.unsubscribeCurrent = this.subscribe(this.current);
    }
    return this.current;
  }

  /** Checks a key that is not stored yet, on a short-lived provider with the current settings. */
  async validateKey(apiKey: string, opts?: CallOptions): Promise<ValidateResult> {
    const scratch = this.createProvider({ ...this.options(this.settings.values), apiKey, poolSize: 1 });
    const unsubscribe = this.subscribe(scratch);
    try {
      return await scratch.validateConfig(opts);
    } finally {
      unsubscribe();
      await scratch.close();
    }
  }

  /** Replaces the provider with one built from the current settings; the old one closes when idle. */
  rebuild(): void {
    if (this.isDisposed) return;
    const old = this.current;
    const unsubscribeOld = this.unsubscribeCurrent;
    this.current = undefined;
    this.unsubscribeCurrent = () => undefined;
    if (old) this.retire(old, unsubscribeOld);
    this.log.info(`Connection pool rebuilt for the new settings (${this.settings.values.baseUrl}, pool ${this.settings.values.poolSize}, HTTP/2 ${this.settings.values.http2 ? 'offered' : 'off'}).`);
    this._onDidChangeProvider.fire();
  }

  /**
   * Closes every socket of the current and retiring providers now (deactivation), and stops the timers
   * that watch retiring ones. A later call to `provider` builds a fresh one unless the host is disposed.
   */
  async closeConnections(): Promise<void> {
    const old = this.current;
    this.unsubscribeCurrent();
    this.current = undefined;
    this.unsubscribeCurrent = () => undefined;
    await Promise.allSettled([old?.close(), ...[...this.retiring].map((retiring) => retiring.closeNow())]);
  }

  /** Providers replaced by a settings change that are not closed yet (tests and diagnostics). */
  get retiringCount(): number {
    return this.retiring.size;
  }

  /**
   * The options the shared provider is built with (origin, proxy, HTTP/2, trusted CA, timeouts, retries),
   * for a feature that needs a provider of its own with the same network path.
   */
  currentOptions(): ProviderOptions {
    return this.options(this.settings.values);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    void this.closeConnections();
    super.dispose();
  }

  private options(values: SettingsValues): ProviderOptions {
    const options: ProviderOptions = {
      apiKey: () => this.keys.get(),
      baseUrl: values.baseUrl,
      poolSize: values.poolSize,
      allowH2: values.http2,
      maxRetries: values.maxRetries,
      timeouts: {
        connectMs: values.connectTimeoutSeconds * 1000,
        headersMs: values.headersTimeoutSeconds * 1000,
        idleMs: values.idleTimeoutSeconds * 1000,
      },
    };
    if (this.environment.ca) options.ca = this.environment.ca;
    if (this.environment.appUrl) options.appUrl = this.environment.appUrl;
    if (this.environment.appTitle) options.appTitle = this.environment.appTitle;
    // VS Code's own http.* settings (application- or machine-scoped: a workspace cannot set them).
    const http = vscode.workspace.getConfiguration('http');
    const network = (this.network ??= new VscodeNetwork(this.log));
    const certificates = certificateChoice(http);
    if (certificates.system) options.systemCertificates = () => network.systemCertificates(certificates.fromNode);
    const proxy = proxyChoice(values.baseUrl, http, process.env, (origin) => network.resolveProxy(origin));
    if (proxy.problem && proxy.problem !== this.lastProxyProblem) this.reportProxyProblem(proxy.problem, proxy.source);
    this.lastProxyProblem = proxy.problem;
    if (proxy.proxy) options.proxy = proxy.proxy;
    return options;
  }

  /** Once per distinct problem: every call fails with it until the proxy is fixed, so the user hears why. */
  private reportProxyProblem(problem: string, source: string | undefined): void {
    this.log.error(problem);
    const action = source === 'http.proxy' ? 'Open Settings' : undefined;
    void vscode.window.showErrorMessage(problem, ...(action ? [action] : [])).then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'http.proxy');
    });
  }

  private subscribe(provider: Provider): () => void {
    return provider.onRequest((record) => this._onRequest.fire(record));
  }

  private retire(old: Provider, unsubscribe: () => void): void {
    const timers: NodeJS.Timeout[] = [];
    const watchers: Array<() => void> = [];
    let closing: Promise<void> | undefined;
    const entry: RetiringProvider = {
      closeNow: () => {
        closing ??= (async () => {
          timers.forEach((timer) => clearTimeout(timer));
          watchers.forEach((stop) => stop());
          unsubscribe();
          try {
            await old.close();
          } catch (error) {
            this.log.warn(`Closing the previous connection pool failed: ${errorText(error)}`);
          } finally {
            this.retiring.delete(entry);
          }
        })();
        return closing;
      },
    };
    this.retiring.add(entry);
    const closeWhenIdle = (): void => {
      if (old.stats().inFlight === 0) void entry.closeNow();
    };
    if (old.stats().inFlight === 0) {
      void entry.closeNow();
      return;
    }
    this.log.info(`The previous connection pool closes after its ${old.stats().inFlight} in-flight call(s) end.`);
    // Each finished attempt emits a record; the interval covers a stream consumer that stops reading.
    watchers.push(old.onRequest(() => queueMicrotask(closeWhenIdle)));
    timers.push(setInterval(closeWhenIdle, 1000), setTimeout(() => void entry.closeNow(), RETIRE_GRACE_MS));
  }
}

import * as vscode from 'vscode';
import { Disposable } from './dispose';
import type { Log, Logger } from './logger';

const SECRET_KEY = 'openrouter.apiKey';

export type ApiKeySource = 'secret-storage' | 'environment';

/** Trims what a paste brings along (spaces, newlines, quotes); undefined when nothing is left. */
export function normalizeApiKey(raw: string | undefined): string | undefined {
  const key = raw?.trim().replace(/^["']|["']$/g, '').trim();
  return key ? key : undefined;
}

/**
 * The API key, kept only in SecretStorage. `OPENROUTER_API_KEY` from the environment is used when no key
 * is stored. Reads are cached in memory and refreshed when the secret changes (also from another window).
 */
export class ApiKeyStore extends Disposable {
  private cached: string | undefined;
  private loaded: Promise<void> | undefined;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Fires when the effective key changes (set, cleared, or changed in another window). */
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly logger: Logger,
    private readonly log: Log,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    const fromEnv = this.envKey();
    this.logger.addSecret(fromEnv);
    this._register(
      secrets.onDidChange((event) => {
        if (event.key !== SECRET_KEY) return;
        const before = this.cached;
        this.loaded = undefined;
        void this.get().then(() => {
          if (this.cached !== before) this._onDidChange.fire();
        });
      }),
    );
  }

  /** The key to send, or undefined when none is configured. Cheap after the first call. */
  async get(): Promise<string | undefined> {
    this.loaded ??= this.load();
    await this.loaded;
    return this.cached ?? this.envKey();
  }

  async source(): Promise<ApiKeySource | undefined> {
    const key = await this.get();
    if (key === undefined) return undefined;
    return key === this.cached ? 'secret-storage' : 'environment';
  }

  async has(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  /** Stores a key after trimming it; rejects an empty one. */
  async set(raw: string): Promise<void> {
    const key = normalizeApiKey(raw);
    if (!key) throw new Error('The API key is empty.');
    this.logger.addSecret(key);
    await this.secrets.store(SECRET_KEY, key);
    this.cached = key;
    this.loaded = Promise.resolve();
    this._onDidChange.fire();
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    this.cached = undefined;
    this.loaded = Promise.resolve();
    this._onDidChange.fire();
  }

  private async load(): Promise<void> {
    try {
      this.cached = normalizeApiKey(await this.secrets.get(SECRET_KEY));
    } catch (error) {
      this.cached = undefined;
      this.log.error(`Could not read the API key from the secret store: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.logger.addSecret(this.cached);
    if (this.cached === undefined && this.envKey()) this.log.info('Using the API key from the OPENROUTER_API_KEY environment variable.');
  }

  private envKey(): string | undefined {
    return normalizeApiKey(this.env.OPENROUTER_API_KEY);
  }
}

import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import type { Log, Logger } from '../log/logger';
import { apiKeyProblem, checkApiKey, normalizeApiKey } from '../openrouter/apiKeyFormat';
import { errorText } from '../util/errorText';

const SECRET_KEY = 'openrouter.apiKey';

export type ApiKeySource = 'secret-storage' | 'environment';

export { checkApiKey, normalizeApiKey };

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
    /** The process's variables (`OPENROUTER_API_KEY`), from the composition root's Node-only environment. */
    private readonly env: NodeJS.ProcessEnv,
  ) {
    super();
    const fromEnv = this.envKey();
    this.logger.addSecret(fromEnv);
    const envProblem = fromEnv === undefined ? undefined : apiKeyProblem(fromEnv);
    if (envProblem) this.log.warn(`OPENROUTER_API_KEY cannot be used: ${envProblem}`);
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

  /**
   * Why the key in use cannot be sent (a line break or control character inside), or undefined. Such a key
   * is still returned by `get`, so the provider refuses it with this message instead of a failed request.
   */
  async problem(): Promise<string | undefined> {
    const key = await this.get();
    return key === undefined ? undefined : apiKeyProblem(key);
  }

  /** Stores a key after trimming it; rejects an empty one or one with whitespace or control characters inside. */
  async set(raw: string): Promise<void> {
    const { key, problem } = checkApiKey(raw);
    if (!key || problem) throw new Error(problem ?? 'The API key is empty.');
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
      this.log.error(`Could not read the API key from the secret store: ${errorText(error)}`);
    }
    this.logger.addSecret(this.cached);
    const problem = this.cached === undefined ? undefined : apiKeyProblem(this.cached);
    if (problem) this.log.warn(`The stored API key cannot be used: ${problem}`);
    if (this.cached === undefined && this.envKey()) this.log.info('Using the API key from the OPENROUTER_API_KEY environment variable.');
  }

  private envKey(): string | undefined {
    return normalizeApiKey(this.env.OPENROUTER_API_KEY);
  }
}

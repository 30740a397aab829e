import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import type { Log } from '../log/logger';
import type { ModelEndpoints } from '../openrouter/endpointTypes';
import type { Model } from '../openrouter/types';
import { baseModelId } from './modelVariants';
import type { ProviderHost } from '../host/providerHost';
import type { Settings } from '../config/settings';
import { errorText } from '../util/errorText';

const CACHE_FILE = 'models.json';
const FAVOURITES_KEY = 'openrouter.favouriteModels';
const RECENT_KEY = 'openrouter.recentModels';
const SELECTED_KEY = 'openrouter.selectedModel';
const RECENT_LIMIT = 5;
/** A list older than this is still used at once, and refreshed behind it. */
export const STALE_AFTER_MS = 24 * 60 * 60_000;
/** After a failed background refresh, the stale list is kept this long before the next try. */
const BACKGROUND_RETRY_MS = 10 * 60_000;

export type CatalogChange = 'models' | 'selection' | 'favourites' | 'recent';

interface CacheFile {
  version: 1;
  baseUrl: string;
  fetchedAt: number;
  models: Model[];
}

/**
 * The model list from /models, in memory and on disk (globalStorageUri) with the time it was fetched;
 * favourites, recently used and the selected model in globalState. Fetches are coalesced.
 */
export class ModelCatalog extends Disposable {
  private list: readonly Model[] | undefined;
  private byId = new Map<string, Model>();
  private fetchedAt: number | undefined;
  private diskLoad: Promise<void> | undefined;
  private fetching: Promise<readonly Model[]> | undefined;
  private lastBackgroundTry = Number.NEGATIVE_INFINITY;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<CatalogChange>());
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly host: ProviderHost,
    private readonly settings: Settings,
    private readonly globalState: vscode.Memento,
    private readonly storageUri: vscode.Uri,
    private readonly log: Log,
  ) {
    super();
    this._register(
      settings.onDidChange((change) => {
        if (change.affects('baseUrl')) {
          this.forget();
          this._onDidChange.fire('models');
        }
        if (change.affects('defaultModel') && !this.globalState.get<string>(SELECTED_KEY)) this._onDidChange.fire('selection');
      }),
    );
  }

  /** The models known now (memory, else the disk cache once loaded), or undefined. */
  get models(): readonly Model[] | undefined {
    return this.list;
  }

  /** Milliseconds since the list was fetched from the server, when there is one. */
  get ageMs(): number | undefined {
    return this.fetchedAt === undefined ? undefined : Math.max(0, Date.now() - this.fetchedAt);
  }

  get isFetching(): boolean {
    return this.fetching !== undefined;
  }

  /** The model by id; a variant OpenRouter applies to any model (`:nitro`, `:floor`…) has its base model's figures. */
  find(id: string): Model | undefined {
    return this.byId.get(id) ?? this.byId.get(baseModelId(id));
  }

  /** The providers serving a model, with their prices and last-30-minute figures. */
  endpoints(id: string): Promise<ModelEndpoints> {
    return this.host.provider.getModelEndpoints(baseModelId(id));
  }

  /**
   * The model when the list has it, loading the list first when none is known; undefined for an id the list
   * does not have, or when no list could be loaded. What decides whether an id from outside may be selected.
   */
  async listed(id: string): Promise<Model | undefined> {
    if (!this.list) await this.getModels().catch((error: unknown) => this.log.warn(`Could not load the model list to check ${JSON.stringify(id.slice(0, 120))}: ${errorText(error)}`));
    return this.find(id);
  }

  /**
   * Memory first, then disk; undefined when neither has a list yet. Never waits for the network: a list
   * older than a day is returned as it is while a refresh runs in the background.
   */
  async cached(): Promise<readonly Model[] | undefined> {
    if (!this.list) {
      this.diskLoad ??= this.readDisk();
      await this.diskLoad;
    }
    this.refreshIfStale();
    return this.list;
  }

  /** True when the list is older than a day (it is still used; a refresh is due). */
  get isStale(): boolean {
    return (this.ageMs ?? 0) > STALE_AFTER_MS;
  }

  private refreshIfStale(): void {
    if (!this.isStale || this.fetching || this.isDisposed) return;
    const now = Date.now();
    if (now - this.lastBackgroundTry < BACKGROUND_RETRY_MS) return;
    this.lastBackgroundTry = now;
    this.log.info(`The model list is ${Math.round((this.ageMs ?? 0) / 3_600_000)} h old: refreshing it in the background.`);
    this.refresh().catch((error: unknown) => this.log.warn(`Background refresh of the model list failed (the cached list stays in use): ${errorText(error)}`));
  }

  /** A list from cache, or from the server when nothing is cached. */
  async getModels(): Promise<readonly Model[]> {
    return (await this.cached()) ?? this.refresh();
  }

  /** Fetches /models now; concurrent calls share one request. */
  refresh(): Promise<readonly Model[]> {
    this.fetching ??= this.fetch().finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  get selectedModelId(): string {
    return this.globalState.get<string>(SELECTED_KEY) || this.settings.values.defaultModel;
  }

  get selectedModel(): Model | undefined {
    return this.find(this.selectedModelId);
  }

  async select(id: string): Promise<void> {
    await this.globalState.update(SELECTED_KEY, id);
    await this.markUsed(id);
    this.log.info(`Selected model ${id}.`);
    this._onDidChange.fire('selection');
  }

  get favourites(): readonly string[] {
    return this.globalState.get<string[]>(FAVOURITES_KEY, []);
  }

  isFavourite(id: string): boolean {
    return this.favourites.includes(id);
  }

  async toggleFavourite(id: string): Promise<boolean> {
    const now = !this.isFavourite(id);
    const next = now ? [...this.favourites, id] : this.favourites.filter((f) => f !== id);
    await this.globalState.update(FAVOURITES_KEY, next);
    this._onDidChange.fire('favourites');
    return now;
  }

  /** Most recent first. */
  get recentlyUsed(): readonly string[] {
    return this.globalState.get<string[]>(RECENT_KEY, []);
  }

  async markUsed(id: string): Promise<void> {
    const next = [id, ...this.recentlyUsed.filter((r) => r !== id)].slice(0, RECENT_LIMIT);
    await this.globalState.update(RECENT_KEY, next);
    this._onDidChange.fire('recent');
  }

  private async fetch(): Promise<readonly Model[]> {
    const baseUrl = this.settings.values.baseUrl;
    const started = Date.now();
    const models = await this.download();
    if (baseUrl !== this.settings.values.baseUrl) return models;
    this.setList(models, Date.now());
    this.log.info(`Fetched ${models.length} models in ${Date.now() - started} ms.`);
    this._onDidChange.fire('models');
    await this.writeDisk({ version: 1, baseUrl, fetchedAt: this.fetchedAt ?? Date.now(), models });
    return models;
  }

  /**
   * The models this account may use (`/models/user`, filtered by its provider, privacy and guardrail settings);
   * every model (`/models`) when that list cannot be had (no key, a key that may not ask, or a failure).
   */
  private async download(): Promise<Model[]> {
    const provider = this.host.provider;
    try {
      return await provider.listUserModels();
    } catch (error) {
      this.log.info(`Listing every model: the account's own list (/models/user) was not available: ${errorText(error)}`);
      return provider.listModels();
    }
  }

  private setList(models: readonly Model[], fetchedAt: number): void {
    this.list = models;
    this.fetchedAt = fetchedAt;
    this.byId = new Map(models.map((m) => [m.id, m]));
  }

  private forget(): void {
    this.list = undefined;
    this.fetchedAt = undefined;
    this.byId = new Map();
    this.diskLoad = undefined;
  }

  /** Where the list is kept between sessions. */
  get cacheUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.storageUri, CACHE_FILE);
  }

  private async readDisk(): Promise<void> {
    try {
      const bytes = await vscode.workspace.fs.readFile(this.cacheUri);
      const cache = JSON.parse(new TextDecoder().decode(bytes)) as Partial<CacheFile>;
      if (cache.version !== 1 || !Array.isArray(cache.models) || typeof cache.fetchedAt !== 'number') return;
      if (cache.baseUrl !== this.settings.values.baseUrl) return;
      if (this.list) return;
      this.setList(cache.models, cache.fetchedAt);
      this.log.debug(`Loaded ${cache.models.length} models from the disk cache.`);
      this._onDidChange.fire('models');
    } catch (error) {
      if (!(error instanceof vscode.FileSystemError)) this.log.warn(`Ignoring the model cache: ${errorText(error)}`);
    }
  }

  private async writeDisk(cache: CacheFile): Promise<void> {
    try {
      await vscode.workspace.fs.createDirectory(this.storageUri);
      await vscode.workspace.fs.writeFile(this.cacheUri, new TextEncoder().encode(JSON.stringify(cache)));
    } catch (error) {
      this.log.warn(`Could not write the model cache: ${errorText(error)}`);
    }
  }
}

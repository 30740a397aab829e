// The local usage record: every finished generation of this extension, kept on disk for 90 days and
// shared by every window (see usageFolder.ts). Recording never throws into the feature that reports.
// No vscode import.
import type { Log } from '../log/logger';
import { errorText } from '../util/errorText';
import { dayKey, dayStart } from './usageDays';
import type { UsageFolder } from './usageFolder';
import { localSpend } from './usageMath';
import { PROMPT_KEPT_CHARS, RETENTION_DAYS } from './usageTypes';
import type { GenerationRecord, UsageEntry } from './usageTypes';

export interface UsageRecorderOptions {
  folder: UsageFolder;
  /** `openrouter.usage.recordPrompts`: read at each record. */
  keepPrompts(): boolean;
  log: Pick<Log, 'warn' | 'debug'>;
  now?(): number;
}

type Listener = (entry: UsageEntry) => void;

export class UsageRecorder {
  private readonly listeners = new Set<Listener>();
  /** Generation ids recorded by this window: a second report of the same answer is ignored. */
  private readonly recorded = new Set<string>();
  private prunedDay: string | undefined;

  constructor(private readonly options: UsageRecorderOptions) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Adds a finished generation to the record; resolves once it is on disk (errors are logged, not thrown). */
  async record(g: GenerationRecord): Promise<void> {
    if (g.generationId) {
      if (this.recorded.has(g.generationId)) return;
      this.recorded.add(g.generationId);
    }
    const entry: UsageEntry = {
      id: g.generationId ?? `local-${crypto.randomUUID()}`,
      at: g.at ?? this.now(),
      source: g.source,
      model: g.model,
      promptTokens: count(g.promptTokens),
      completionTokens: count(g.completionTokens),
      cachedTokens: count(g.cachedTokens),
      costUsd: count(g.costUsd),
    };
    if (g.provider) entry.provider = g.provider;
    if (typeof g.latencyMs === 'number' && Number.isFinite(g.latencyMs)) entry.latencyMs = Math.round(g.latencyMs);
    if (typeof g.timeToFirstTokenMs === 'number' && Number.isFinite(g.timeToFirstTokenMs)) entry.timeToFirstTokenMs = Math.round(g.timeToFirstTokenMs);
    if (g.status) entry.status = g.status;
    if (g.prompt && this.options.keepPrompts()) entry.prompt = g.prompt.slice(0, PROMPT_KEPT_CHARS);
    try {
      await this.pruneOncePerDay();
      await this.options.folder.append(entry);
      this.options.log.debug(`Usage recorded: ${entry.source} ${entry.model} $${entry.costUsd}`);
    } catch (error) {
      this.options.log.warn(`Could not add a generation to the usage record: ${errorText(error)}`);
      return;
    }
    for (const listener of this.listeners) listener(entry);
  }

  /** Entries of the last `days` UTC days (today included), from every window. */
  async entries(days = RETENTION_DAYS): Promise<UsageEntry[]> {
    await this.pruneOncePerDay().catch(() => undefined);
    return this.options.folder.read(dayKey(dayStart(this.now(), days - 1)));
  }

  /** This UTC day's and this UTC month's spend in the record. */
  async spend(): Promise<{ day: number; month: number }> {
    const now = this.now();
    const monthStart = new Date(now).toISOString().slice(0, 8) + '01';
    return localSpend(await this.options.folder.read(monthStart), now);
  }

  /** Called after each entry this window records. */
  onDidRecord(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private async pruneOncePerDay(): Promise<void> {
    const today = dayKey(this.now());
    if (this.prunedDay === today) return;
    this.prunedDay = today;
    const removed = await this.options.folder.prune(this.now());
    if (removed > 0) this.options.log.debug(`Usage record: ${removed} file(s) older than ${RETENTION_DAYS} days removed.`);
  }
}

function count(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

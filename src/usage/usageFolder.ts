// The files behind the usage record: one append-only JSON-lines file per UTC day and writer
// ("2026-11-30.<writer>.jsonl"). Every window writes only its own file, appending whole lines one at a
// time, so windows sharing the storage folder never write to the same file and never lose each other's
// entries; a reader takes every writer's file of a day and ignores a line still being written. Files of
// days past the retention are deleted. No vscode import, and no file system of its own: the files are reached
// through the storage seam (src/storage), so the record works on any FileStore.
import type { FileStore } from '../storage/fileStore';
import { dayKey, dayStart, isDayKey } from './usageDays';
import { RETENTION_DAYS, usageSources } from './usageTypes';
import type { UsageEntry } from './usageTypes';

const SUFFIX = '.jsonl';
const NAME = /^(\d{4}-\d{2}-\d{2})\.([A-Za-z0-9_-]{1,64})\.jsonl$/;

interface CachedFile {
  mtimeMs: number;
  size: number;
  entries: UsageEntry[];
}

export class UsageFolder {
  /** This writer's name in file names: one per window (extension host) lifetime. */
  readonly writer: string;
  private appending: Promise<void> = Promise.resolve();
  private readonly cache = new Map<string, CachedFile>();

  constructor(
    private readonly store: FileStore,
    readonly path: string,
    writer = store.writerName(),
  ) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(writer)) throw new Error('Refusing an unsafe usage writer name.');
    this.writer = writer;
  }

  /** Appends one entry to this writer's file of the entry's day; appends run one after another. */
  append(entry: UsageEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const file = this.store.join(this.path, `${dayKey(entry.at)}.${this.writer}${SUFFIX}`);
    const next = this.appending.then(async () => {
      await this.store.makeFolder(this.path);
      await this.store.appendText(file, line);
    });
    this.appending = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every append asked for so far has reached the file. */
  flushed(): Promise<void> {
    return this.appending;
  }

  /**
   * Every entry from the UTC day `sinceDay` on, from every writer, each id once, oldest first.
   * Files are re-read only when their size or modification time changed since the last read.
   */
  async read(sinceDay: string): Promise<UsageEntry[]> {
    const names = await this.names();
    const seen = new Set<string>();
    const entries: UsageEntry[] = [];
    const wanted = names.filter((n) => n.day >= sinceDay).sort((a, b) => (a.name < b.name ? -1 : 1));
    const files = await Promise.all(wanted.map((n) => this.readFile(n.name)));
    for (const file of files) {
      for (const entry of file) {
        if (seen.has(entry.id)) continue;
        seen.add(entry.id);
        entries.push(entry);
      }
    }
    return entries.sort((a, b) => a.at - b.at);
  }

  /** Deletes the files of days before the retention window; returns how many went. */
  async prune(now = Date.now(), retentionDays = RETENTION_DAYS): Promise<number> {
    const oldest = dayKey(dayStart(now, retentionDays - 1));
    const stale = (await this.names()).filter((n) => n.day < oldest);
    await Promise.all(stale.map((n) => this.store.remove(this.store.join(this.path, n.name))));
    for (const n of stale) this.cache.delete(n.name);
    return stale.length;
  }

  private async names(): Promise<{ name: string; day: string }[]> {
    const names = (await this.store.list(this.path)) ?? [];
    const found: { name: string; day: string }[] = [];
    for (const name of names) {
      const match = NAME.exec(name);
      if (match && isDayKey(match[1]!)) found.push({ name, day: match[1]! });
    }
    return found;
  }

  private async readFile(name: string): Promise<UsageEntry[]> {
    const path = this.store.join(this.path, name);
    const info = await this.store.info(path);
    if (!info) return [];
    const cached = this.cache.get(name);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.entries;
    const text = (await this.store.readText(path).catch(() => undefined)) ?? '';
    const entries = parseLines(text);
    this.cache.set(name, { mtimeMs: info.mtimeMs, size: info.size, entries });
    return entries;
  }
}

/** Whole, valid lines only: a line another window is still writing (no newline yet) is left for later. */
export function parseLines(text: string): UsageEntry[] {
  const entries: UsageEntry[] = [];
  const end = text.lastIndexOf('\n');
  if (end < 0) return entries;
  for (const line of text.slice(0, end).split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = toEntry(JSON.parse(line));
      if (entry) entries.push(entry);
    } catch {
      // A damaged line (a crash mid-write, a hand edit) is skipped; the rest of the day still counts.
    }
  }
  return entries;
}

const finite = (n: unknown, fallback = 0): number => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : fallback);

/** Validates a parsed line: the file may be old, hand-edited or written by another version. */
function toEntry(raw: unknown): UsageEntry | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || typeof r.model !== 'string' || typeof r.at !== 'number' || !Number.isFinite(r.at)) return undefined;
  const source = usageSources.find((s) => s === r.source);
  if (!source) return undefined;
  const entry: UsageEntry = {
    id: r.id,
    at: r.at,
    source,
    model: r.model,
    promptTokens: finite(r.promptTokens),
    completionTokens: finite(r.completionTokens),
    cachedTokens: finite(r.cachedTokens),
    costUsd: finite(r.costUsd),
  };
  if (typeof r.provider === 'string') entry.provider = r.provider;
  if (typeof r.latencyMs === 'number' && Number.isFinite(r.latencyMs)) entry.latencyMs = r.latencyMs;
  if (typeof r.timeToFirstTokenMs === 'number' && Number.isFinite(r.timeToFirstTokenMs)) entry.timeToFirstTokenMs = r.timeToFirstTokenMs;
  if (r.status === 'done' || r.status === 'stopped' || r.status === 'error') entry.status = r.status;
  if (typeof r.prompt === 'string') entry.prompt = r.prompt;
  return entry;
}

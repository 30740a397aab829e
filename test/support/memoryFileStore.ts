// A second FileStore, held in memory with no file system at all, to show that the records (the chat history, the
// usage record) work on any store. Paths are '/'-joined strings; it keeps a clock tests can move, whether each
// file or folder is private (as a store on a platform with permissions would), and the calls made to it.
import type { FileStore, StoredInfo, WriteOptions } from '../../src/storage/fileStore';

interface Entry {
  kind: 'file' | 'folder';
  text: string;
  mtimeMs: number;
  private: boolean;
}

export class MemoryFileStore implements FileStore {
  readonly entries = new Map<string, Entry>();
  /** Each call, as `<operation> <path>`. */
  readonly calls: string[] = [];
  /** The modification time given to what is written now. */
  now = Date.now();
  private writers = 0;
  private temps = 0;

  join(...parts: string[]): string {
    return parts.join('/').replace(/\/+/g, '/');
  }

  async list(folder: string): Promise<string[] | undefined> {
    this.calls.push(`list ${folder}`);
    if (this.entries.get(folder)?.kind !== 'folder') return undefined;
    const prefix = `${folder}/`;
    return [...this.entries.keys()].filter((path) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/')).map((path) => path.slice(prefix.length));
  }

  async info(path: string): Promise<StoredInfo | undefined> {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    const size = entry.kind === 'file' ? new TextEncoder().encode(entry.text).length : 0;
    return { kind: entry.kind, mtimeMs: entry.mtimeMs, size, shared: !entry.private };
  }

  async readText(path: string): Promise<string | undefined> {
    this.calls.push(`readText ${path}`);
    const entry = this.entries.get(path);
    if (entry?.kind === 'folder') throw new Error(`${path} is a folder.`);
    return entry?.text;
  }

  async writeText(path: string, text: string, options?: WriteOptions): Promise<void> {
    this.calls.push(`writeText ${path}`);
    this.put(path, text, options);
  }

  async replaceText(path: string, text: string, options?: WriteOptions): Promise<void> {
    this.calls.push(`replaceText ${path}`);
    const temp = `${path}.${++this.temps}.tmp`;
    this.put(temp, text, options);
    this.move(temp, path);
  }

  async appendText(path: string, text: string): Promise<void> {
    this.calls.push(`appendText ${path}`);
    const entry = this.entries.get(path);
    this.put(path, (entry?.text ?? '') + text, { private: entry?.private ?? false });
  }

  async rename(from: string, to: string): Promise<boolean> {
    this.calls.push(`rename ${from} ${to}`);
    if (!this.entries.has(from)) return false;
    this.move(from, to);
    return true;
  }

  async remove(path: string): Promise<void> {
    this.calls.push(`remove ${path}`);
    for (const key of [...this.entries.keys()]) if (key === path || key.startsWith(`${path}/`)) this.entries.delete(key);
  }

  async makeFolder(path: string, options?: WriteOptions): Promise<void> {
    this.calls.push(`makeFolder ${path}`);
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (!folder) continue;
      const entry = this.entries.get(folder);
      if (entry && entry.kind !== 'folder') throw new Error(`${folder} is a file.`);
      if (!entry) this.entries.set(folder, { kind: 'folder', text: '', mtimeMs: this.now, private: options?.private ?? false });
    }
  }

  async restrict(path: string): Promise<void> {
    this.calls.push(`restrict ${path}`);
    const entry = this.entries.get(path);
    if (entry) entry.private = true;
  }

  writerName(): string {
    return `memory-${++this.writers}`;
  }

  /** A file as another program (or an earlier version) might have left it. */
  seed(path: string, text: string, options: { private?: boolean; mtimeMs?: number } = {}): void {
    this.put(path, text, options);
    if (options.mtimeMs !== undefined) this.entries.get(path)!.mtimeMs = options.mtimeMs;
  }

  private put(path: string, text: string, options: WriteOptions | undefined): void {
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (parent && this.entries.get(parent)?.kind !== 'folder') throw Object.assign(new Error(`No folder ${parent}.`), { code: 'ENOENT' });
    const existing = this.entries.get(path);
    this.entries.set(path, { kind: 'file', text, mtimeMs: this.now, private: existing?.private ?? options?.private ?? false });
    this.touch(parent);
  }

  private move(from: string, to: string): void {
    for (const [key, entry] of [...this.entries]) {
      if (key !== from && !key.startsWith(`${from}/`)) continue;
      this.entries.delete(key);
      this.entries.set(to + key.slice(from.length), entry);
    }
    this.touch(to.slice(0, to.lastIndexOf('/')));
  }

  private touch(folder: string): void {
    const entry = this.entries.get(folder);
    if (entry) entry.mtimeMs = this.now;
  }
}

// The storage seam: the few file operations the extension's own records need (the chat history, the usage
// record), and nothing of Node or VS Code. The extension builds the Node store once (nodeFileStore.ts); a browser
// build hands the same records another store. Paths are the store's own strings, joined by the store.

/** What is at a path, as far as the records care. */
export interface StoredInfo {
  kind: 'file' | 'folder' | 'other';
  mtimeMs: number;
  size: number;
  /** Accounts other than the user's may read, write or list it (false where the platform has no such permissions). */
  shared: boolean;
}

export interface WriteOptions {
  /** Only the user's account may read it: files 0600, folders 0700 (ignored where the platform has no permissions). */
  private?: boolean;
}

export interface FileStore {
  /** `parts` as one path, in the store's spelling. */
  join(...parts: string[]): string;
  /** The names in the folder; undefined when there is no such folder. */
  list(folder: string): Promise<string[] | undefined>;
  /** Undefined when nothing is there. */
  info(path: string): Promise<StoredInfo | undefined>;
  /** The file's text; undefined when there is no such file (other failures throw). */
  readText(path: string): Promise<string | undefined>;
  /** Creates or overwrites the file in place. */
  writeText(path: string, text: string, options?: WriteOptions): Promise<void>;
  /**
   * Replaces the file at once: written whole under a temporary name beside it (`<path>.<random>.tmp`), then
   * renamed into place, so a reader (in any window) sees the old text or the new, never half. A failed write
   * leaves no temporary file.
   */
  replaceText(path: string, text: string, options?: WriteOptions): Promise<void>;
  /** Adds the text at the file's end, creating the file (and no folder) when missing. */
  appendText(path: string, text: string): Promise<void>;
  /** False when nothing was at `from` (another window moved it first). */
  rename(from: string, to: string): Promise<boolean>;
  /** Removes a file, or a folder with all it holds; nothing there is fine. */
  remove(path: string): Promise<void>;
  /** Makes the folder and any missing parents. */
  makeFolder(path: string, options?: WriteOptions): Promise<void>;
  /** Best effort: makes what is at `path` the user's only (see `WriteOptions.private`); never throws. */
  restrict(path: string, kind: 'file' | 'folder'): Promise<void>;
  /** A writer name (`[A-Za-z0-9_-]`) that no other process sharing these folders uses now. */
  writerName(): string;
}

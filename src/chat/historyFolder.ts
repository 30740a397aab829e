// The files behind the chat history: one JSON file per conversation, written whole to a temporary
// name and renamed into place, so a reader (this window or another VS Code window sharing the same
// storage folder) sees either the old conversation or the new one, never half of either. A deleted
// conversation leaves a small tombstone that wins over any later write of the same id.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Conversation ids come from the webview too: only plain ids ever become file names. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;
const CHAT_SUFFIX = '.json';
const TOMBSTONE_SUFFIX = '.deleted';
const TEMP_SUFFIX = '.tmp';
/** A temporary file this old was left by a window that crashed mid-write. */
const STALE_TEMP_MS = 60 * 60_000;
/** Long enough for any answer or stats poll still running somewhere to have ended. */
const TOMBSTONE_LIFETIME_MS = 7 * 24 * 60 * 60_000;

export function isSafeChatId(id: string): boolean {
  return SAFE_ID.test(id);
}

export interface FolderEntry {
  id: string;
  /** Modification time and size: together they tell whether a file changed since it was read. */
  mtimeMs: number;
  size: number;
}

export interface FolderListing {
  chats: FolderEntry[];
  deleted: Set<string>;
}

export class HistoryFolder {
  constructor(readonly path: string) {}

  /** Every conversation file and tombstone; tidies crash leftovers and old tombstones on the way. */
  async list(now = Date.now()): Promise<FolderListing> {
    let names: string[];
    try {
      names = await readdir(this.path);
    } catch (error) {
      if (isMissing(error)) return { chats: [], deleted: new Set() };
      throw error;
    }
    const chats: FolderEntry[] = [];
    const deleted = new Set<string>();
    await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(this.path, name)).catch(() => undefined);
        if (!info?.isFile()) return;
        if (name.endsWith(TEMP_SUFFIX)) {
          if (now - info.mtimeMs > STALE_TEMP_MS) await rm(join(this.path, name), { force: true });
          return;
        }
        const id = idOf(name);
        if (!id) return;
        if (name.endsWith(TOMBSTONE_SUFFIX)) {
          if (now - info.mtimeMs > TOMBSTONE_LIFETIME_MS) await rm(join(this.path, name), { force: true });
          else deleted.add(id);
          return;
        }
        chats.push({ id, mtimeMs: info.mtimeMs, size: info.size });
      }),
    );
    return { chats: chats.filter((c) => !deleted.has(c.id)), deleted };
  }

  async read(id: string): Promise<string | undefined> {
    try {
      return await readFile(this.chatPath(id), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async isDeleted(id: string): Promise<boolean> {
    return (await stat(this.tombstonePath(id)).catch(() => undefined)) !== undefined;
  }

  /** Replaces the conversation's file in one rename; returns its new modification time and size. */
  async write(id: string, text: string): Promise<FolderEntry> {
    await mkdir(this.path, { recursive: true });
    const temp = join(this.path, `${id}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
    try {
      await writeFile(temp, text, 'utf8');
      await rename(temp, this.chatPath(id));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const info = await stat(this.chatPath(id));
    return { id, mtimeMs: info.mtimeMs, size: info.size };
  }

  /** The tombstone first, so a write racing with the deletion is ignored by every reader. */
  async markDeleted(id: string): Promise<void> {
    await mkdir(this.path, { recursive: true });
    await writeFile(this.tombstonePath(id), String(Date.now()), 'utf8');
    await rm(this.chatPath(id), { force: true });
  }

  /** Drops a conversation to keep the history within its bounds (no tombstone: it may come back). */
  async remove(id: string): Promise<void> {
    await rm(this.chatPath(id), { force: true });
  }

  private chatPath(id: string): string {
    if (!isSafeChatId(id)) throw new Error('Refusing an unsafe conversation id.');
    return join(this.path, `${id}${CHAT_SUFFIX}`);
  }

  private tombstonePath(id: string): string {
    if (!isSafeChatId(id)) throw new Error('Refusing an unsafe conversation id.');
    return join(this.path, `${id}${TOMBSTONE_SUFFIX}`);
  }
}

function idOf(name: string): string | undefined {
  const suffix = name.endsWith(CHAT_SUFFIX) ? CHAT_SUFFIX : name.endsWith(TOMBSTONE_SUFFIX) ? TOMBSTONE_SUFFIX : undefined;
  if (!suffix) return undefined;
  const id = name.slice(0, -suffix.length);
  return isSafeChatId(id) ? id : undefined;
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT';
}

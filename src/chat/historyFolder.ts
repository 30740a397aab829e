// The files behind the chat history: one JSON file per conversation, written whole to a temporary
// name and renamed into place, so a reader (this window or another VS Code window sharing the same
// storage folder) sees either the old conversation or the new one, never half of either. A deleted
// conversation leaves a small tombstone that wins over any later write of the same id. A conversation's images
// live next to it, in a folder of their own (`<id>.images/<attachment id>.dataurl`), and go with it.
// Everything here holds prompts, attached file text and images: folders are the user's only (0700), files
// too (0600), and what an earlier version left readable by others is tightened on the first listing.
// A conversation file that cannot be read is renamed aside (`<id>.corrupt-<time>.json`), never deleted.
// The files are reached through the storage seam (src/storage), so the folder works on any FileStore.
import type { FileStore } from '../storage/fileStore';

/** Conversation ids come from the webview too: only plain ids ever become file names. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;
const CHAT_SUFFIX = '.json';
const TOMBSTONE_SUFFIX = '.deleted';
const TEMP_SUFFIX = '.tmp';
const IMAGES_SUFFIX = '.images';
const IMAGE_SUFFIX = '.dataurl';
/** A temporary file this old was left by a window that crashed mid-write. */
const STALE_TEMP_MS = 60 * 60_000;
/** Long enough for any answer or stats poll still running somewhere to have ended. */
const TOMBSTONE_LIFETIME_MS = 7 * 24 * 60 * 60_000;
/** Only the user's account may read or list the history, 0700/0600 (ignored on Windows, where the profile folder is private). */
const PRIVATE = { private: true } as const;

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

/** The images kept for one conversation: how many, and their size together. */
export interface ImageFolderEntry {
  id: string;
  count: number;
  size: number;
  /** When an image was last added. */
  mtimeMs: number;
}

export class HistoryFolder {
  /** The folder's own mode, set once per window (an earlier version made it 0755). */
  private tightened: Promise<void> | undefined;

  constructor(
    private readonly store: FileStore,
    readonly path: string,
  ) {}

  /** Every conversation file and tombstone; tidies crash leftovers and old tombstones on the way. */
  async list(now = Date.now()): Promise<FolderListing> {
    const { store } = this;
    const names = await store.list(this.path);
    if (!names) return { chats: [], deleted: new Set() };
    this.tightened ??= store.restrict(this.path, 'folder');
    await this.tightened;
    const chats: FolderEntry[] = [];
    const deleted = new Set<string>();
    const imageFolders: Array<{ name: string; mtimeMs: number }> = [];
    await Promise.all(
      names.map(async (name) => {
        const path = store.join(this.path, name);
        const info = await store.info(path);
        if (info?.shared) await store.restrict(path, info.kind === 'folder' ? 'folder' : 'file');
        if (info?.kind === 'folder' && name.endsWith(IMAGES_SUFFIX)) imageFolders.push({ name, mtimeMs: info.mtimeMs });
        if (info?.kind !== 'file') return;
        // The store's temporary files (`….tmp`).
        if (name.endsWith(TEMP_SUFFIX)) {
          if (now - info.mtimeMs > STALE_TEMP_MS) await store.remove(path);
          return;
        }
        const id = idOf(name);
        if (!id) return;
        if (name.endsWith(TOMBSTONE_SUFFIX)) {
          if (now - info.mtimeMs > TOMBSTONE_LIFETIME_MS) await store.remove(path);
          else deleted.add(id);
          return;
        }
        chats.push({ id, mtimeMs: info.mtimeMs, size: info.size });
      }),
    );
    // Images of a deleted conversation go at once; images whose conversation never got written (the window
    // closed before the question was saved) once they are as old as a crashed write's temporary file.
    const present = new Set(chats.map((c) => c.id));
    await Promise.all(
      imageFolders.map(async ({ name, mtimeMs }) => {
        const id = name.slice(0, -IMAGES_SUFFIX.length);
        if (!isSafeChatId(id)) return;
        if (deleted.has(id) || (!present.has(id) && now - mtimeMs > STALE_TEMP_MS)) await this.removeImages(id);
      }),
    );
    return { chats: chats.filter((c) => !deleted.has(c.id)), deleted };
  }

  /** Keeps an image of the conversation (a data URL), written whole under a temporary name and renamed. */
  async writeImage(chatId: string, attachmentId: string, dataUrl: string): Promise<void> {
    const folder = this.imagesPath(chatId);
    await this.store.makeFolder(folder, PRIVATE);
    await this.store.replaceText(this.store.join(folder, `${safeAttachmentId(attachmentId)}${IMAGE_SUFFIX}`), dataUrl, PRIVATE);
  }

  /** The conversation's images that are on disk, among `attachmentIds`, by id. */
  async readImages(chatId: string, attachmentIds: readonly string[]): Promise<Map<string, string>> {
    const folder = this.imagesPath(chatId);
    const images = new Map<string, string>();
    await Promise.all(
      attachmentIds.filter(isSafeChatId).map(async (id) => {
        const text = await this.store.readText(this.store.join(folder, `${id}${IMAGE_SUFFIX}`)).catch(() => undefined);
        if (text !== undefined) images.set(id, text);
      }),
    );
    return images;
  }

  /** Every conversation's images: how many and how large, for the bound on them all. */
  async listImages(): Promise<ImageFolderEntry[]> {
    const { store } = this;
    const names = (await store.list(this.path).catch(() => undefined)) ?? [];
    const entries = await Promise.all(
      names
        .filter((name) => name.endsWith(IMAGES_SUFFIX) && isSafeChatId(name.slice(0, -IMAGES_SUFFIX.length)))
        .map(async (name) => {
          const folder = store.join(this.path, name);
          const mtimeMs = (await store.info(folder))?.mtimeMs ?? 0;
          const files = ((await store.list(folder).catch(() => undefined)) ?? []).filter((file) => file.endsWith(IMAGE_SUFFIX));
          const sizes = await Promise.all(files.map(async (file) => (await store.info(store.join(folder, file)))?.size ?? 0));
          return { id: name.slice(0, -IMAGES_SUFFIX.length), count: files.length, size: sizes.reduce((a, b) => a + b, 0), mtimeMs };
        }),
    );
    return entries.filter((entry) => entry.count > 0);
  }

  async removeImages(chatId: string): Promise<void> {
    await this.store.remove(this.imagesPath(chatId));
  }

  read(id: string): Promise<string | undefined> {
    return this.store.readText(this.chatPath(id));
  }

  async isDeleted(id: string): Promise<boolean> {
    return (await this.store.info(this.tombstonePath(id))) !== undefined;
  }

  /** Replaces the conversation's file in one rename; returns its new modification time and size. */
  async write(id: string, text: string): Promise<FolderEntry> {
    const path = this.chatPath(id);
    await this.store.makeFolder(this.path, PRIVATE);
    await this.store.replaceText(path, text, PRIVATE);
    const info = await this.store.info(path);
    if (!info) throw new Error(`The conversation ${id} was removed as it was being saved.`);
    return { id, mtimeMs: info.mtimeMs, size: info.size };
  }

  /** The tombstone first, so a write racing with the deletion is ignored by every reader. */
  async markDeleted(id: string): Promise<void> {
    await this.store.makeFolder(this.path, PRIVATE);
    await this.store.writeText(this.tombstonePath(id), String(Date.now()), PRIVATE);
    await this.store.remove(this.chatPath(id));
    await this.removeImages(id);
  }

  /**
   * Renames a conversation file that cannot be read to `<id>.corrupt-<time>.json` beside it, out of the
   * history but never lost. Resolves to the new path, or undefined when another window moved it first.
   */
  async keepAside(id: string, now = new Date()): Promise<string | undefined> {
    const aside = this.store.join(this.path, `${id}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}${CHAT_SUFFIX}`);
    return (await this.store.rename(this.chatPath(id), aside)) ? aside : undefined;
  }

  /** The user's copy of an earlier version's single history file, renamed aside once moved and made private. */
  async readLegacy(file: string): Promise<string | undefined> {
    return this.store.readText(file).catch(() => undefined);
  }

  async retireLegacy(file: string): Promise<void> {
    const retired = `${file}.migrated`;
    // Another window may have moved it already.
    await this.store.rename(file, retired).catch(() => undefined);
    await this.store.restrict(retired, 'file');
  }

  /** Drops a conversation to keep the history within its bounds (no tombstone: it may come back). */
  async remove(id: string): Promise<void> {
    await this.store.remove(this.chatPath(id));
    await this.removeImages(id);
  }

  private chatPath(id: string): string {
    if (!isSafeChatId(id)) throw new Error('Refusing an unsafe conversation id.');
    return this.store.join(this.path, `${id}${CHAT_SUFFIX}`);
  }

  private imagesPath(id: string): string {
    if (!isSafeChatId(id)) throw new Error('Refusing an unsafe conversation id.');
    return this.store.join(this.path, `${id}${IMAGES_SUFFIX}`);
  }

  private tombstonePath(id: string): string {
    if (!isSafeChatId(id)) throw new Error('Refusing an unsafe conversation id.');
    return this.store.join(this.path, `${id}${TOMBSTONE_SUFFIX}`);
  }
}

function safeAttachmentId(id: string): string {
  if (!isSafeChatId(id)) throw new Error('Refusing an unsafe attachment id.');
  return id;
}

function idOf(name: string): string | undefined {
  const suffix = name.endsWith(CHAT_SUFFIX) ? CHAT_SUFFIX : name.endsWith(TOMBSTONE_SUFFIX) ? TOMBSTONE_SUFFIX : undefined;
  if (!suffix) return undefined;
  const id = name.slice(0, -suffix.length);
  return isSafeChatId(id) ? id : undefined;
}

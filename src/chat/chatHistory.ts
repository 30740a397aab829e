// Past conversations, newest first, one file each in a folder that several VS Code windows may share,
// bounded in count and in bytes. Each save writes only its own conversation, so two windows never
// overwrite each other's chats, and a deleted conversation stays deleted whatever is still running.
// No vscode import: unit tests point it at a temporary folder. The files themselves are HistoryFolder's.
import type { Conversation } from './conversation';
import type { ChatSummary } from '../protocols/chat';
import { HistoryFolder, isSafeChatId, type FolderEntry, type ImageFolderEntry } from './historyFolder';
import { errorText } from '../util/errorText';
import type { FileStore } from '../storage/fileStore';

export interface HistoryLimits {
  maxChats: number;
  /** Upper bound on all conversation files together, in UTF-16 code units (close enough to bytes for a bound). */
  maxChars: number;
  /**
   * Upper bound on the images kept for follow-up questions, all conversations together, in bytes of their data
   * URLs. Past it the least recently used conversations' images go; their chats then say the image is not sent.
   */
  maxImageBytes?: number;
}

/** About 40 images at the 5 MB limit (as data URLs, a third larger than the files). */
export const defaultMaxImageBytes = 256 * 1024 * 1024;
export const defaultHistoryLimits: HistoryLimits = { maxChats: 100, maxChars: 2_000_000, maxImageBytes: defaultMaxImageBytes };

export interface ChatHistoryOptions {
  limits?: HistoryLimits;
  onError?: (message: string) => void;
  /** The single-file history of earlier versions, moved into the folder on first load. */
  legacyFile?: string;
  /** `openrouter.chat.keepHistory`, read at each save: false writes nothing (what is saved stays readable). */
  keep?: () => boolean;
  /**
   * A conversation file could not be read: it was renamed aside, out of the history. Called once per file,
   * with the chat's title when it could be made out and where the file now is.
   */
  onUnreadable?: (chat: { title: string | undefined; keptAt: string }) => void;
}

interface Cached {
  entry: FolderEntry;
  chat: Conversation;
}

export class ChatHistory {
  private readonly folder: HistoryFolder;
  private readonly limits: HistoryLimits;
  private readonly onError: (message: string) => void;
  private readonly cache = new Map<string, Cached>();
  /** Deleted here or in another window: never written again. */
  private readonly deleted = new Set<string>();
  private migrated: Promise<void> | undefined;
  /** This window's writes, one at a time, in the order asked. */
  private writing: Promise<void> = Promise.resolve();

  /** `store`: where the files live, the extension's one store (the composition root's). */
  constructor(
    store: FileStore,
    folderPath: string,
    private readonly options: ChatHistoryOptions = {},
  ) {
    this.folder = new HistoryFolder(store, folderPath);
    this.limits = options.limits ?? defaultHistoryLimits;
    this.onError = options.onError ?? (() => {});
  }

  /** Re-reads the folder (other windows may have written); the list and `get` then reflect it. */
  async load(): Promise<void> {
    this.migrated ??= this.migrateLegacyFile();
    await this.migrated;
    await this.enqueue(() => this.refresh());
  }

  list(): ChatSummary[] {
    return this.sorted().map(({ chat: c }) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, turnCount: c.turns.length }));
  }

  get(id: string): Conversation | undefined {
    const cached = this.cache.get(id);
    return cached && structuredClone(cached.chat);
  }

  isDeleted(id: string): boolean {
    return this.deleted.has(id);
  }

  /**
   * Writes this conversation's file (a copy taken now), unless the conversation was deleted, then
   * drops the oldest conversations beyond the limits. Other conversations' files are not touched.
   */
  save(conversation: Conversation): Promise<void> {
    const id = conversation.id;
    if (!this.keeping() || !isSafeChatId(id) || this.deleted.has(id)) return this.writing;
    const copy = structuredClone(conversation);
    return this.enqueue(async () => {
      if (this.deleted.has(id) || (await this.folder.isDeleted(id))) {
        this.deleted.add(id);
        this.cache.delete(id);
        return;
      }
      const text = this.serialise(copy);
      const entry = await this.folder.write(id, text);
      this.cache.set(id, { entry, chat: copy });
      await this.refresh();
      await this.enforceCount();
    });
  }

  /**
   * Keeps the images of a question so that follow-ups in a later session send them again, unless the
   * conversation was deleted; then lets the oldest conversations' images go beyond the bound.
   */
  saveImages(chatId: string, images: ReadonlyMap<string, string>): Promise<void> {
    if (!this.keeping() || !isSafeChatId(chatId) || this.deleted.has(chatId) || images.size === 0) return this.writing;
    const copy = new Map(images);
    return this.enqueue(async () => {
      if (this.deleted.has(chatId) || (await this.folder.isDeleted(chatId))) return;
      for (const [id, dataUrl] of copy) await this.folder.writeImage(chatId, id, dataUrl);
      await this.enforceImageBound(chatId);
    });
  }

  /** The images kept for this conversation among `attachmentIds`, after this window's pending writes. */
  async loadImages(chatId: string, attachmentIds: readonly string[]): Promise<Map<string, string>> {
    let images = new Map<string, string>();
    if (!isSafeChatId(chatId) || attachmentIds.length === 0) return images;
    await this.enqueue(async () => {
      images = await this.folder.readImages(chatId, attachmentIds);
    });
    return images;
  }

  async delete(id: string): Promise<void> {
    if (!isSafeChatId(id)) return;
    this.deleted.add(id);
    this.cache.delete(id);
    await this.enqueue(() => this.folder.markDeleted(id));
  }

  /** Deletes every saved conversation (as `delete` does each); resolves to how many there were. */
  async deleteAll(): Promise<number> {
    await this.load();
    const ids = [...this.cache.keys()];
    for (const id of ids) await this.delete(id);
    return ids.length;
  }

  /** Resolves when every write asked for so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }

  private keeping(): boolean {
    return this.options.keep?.() ?? true;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.writing = this.writing.then(work).catch((error: unknown) => this.onError(`Could not save the chat history: ${errorText(error)}`));
    return this.writing;
  }

  private sorted(): Cached[] {
    return [...this.cache.values()].sort((a, b) => b.chat.updatedAt - a.chat.updatedAt);
  }

  /** One conversation alone over the byte bound keeps its most recent turns. */
  private serialise(chat: Conversation): string {
    let text = JSON.stringify({ version: 1, chat });
    while (text.length > this.limits.maxChars && chat.turns.length > 1) {
      chat.turns.shift();
      text = JSON.stringify({ version: 1, chat });
    }
    return text;
  }

  /** Brings the cache in line with the folder, reading only files that changed since they were read. */
  private async refresh(): Promise<void> {
    const listing = await this.folder.list();
    for (const id of listing.deleted) this.deleted.add(id);
    const present = new Set(listing.chats.map((c) => c.id));
    for (const id of this.cache.keys()) if (!present.has(id)) this.cache.delete(id);
    await Promise.all(
      listing.chats.map(async (entry) => {
        const known = this.cache.get(entry.id)?.entry;
        if (known && known.mtimeMs === entry.mtimeMs && known.size === entry.size) return;
        const text = await this.folder.read(entry.id).catch(() => undefined);
        const parsed = parseChat(text, entry.id);
        if (parsed.chat) this.cache.set(entry.id, { entry, chat: parsed.chat });
        else this.cache.delete(entry.id);
        if (parsed.unreadable) await this.keepAside(entry.id, text ?? '');
      }),
    );
  }

  /** Out of the history, never deleted: the user may recover it by hand. Another window may have done it first. */
  private async keepAside(id: string, text: string): Promise<void> {
    const keptAt = await this.folder.keepAside(id);
    if (keptAt) this.options.onUnreadable?.({ title: titleIn(text), keptAt });
  }

  private async enforceCount(): Promise<void> {
    const kept = this.sorted();
    let total = 0;
    for (const [index, { entry, chat }] of kept.entries()) {
      total += entry.size;
      if (index === 0 || (index < this.limits.maxChats && total <= this.limits.maxChars)) continue;
      this.cache.delete(chat.id);
      await this.folder.remove(chat.id);
    }
  }

  /** Least recently updated conversations first, keeping `keep`'s images whatever their size. */
  private async enforceImageBound(keep: string): Promise<void> {
    const max = this.limits.maxImageBytes ?? defaultMaxImageBytes;
    const folders = await this.folder.listImages();
    let total = folders.reduce((sum, folder) => sum + folder.size, 0);
    if (total <= max) return;
    // A conversation not saved yet (its first answer is still on the way) counts from its last image.
    const usedAt = (folder: ImageFolderEntry): number => this.cache.get(folder.id)?.chat.updatedAt ?? folder.mtimeMs;
    for (const folder of folders.sort((a, b) => usedAt(a) - usedAt(b))) {
      if (total <= max) break;
      if (folder.id === keep) continue;
      await this.folder.removeImages(folder.id);
      total -= folder.size;
    }
  }

  /** Copies each conversation of the old single file into the folder (keeping newer copies), then retires the file. */
  private async migrateLegacyFile(): Promise<void> {
    const legacy = this.options.legacyFile;
    if (!legacy) return;
    const text = await this.folder.readLegacy(legacy);
    if (text === undefined) return;
    try {
      const data = JSON.parse(text) as { version?: number; chats?: unknown };
      if (data.version === 1 && Array.isArray(data.chats)) {
        await this.refresh();
        for (const chat of data.chats.filter(isConversation)) {
          if (!isSafeChatId(chat.id) || this.cache.has(chat.id) || this.deleted.has(chat.id)) continue;
          await this.folder.write(chat.id, this.serialise(chat));
        }
      }
    } catch (error) {
      this.onError(`Ignoring an unreadable chat history: ${errorText(error)}`);
    }
    await this.folder.retireLegacy(legacy);
  }
}

/**
 * The conversation in a file's text; `unreadable` when the text is not a conversation this version can read
 * and not a later version's either (a newer window's file is left alone). A file that could not be read is neither.
 */
function parseChat(text: string | undefined, id: string): { chat?: Conversation; unreadable?: boolean } {
  if (text === undefined) return {};
  let data: { version?: unknown; chat?: unknown } | null;
  try {
    data = JSON.parse(text) as { version?: unknown; chat?: unknown } | null;
  } catch {
    return { unreadable: true };
  }
  if (typeof data?.version === 'number' && data.version > 1) return {};
  if (data?.version === 1 && isConversation(data.chat) && data.chat.id === id) return { chat: data.chat };
  return { unreadable: true };
}

/** The title of a damaged conversation file, when it can still be made out. */
function titleIn(text: string): string | undefined {
  const match = /"title"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text);
  if (!match?.[1]) return undefined;
  try {
    const title = JSON.parse(match[1]) as string;
    return title.trim() ? title.slice(0, 80) : undefined;
  } catch {
    return undefined;
  }
}

function isConversation(value: unknown): value is Conversation {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<Conversation>;
  return typeof c.id === 'string' && typeof c.title === 'string' && typeof c.updatedAt === 'number' && Array.isArray(c.turns);
}

// Past conversations, newest first, kept in one JSON file and bounded in count and in bytes.
// No vscode import: the file is reached through `HistoryFile`, so unit tests use a temp file.
import type { ChatSummary, Conversation } from '../protocol';

export interface HistoryFile {
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
}

export interface HistoryLimits {
  maxChats: number;
  /** Upper bound on the serialised file, in UTF-16 code units (close enough to bytes for a bound). */
  maxChars: number;
}

export const defaultHistoryLimits: HistoryLimits = { maxChats: 100, maxChars: 2_000_000 };

export class ChatHistory {
  private chats: Conversation[] = [];
  private loaded: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: HistoryFile,
    private readonly limits: HistoryLimits = defaultHistoryLimits,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  async load(): Promise<void> {
    this.loaded ??= this.readFile();
    await this.loaded;
  }

  list(): ChatSummary[] {
    return this.chats.map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, turnCount: c.turns.length }));
  }

  get(id: string): Conversation | undefined {
    const chat = this.chats.find((c) => c.id === id);
    return chat && structuredClone(chat);
  }

  /** Stores a copy of the conversation as the newest entry, dropping the oldest beyond the limits. */
  async save(conversation: Conversation): Promise<void> {
    await this.load();
    this.chats = [structuredClone(conversation), ...this.chats.filter((c) => c.id !== conversation.id)];
    this.enforceLimits();
    await this.persist();
  }

  async delete(id: string): Promise<void> {
    await this.load();
    this.chats = this.chats.filter((c) => c.id !== id);
    await this.persist();
  }

  /** Resolves when every write asked for so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }

  private enforceLimits(): void {
    this.chats = this.chats.slice(0, this.limits.maxChats);
    let size = JSON.stringify(this.chats).length;
    while (size > this.limits.maxChars && this.chats.length > 1) {
      this.chats.pop();
      size = JSON.stringify(this.chats).length;
    }
    // One conversation alone over the bound keeps its most recent turns.
    const only = this.chats[0];
    while (only && size > this.limits.maxChars && only.turns.length > 1) {
      only.turns.shift();
      size = JSON.stringify(this.chats).length;
    }
  }

  private persist(): Promise<void> {
    const text = JSON.stringify({ version: 1, chats: this.chats });
    this.writing = this.writing.then(() =>
      this.file.write(text).catch((error: unknown) => this.onError(`Could not save the chat history: ${error instanceof Error ? error.message : String(error)}`)),
    );
    return this.writing;
  }

  private async readFile(): Promise<void> {
    try {
      const text = await this.file.read();
      if (!text) return;
      const data = JSON.parse(text) as { version?: number; chats?: unknown };
      if (data.version !== 1 || !Array.isArray(data.chats)) return;
      this.chats = data.chats.filter(isConversation);
    } catch (error) {
      this.onError(`Ignoring an unreadable chat history: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function isConversation(value: unknown): value is Conversation {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<Conversation>;
  return typeof c.id === 'string' && typeof c.title === 'string' && typeof c.updatedAt === 'number' && Array.isArray(c.turns);
}

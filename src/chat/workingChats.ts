// The chats this window has in hand: which conversations an answer or a stats poll still writes to (so
// reopening one shows and saves the same object), the images not on disk yet, and every save, with the
// background work a test or a shutdown waits for. No vscode import.
import type { Conversation } from './conversation';
import type { ExtensionMessage } from '../protocols/chat';
import { ImageStore } from './attachments/imageStore';
import type { ChatHistory } from './chatHistory';

export interface WorkingChatsDeps {
  history: ChatHistory;
  post(message: ExtensionMessage): void;
  /** The conversation on screen. */
  current(): Conversation;
}

export class WorkingChats {
  /** Conversations with an answer or a stats poll still running, by id, with how many. */
  private readonly working = new Map<string, { conversation: Conversation; jobs: number }>();
  private readonly tasks = new Set<Promise<void>>();
  /** Chats deleted from this panel, and chats whose deletion elsewhere the user was told about. */
  private readonly deletionKnown = new Set<string>();
  /** Image data URLs of this window's questions and of reopened chats, by attachment id (the oldest let go past a bound). */
  readonly images = new ImageStore();
  /** Images of questions not written to the history yet, by conversation: they go with the question's save. */
  private readonly unsavedImages = new Map<string, Map<string, string>>();

  constructor(private readonly deps: WorkingChatsDeps) {}

  /** Resolves when every task started so far has ended, and its last save is on disk. */
  async settled(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    await this.deps.history.flush();
  }

  track(task: Promise<void>): void {
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  /** The conversation a running job holds under this id, else undefined. */
  held(id: string): Conversation | undefined {
    return this.working.get(id)?.conversation;
  }

  hold(conversation: Conversation): void {
    const entry = this.working.get(conversation.id);
    if (entry) entry.jobs++;
    else this.working.set(conversation.id, { conversation, jobs: 1 });
  }

  release(conversation: Conversation): void {
    const entry = this.working.get(conversation.id);
    if (!entry || --entry.jobs > 0) return;
    this.working.delete(conversation.id);
  }

  /** A question's images: kept for follow-ups, and written with the conversation's next save. */
  addImages(conversationId: string, imageData: ReadonlyMap<string, string>): void {
    if (imageData.size === 0) return;
    const unsaved = this.unsavedImages.get(conversationId) ?? new Map<string, string>();
    for (const [id, data] of imageData) {
      this.images.set(id, data);
      unsaved.set(id, data);
    }
    this.unsavedImages.set(conversationId, unsaved);
  }

  /** Images of the chat's questions kept in an earlier session, so follow-ups send them again. */
  async loadImages(chat: Conversation): Promise<void> {
    const wanted = chat.turns.flatMap((turn) => (turn.role === 'user' ? (turn.attachments ?? []) : [])).filter((a) => (a.kind === 'image' || a.kind === 'pdf') && this.images.get(a.id) === undefined);
    if (wanted.length === 0) return;
    const images = await this.deps.history.loadImages(chat.id, wanted.map((a) => a.id));
    for (const [id, data] of images) this.images.set(id, data);
  }

  /** The user deleted the chat here: nothing of it is written again. */
  deleted(id: string): void {
    this.deletionKnown.add(id);
    this.unsavedImages.delete(id);
  }

  /** Saves the conversation with its new images; a deleted one is never written back. */
  async save(conversation: Conversation): Promise<void> {
    if (conversation.turns.length === 0) return;
    const images = this.unsavedImages.get(conversation.id);
    this.unsavedImages.delete(conversation.id);
    await this.deps.history.save(conversation);
    if (images) await this.deps.history.saveImages(conversation.id, images);
    this.deps.post({ type: 'history', history: this.deps.history.list() });
    const id = conversation.id;
    if (conversation === this.deps.current() && this.deps.history.isDeleted(id) && !this.deletionKnown.has(id)) {
      // Another window deleted the chat on screen: it stays deleted, so what follows here is not kept. Say so once.
      this.deletionKnown.add(id);
      this.deps.post({
        type: 'sendRejected',
        text: '',
        error: { kind: 'other', message: 'This chat was deleted in another window, so it is no longer saved.', advice: 'Start a new chat to keep what you write next.' },
      });
    }
  }
}

// The conversation behind the chat panel: starts answers (send, retry, regenerate, edit) after one pre-flight
// check, stops them, switches and deletes chats. Each answer streams through the answer pipeline (chatAnswer.ts);
// the chats in hand and their saves are workingChats.ts. No vscode import, so unit tests drive it against the
// emulator over a real socket.
import type { ChatMessage } from '../openrouter/types';
import type { AssistantTurn, ChatRouting, Conversation, ErrorNotice, UserTurn } from './conversation';
import type { ChatSnapshot } from '../protocols/chat';
import { parseRoutingOverrides } from '../routing';
import { buildRequestMessages, keepTextOnce, withoutAttachmentText } from './attachments/promptBuilder';
import { AnswerTiming } from './answerTiming';
import { ChatAnswer, resumePendingStats, type ChatAnswerContext } from './chatAnswer';
import { AgentAnswer } from './agentAnswer';
import { agentPanelState, applyAgentChoices, modeOf } from './agentChoices';
import type { ChatSessionDeps, SendAttachments } from './chatSessionDeps';
import { WorkingChats } from './workingChats';

export type { ChatSessionDeps, SendAttachments } from './chatSessionDeps';

const titleLength = 60;

export class ChatSession {
  private conversation: Conversation;
  private running: ChatAnswer | AgentAnswer | undefined;
  private readonly chats: WorkingChats;
  /** Aborted on dispose: ends any stream and any /generation polling. */
  private readonly lifetime = new AbortController();
  private readonly answers: ChatAnswerContext;

  constructor(private readonly deps: ChatSessionDeps) {
    this.conversation = this.emptyConversation();
    this.chats = new WorkingChats({ history: deps.history, post: deps.post, current: () => this.conversation });
    this.answers = { deps, chats: this.chats, lifetime: this.lifetime.signal, current: () => this.conversation };
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get current(): Conversation {
    return this.conversation;
  }

  /** Resolves when the answer streaming now (if any) has ended. */
  get idle(): Promise<void> {
    return this.running?.done ?? Promise.resolve();
  }

  /** Resolves when every answer and every stats poll started so far has ended, and its last save is on disk. */
  settled(): Promise<void> {
    return this.chats.settled();
  }

  async snapshot(): Promise<ChatSnapshot> {
    await this.deps.history.load();
    return this.takeSnapshot(await this.deps.hasKey());
  }

  /**
   * Posts a snapshot taken in the same step, after the last wait: a panel (re)loading drops what was posted
   * before its snapshot, so the snapshot must hold every piece and end posted until then.
   */
  async postSnapshot(): Promise<void> {
    await this.deps.history.load();
    const hasKey = await this.deps.hasKey();
    this.deps.post({ type: 'snapshot', snapshot: this.takeSnapshot(hasKey) });
  }

  private takeSnapshot(hasKey: boolean): ChatSnapshot {
    return {
      conversation: { ...structuredClone(this.conversation), turns: this.conversation.turns.map((turn) => structuredClone(withoutAttachmentText(turn))) },
      history: this.deps.history.list(),
      ...(this.deps.composerAttachments ? { attachments: this.deps.composerAttachments() } : {}),
      models: this.deps.models(),
      selectedModel: this.deps.selectedModel(),
      hasKey,
      busy: this.busy,
      ...(this.deps.routingDefaults ? { routingDefaults: this.deps.routingDefaults() } : {}),
      ...(this.deps.agent ? { agent: agentPanelState(this.deps.agent) } : {}),
    };
  }

  /** Switches this chat between Ask and Agent or changes its Agent choices (validated: the webview is untrusted). */
  async setAgent(raw: { mode?: unknown; choices?: unknown }): Promise<void> {
    const problems = this.deps.agent ? applyAgentChoices(this.conversation, raw) : ['Agent mode is not available here.'];
    this.agentChanged(problems);
    if (this.conversation.turns.length > 0) await this.save();
  }

  /** The chat's mode and choices (and, when `withTools`, the tools and limits) to the panel. */
  agentChanged(problems: string[] = [], withTools = false): void {
    const state = withTools && this.deps.agent ? { state: agentPanelState(this.deps.agent) } : {};
    this.deps.post({ type: 'agentState', mode: modeOf(this.conversation), choices: structuredClone(this.conversation.agent ?? {}), ...state, problems });
  }

  /** The user's answer to a tool's question in the running Agent answer. */
  confirmTool(turnId: string, callId: string, accept: boolean): void {
    if (this.running instanceof AgentAnswer) this.running.confirmTool(turnId, callId, accept);
  }

  /** Replaces this chat's routing choices (validated: the webview is untrusted); `{}` resets to the settings. */
  async setRouting(raw: unknown): Promise<void> {
    const { value, problems } = parseRoutingOverrides(raw);
    if (problems.length > 0) this.deps.log.warn(`Chat routing choices ignored: ${problems.join(' ')}`);
    if (Object.keys(value).length > 0) this.conversation.routing = value;
    else delete this.conversation.routing;
    this.deps.post({ type: 'routing', routing: structuredClone(value), ...this.routingDefaultsField(), problems, answer: true });
    if (this.conversation.turns.length > 0) await this.save();
  }

  /** The settings changed: the panel shows the new defaults. */
  routingSettingsChanged(): void {
    this.deps.post({ type: 'routing', routing: structuredClone(this.conversation.routing ?? {}), ...this.routingDefaultsField(), problems: [] });
  }

  private routingDefaultsField(): { defaults?: Required<ChatRouting> } {
    return this.deps.routingDefaults ? { defaults: this.deps.routingDefaults() } : {};
  }

  /** Sends the question with its attachments; false when it could not start (the reason is posted). */
  async send(text: string, attached?: SendAttachments): Promise<boolean> {
    const askedAt = performance.now();
    return this.startIf(text, true, () => true, () => {
      const user: UserTurn = { role: 'user', id: crypto.randomUUID(), content: text, createdAt: Date.now() };
      if (attached && attached.attachments.length > 0) {
        user.attachments = structuredClone(attached.attachments);
        keepTextOnce(this.conversation.turns, user.attachments);
        this.chats.addImages(this.conversation.id, attached.imageData);
      }
      this.ask(user, this.conversation.turns.length === 0);
      this.startAnswer(this.deps.selectedModel()!, askedAt);
    });
  }

  /** The messages a request to `modelId` would carry with `next` as the new question (for the estimate). */
  messagesWith(next: UserTurn, modelId: string, imageData: ReadonlyMap<string, string>): ChatMessage[] {
    return buildRequestMessages(this.conversation, { modelId, imagesAllowed: this.deps.modelReadsImages?.(modelId) ?? true, imageData: (id) => imageData.get(id) ?? this.chats.images.get(id) }, next);
  }

  /** Answers the last question again in place of its failed (or unwanted) last answer, with the chosen model. */
  async retry(turnId: string): Promise<void> {
    const askedAt = performance.now();
    const turns = this.conversation.turns;
    const last = turns[turns.length - 1];
    if (!last || last.id !== turnId || last.role !== 'assistant') return;
    await this.startIf('', true, () => turns[turns.length - 1] === last && this.conversation.turns === turns, () => {
      this.dropFrom(turns.length - 1);
      this.startAnswer(this.deps.selectedModel()!, askedAt);
    });
  }

  /**
   * Answers again from the question before this answer: the answer and every turn after it are dropped (and the
   * history saved without them). Same model as the answer had unless `model` names another.
   */
  async regenerate(turnId: string, model?: string): Promise<void> {
    const askedAt = performance.now();
    const turns = this.conversation.turns;
    const index = turns.findIndex((t) => t.id === turnId);
    const answer = turns[index];
    if (!answer || answer.role !== 'assistant') return;
    await this.startIf('', false, () => this.conversation.turns[index] === answer, () => {
      this.dropFrom(index);
      this.startAnswer(model ?? answer.model, askedAt);
    });
  }

  /**
   * Replaces a question with `text` and answers it with the chosen model; every turn after it is dropped (and the
   * history saved without them). An answer still streaming is stopped first.
   */
  async editAndResend(turnId: string, text: string): Promise<void> {
    const askedAt = performance.now();
    const index = this.conversation.turns.findIndex((t) => t.id === turnId);
    if (index < 0 || this.conversation.turns[index]!.role !== 'user' || !text.trim()) return;
    const conversation = this.conversation;
    this.stop();
    await this.startIf('', true, () => conversation === this.conversation && conversation.turns[index]?.id === turnId, () => {
      const edited = conversation.turns[index] as UserTurn;
      this.dropFrom(index);
      // The edited question keeps what it was sent with.
      this.ask({ role: 'user', id: crypto.randomUUID(), content: text, createdAt: Date.now(), ...(edited.attachments ? { attachments: edited.attachments } : {}) }, index === 0);
      this.startAnswer(this.deps.selectedModel()!, askedAt);
    });
  }

  /** The whole answer as the model wrote it (markdown), for the clipboard. */
  answerText(turnId: string): string | undefined {
    const turn = this.conversation.turns.find((t) => t.id === turnId);
    return turn?.role === 'assistant' ? turn.content : undefined;
  }

  /** Drops the turn at `index` and every one after it, from the conversation and from the panel. */
  private dropFrom(index: number): void {
    for (const turn of this.conversation.turns.splice(index)) this.deps.post({ type: 'turnRemoved', turnId: turn.id });
  }

  /** Puts a question into the conversation and the panel; the first one names the chat. */
  private ask(user: UserTurn, first: boolean): void {
    if (first) this.conversation.title = titleFrom(user.content);
    this.conversation.turns.push(user);
    this.deps.post({ type: 'turnAdded', turn: structuredClone(withoutAttachmentText(user)) });
  }

  /** Ends the streaming answer now, keeping what arrived; the HTTP stream is closed by the abort. */
  stop(): void {
    this.running?.stop();
  }

  async newChat(): Promise<void> {
    this.stop();
    this.conversation = this.emptyConversation();
    await this.postSnapshot();
  }

  async openChat(id: string): Promise<void> {
    await this.deps.history.load();
    if (this.deps.history.isDeleted(id)) return;
    const chat = this.chats.held(id) ?? this.deps.history.get(id);
    if (!chat) return;
    this.stop();
    this.conversation = chat;
    await this.chats.loadImages(chat);
    await this.postSnapshot();
    resumePendingStats(this.answers, chat);
  }

  /** Deletes the chat for good: an answer still streaming into it is stopped and never saves it back. */
  async deleteChat(id: string): Promise<void> {
    this.chats.deleted(id);
    if (this.running?.conversation.id === id) this.stop();
    await this.deps.history.delete(id);
    if (id === this.conversation.id) {
      await this.newChat();
    } else {
      this.deps.post({ type: 'history', history: this.deps.history.list() });
    }
  }

  /** Starts a new chat whose first exchange is `prompt` and `answer` by `model` (Compare Models' "continue in chat"). */
  async seedConversation(seed: { prompt: string; answer: string; model: string }): Promise<void> {
    this.stop();
    const now = Date.now();
    const conversation = this.emptyConversation();
    conversation.title = titleFrom(seed.prompt);
    conversation.turns.push(
      { role: 'user', id: crypto.randomUUID(), content: seed.prompt, createdAt: now },
      { role: 'assistant', id: crypto.randomUUID(), content: seed.answer, reasoning: '', model: seed.model, status: 'done', createdAt: now },
    );
    this.conversation = conversation;
    await this.save();
    await this.postSnapshot();
  }

  async setSystemPrompt(text: string): Promise<void> {
    this.conversation.systemPrompt = text;
    if (this.conversation.turns.length > 0) await this.save();
  }

  dispose(): void {
    this.stop();
    this.lifetime.abort();
  }

  /**
   * The one check before an answer starts (send, retry, regenerate, edit): nothing streaming, a key, a model when
   * the chosen one answers, and the budget question; checked again once that question is answered, since it may
   * stay open a while. `stillValid` says whether what the action works on is still there (silently false if not).
   * A reason is posted with `text` handed back to the composer. `start` runs in the same step as the last check,
   * so nothing else can start in between; false when it did not run.
   */
  private async startIf(text: string, needsSelectedModel: boolean, stillValid: () => boolean, start: () => void): Promise<boolean> {
    // Synchronous once the key is known, so nothing can start between the check and `start`.
    const check = (hasKey: boolean): boolean => {
      const rejected = this.cannotSend(hasKey, needsSelectedModel);
      if (rejected) this.deps.post({ type: 'sendRejected', text, error: rejected });
      return !rejected && stillValid();
    };
    if (!check(await this.deps.hasKey())) return false;
    if (this.deps.confirmSend) {
      if (!(await this.deps.confirmSend())) {
        this.deps.post({ type: 'sendRejected', text, error: budgetDeclined });
        return false;
      }
      if (!check(await this.deps.hasKey())) return false;
    }
    start();
    return true;
  }

  private cannotSend(hasKey: boolean, needsSelectedModel: boolean): ErrorNotice | undefined {
    if (this.busy) return stillStreaming;
    if (!hasKey) {
      return { kind: 'no-key', message: 'No OpenRouter API key is set.', advice: 'Add your key to start chatting.', action: { label: 'Set API Key', action: 'setApiKey' } };
    }
    if (needsSelectedModel && !this.deps.selectedModel()) {
      return { kind: 'other', message: 'No model is selected.', advice: 'Choose a model above.', action: { label: 'Choose Model', action: 'selectModel' } };
    }
    return undefined;
  }

  /** `askedAt`: when the question reached the extension (performance.now()), for the timing line in the log. */
  private startAnswer(model: string, askedAt: number): void {
    const turn: AssistantTurn = { role: 'assistant', id: crypto.randomUUID(), content: '', reasoning: '', model, status: 'streaming', createdAt: Date.now() };
    const conversation = this.conversation;
    const owners: Array<string | undefined> = [];
    const messages = this.requestMessages(model, owners);
    conversation.turns.push(turn);
    conversation.updatedAt = Date.now();
    this.deps.post({ type: 'turnAdded', turn: structuredClone(turn) });
    const onEnded = (ended: ChatAnswer | AgentAnswer): void => {
      if (this.running === ended) this.running = undefined;
    };
    this.running =
      conversation.mode === 'agent' && this.deps.agent
        ? new AgentAnswer(this.answers, conversation, turn, messages, new AnswerTiming(askedAt), onEnded)
        : new ChatAnswer(this.answers, conversation, turn, messages, new AnswerTiming(askedAt), onEnded, owners);
  }

  /** Questions with their attachments as content parts, cache breakpoints for `model` where it takes them. */
  private requestMessages(model: string, owners?: Array<string | undefined>): ChatMessage[] {
    const imagesAllowed = this.deps.modelReadsImages?.(model) ?? true;
    return buildRequestMessages(this.conversation, { modelId: model, imagesAllowed, imageData: (id) => this.chats.images.get(id), ...(owners ? { owners } : {}) });
  }

  private save(): Promise<void> {
    return this.chats.save(this.conversation);
  }

  private emptyConversation(): Conversation {
    const now = Date.now();
    // A new chat keeps the mode and Agent choices of the one before, as it keeps its system prompt.
    const mode = this.conversation?.mode ? { mode: this.conversation.mode } : {};
    const agent = this.conversation?.agent ? { agent: structuredClone(this.conversation.agent) } : {};
    return { id: crypto.randomUUID(), title: 'New chat', createdAt: now, updatedAt: now, systemPrompt: this.conversation?.systemPrompt ?? '', ...mode, ...agent, turns: [] };
  }
}

const stillStreaming: ErrorNotice = { kind: 'other', message: 'An answer is still streaming.', advice: 'Wait for it or press Stop, then send again.' };

const budgetDeclined: ErrorNotice = {
  kind: 'credits',
  message: 'Not sent: your OpenRouter budget is used up and you chose not to go over it.',
  advice: 'Send again to be asked once more, or raise openrouter.budget.daily / openrouter.budget.monthly in your user settings.',
  action: { label: 'Open Settings', action: 'openSettings' },
};

function titleFrom(text: string): string {
  const line = text.split('\n').find((l) => l.trim() && !l.startsWith('```'))?.trim() ?? 'New chat';
  return line.length > titleLength ? `${line.slice(0, titleLength - 1)}…` : line;
}


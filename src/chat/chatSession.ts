// The conversation behind the chat panel: sends turns through the shared provider, streams answers
// into protocol messages, stops them, costs them, and keeps the history. No vscode import, so unit
// tests drive it against the emulator over a real socket.
import { randomUUID } from 'node:crypto';
import type { Log } from '../log/logger';
import { AbortError } from '../openrouter/errors';
import type { ChatMessage, ChatRequest, Usage } from '../openrouter/types';
import type { AnswerStats, AssistantTurn, AttachmentChip, ChatRouting, ChatSnapshot, Conversation, ErrorNotice, ExtensionMessage, ModelOption, TurnAttachment, UserTurn } from '../webview/protocol';
import type { Provider } from '../host/providerHost';
import { parseRoutingOverrides, type RoutingOverrides } from '../routing';
import type { ChatHistory } from './chatHistory';
import { generationStats, usageStats } from './answerStats';
import { errorNotice, type NoticeContext } from './errorNotice';
import { errorText } from '../util/errorText';
import { buildRequestMessages, keepTextOnce, withoutAttachmentText } from './attachments/promptBuilder';
import { ImageStore } from './attachments/imageStore';
import { AnswerTiming } from './answerTiming';
import { lookUpGeneration } from '../usage/generationLookup';
import type { GenerationRecord } from '../usage/usageTypes';

export interface ChatSessionDeps {
  /** Read per request: the host may have rebuilt the provider since. */
  provider(): Pick<Provider, 'streamExecute' | 'getGenerationStats'>;
  hasKey(): Promise<boolean>;
  selectedModel(): string | undefined;
  models(): ModelOption[];
  /** OpenRouter routing fields (provider, models, reasoning, session_id) for a request, with this chat's overrides. */
  routing?(model: string, sessionId: string, overrides?: RoutingOverrides): Partial<ChatRequest>;
  /** The routing settings in force, shown in the panel as what "default" means. */
  routingDefaults?(): Required<ChatRouting>;
  history: ChatHistory;
  post(message: ExtensionMessage): void;
  /** After every answer (credits changed). */
  onAnswerFinished(): void;
  /** The balance and the model's output price, for explaining a 402. */
  noticeContext?(model: string): NoticeContext;
  /** Asked before every request (the budget guard); false sends nothing. */
  confirmSend?(): Promise<boolean>;
  /** Each answer's final figures (usage chunk or /generation), for the usage record. */
  onGeneration?(record: GenerationRecord): void;
  log: Log;
  /** Waits between /generation attempts while it answers 404. */
  generationRetryDelaysMs?: readonly number[];
  newSessionId?(): string;
  /** False for a model known to read text only: images from earlier questions are then not resent. */
  modelReadsImages?(modelId: string): boolean;
  /** The attachments waiting in the composer, for the snapshot. */
  composerAttachments?(): AttachmentChip[];
}

/** A question's attachments; image data is kept beside the chat's history file, for follow-ups in later sessions. */
export interface SendAttachments {
  attachments: TurnAttachment[];
  imageData: ReadonlyMap<string, string>;
}

const defaultGenerationDelays = [500, 1000, 1500, 2000, 3000, 4000];
const titleLength = 60;

interface RunningAnswer {
  /** The conversation this answer belongs to: it is the one saved, whichever chat is on screen by then. */
  conversation: Conversation;
  turn: AssistantTurn;
  controller: AbortController;
  finished: boolean;
  done: Promise<void>;
}

export class ChatSession {
  private conversation: Conversation;
  private running: RunningAnswer | undefined;
  /** Conversations with an answer or a stats poll still running, so reopening one shows (and saves) the same object. */
  private readonly working = new Map<string, { conversation: Conversation; jobs: number }>();
  private readonly tasks = new Set<Promise<void>>();
  /** Chats deleted from this panel, and chats whose deletion elsewhere the user was told about. */
  private readonly deletionKnown = new Set<string>();
  /** Aborted on dispose: ends any stream and any /generation polling. */
  private readonly lifetime = new AbortController();
  /** Image data URLs of this window's questions and of reopened chats, by attachment id (the oldest let go past a bound). */
  private readonly imageData = new ImageStore();
  /** Images of questions not written to the history yet, by conversation: they go with the question's save. */
  private readonly unsavedImages = new Map<string, Map<string, string>>();

  constructor(private readonly deps: ChatSessionDeps) {
    this.conversation = this.emptyConversation();
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
  async settled(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    await this.deps.history.flush();
  }

  private track(task: Promise<void>): void {
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
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
    };
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
    const rejected = await this.cannotSend();
    if (rejected) {
      this.deps.post({ type: 'sendRejected', text, error: rejected });
      return false;
    }
    if (!(await this.budgetAllows())) {
      this.deps.post({ type: 'sendRejected', text, error: budgetDeclined });
      return false;
    }
    // While the budget question was open another send may have started, or the key or model gone.
    const changed = this.deps.confirmSend ? await this.cannotSend() : undefined;
    if (changed || this.busy) {
      this.deps.post({ type: 'sendRejected', text, error: changed ?? stillStreaming });
      return false;
    }
    const model = this.deps.selectedModel()!;
    const now = Date.now();
    const user: UserTurn = { role: 'user', id: randomUUID(), content: text, createdAt: now };
    if (attached && attached.attachments.length > 0) {
      user.attachments = structuredClone(attached.attachments);
      keepTextOnce(this.conversation.turns, user.attachments);
      for (const [id, data] of attached.imageData) this.imageData.set(id, data);
      if (attached.imageData.size > 0) {
        const unsaved = this.unsavedImages.get(this.conversation.id) ?? new Map<string, string>();
        for (const [id, data] of attached.imageData) unsaved.set(id, data);
        this.unsavedImages.set(this.conversation.id, unsaved);
      }
    }
    if (this.conversation.turns.length === 0) this.conversation.title = titleFrom(text);
    this.conversation.turns.push(user);
    this.deps.post({ type: 'turnAdded', turn: structuredClone(withoutAttachmentText(user)) });
    this.startAnswer(model, askedAt);
    return true;
  }

  /** The messages a request to `modelId` would carry with `next` as the new question (for the estimate). */
  messagesWith(next: UserTurn, modelId: string, imageData: ReadonlyMap<string, string>): ChatMessage[] {
    return buildRequestMessages(this.conversation, { modelId, imagesAllowed: this.deps.modelReadsImages?.(modelId) ?? true, imageData: (id) => imageData.get(id) ?? this.imageData.get(id) }, next);
  }

  async retry(turnId: string): Promise<void> {
    const askedAt = performance.now();
    const turns = this.conversation.turns;
    const last = turns[turns.length - 1];
    if (this.busy || !last || last.id !== turnId || last.role !== 'assistant') return;
    const rejected = await this.cannotSend();
    if (rejected) {
      this.deps.post({ type: 'sendRejected', text: '', error: rejected });
      return;
    }
    if (!(await this.budgetAllows())) {
      this.deps.post({ type: 'sendRejected', text: '', error: budgetDeclined });
      return;
    }
    if (this.busy || turns[turns.length - 1] !== last) return;
    turns.pop();
    this.deps.post({ type: 'turnRemoved', turnId });
    this.startAnswer(this.deps.selectedModel()!, askedAt);
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
    if (this.busy || !answer || answer.role !== 'assistant') return;
    const rejected = await this.cannotSend(false);
    if (rejected) {
      this.deps.post({ type: 'sendRejected', text: '', error: rejected });
      return;
    }
    if (!(await this.budgetAllows())) {
      this.deps.post({ type: 'sendRejected', text: '', error: budgetDeclined });
      return;
    }
    // While the budget question was open another answer may have started or the chat changed.
    if (this.busy || this.conversation.turns[index] !== answer) return;
    this.dropFrom(index);
    this.startAnswer(model ?? answer.model, askedAt);
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
    const rejected = await this.cannotSend();
    if (rejected || conversation !== this.conversation) {
      if (rejected) this.deps.post({ type: 'sendRejected', text: '', error: rejected });
      return;
    }
    if (!(await this.budgetAllows())) {
      this.deps.post({ type: 'sendRejected', text: '', error: budgetDeclined });
      return;
    }
    if (this.busy || conversation !== this.conversation || this.conversation.turns[index]?.id !== turnId) return;
    const edited = this.conversation.turns[index] as UserTurn;
    this.dropFrom(index);
    // The edited question keeps what it was sent with.
    const user: UserTurn = { role: 'user', id: randomUUID(), content: text, createdAt: Date.now(), ...(edited.attachments ? { attachments: edited.attachments } : {}) };
    if (index === 0) this.conversation.title = titleFrom(text);
    this.conversation.turns.push(user);
    this.deps.post({ type: 'turnAdded', turn: structuredClone(withoutAttachmentText(user)) });
    this.startAnswer(this.deps.selectedModel()!, askedAt);
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

  /** Ends the streaming answer now, keeping what arrived; the HTTP stream is closed by the abort. */
  stop(): void {
    const running = this.running;
    if (!running) return;
    running.controller.abort();
    this.finish(running, 'stopped', undefined, undefined);
  }

  async newChat(): Promise<void> {
    this.stop();
    this.conversation = this.emptyConversation();
    await this.postSnapshot();
  }

  async openChat(id: string): Promise<void> {
    await this.deps.history.load();
    if (this.deps.history.isDeleted(id)) return;
    const chat = this.working.get(id)?.conversation ?? this.deps.history.get(id);
    if (!chat) return;
    this.stop();
    this.conversation = chat;
    await this.loadImages(chat);
    await this.postSnapshot();
    this.resumePendingStats(chat);
  }

  /** Deletes the chat for good: an answer still streaming into it is stopped and never saves it back. */
  async deleteChat(id: string): Promise<void> {
    this.deletionKnown.add(id);
    this.unsavedImages.delete(id);
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
      { role: 'user', id: randomUUID(), content: seed.prompt, createdAt: now },
      { role: 'assistant', id: randomUUID(), content: seed.answer, reasoning: '', model: seed.model, status: 'done', createdAt: now },
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

  private async cannotSend(needsSelectedModel = true): Promise<ErrorNotice | undefined> {
    if (this.busy) return stillStreaming;
    if (!(await this.deps.hasKey())) {
      return { kind: 'no-key', message: 'No OpenRouter API key is set.', advice: 'Add your key to start chatting.', action: { label: 'Set API Key', action: 'setApiKey' } };
    }
    if (needsSelectedModel && !this.deps.selectedModel()) {
      return { kind: 'other', message: 'No model is selected.', advice: 'Choose a model above.', action: { label: 'Choose Model', action: 'selectModel' } };
    }
    return undefined;
  }

  private async budgetAllows(): Promise<boolean> {
    return this.deps.confirmSend ? this.deps.confirmSend() : true;
  }

  /** `askedAt`: when the question reached the extension (performance.now()), for the timing line in the log. */
  private startAnswer(model: string, askedAt: number): void {
    const turn: AssistantTurn = { role: 'assistant', id: randomUUID(), content: '', reasoning: '', model, status: 'streaming', createdAt: Date.now() };
    const conversation = this.conversation;
    const messages = this.requestMessages(model);
    conversation.turns.push(turn);
    conversation.updatedAt = Date.now();
    this.deps.post({ type: 'turnAdded', turn: structuredClone(turn) });
    const running: RunningAnswer = { conversation, turn, controller: new AbortController(), finished: false, done: Promise.resolve() };
    this.running = running;
    this.hold(conversation);
    running.done = this.stream(running, model, messages, new AnswerTiming(askedAt));
    this.track(running.done);
  }

  private hold(conversation: Conversation): void {
    const entry = this.working.get(conversation.id);
    if (entry) entry.jobs++;
    else this.working.set(conversation.id, { conversation, jobs: 1 });
  }

  private release(conversation: Conversation): void {
    const entry = this.working.get(conversation.id);
    if (!entry || --entry.jobs > 0) return;
    this.working.delete(conversation.id);
  }

  /** Stats a closed window never received are asked for again when the chat is opened. */
  private resumePendingStats(conversation: Conversation): void {
    if (this.working.has(conversation.id)) return;
    for (const turn of conversation.turns) {
      if (turn.role !== 'assistant' || turn.status === 'streaming' || turn.stats?.source !== 'pending' || !turn.generationId) continue;
      this.hold(conversation);
      this.track(this.fetchGenerationStats(conversation, turn, turn.stats, undefined, 0).finally(() => this.release(conversation)));
    }
  }

  /** Questions with their attachments as content parts, cache breakpoints for `model` where it takes them. */
  private requestMessages(model?: string): ChatMessage[] {
    const imagesAllowed = model === undefined ? true : (this.deps.modelReadsImages?.(model) ?? true);
    return buildRequestMessages(this.conversation, { ...(model ? { modelId: model } : {}), imagesAllowed, imageData: (id) => this.imageData.get(id) });
  }

  private async stream(running: RunningAnswer, model: string, messages: ChatMessage[], timing: AnswerTiming): Promise<void> {
    const { conversation, turn, controller } = running;
    const sessionId = (conversation.sessionId ??= this.deps.newSessionId?.() ?? `chat-${randomUUID()}`);
    // Stored choices are re-validated: history on disk may be older or edited by hand.
    const overrides = parseRoutingOverrides(conversation.routing).value;
    const request: ChatRequest = { ...this.deps.routing?.(model, sessionId, overrides), model, messages };
    const signal = AbortSignal.any([controller.signal, this.lifetime.signal]);
    const startedAt = performance.now();
    let firstTokenAt: number | undefined;
    let usage: Usage | undefined;
    const stats: AnswerStats = { source: 'pending' };
    let statsTask: Promise<void> | undefined;
    // The question is saved off the way to the first token (the pool's dispatch waits two loop turns, which a disk
    // write would join): once that token is posted, or after a second without one. The end of the answer saves too.
    let questionSaved = false;
    const saveQuestion = (): void => {
      if (questionSaved) return;
      questionSaved = true;
      this.track(this.save(conversation));
    };
    const saveTimer = setTimeout(saveQuestion, 1000);
    const pollStats = (endedAt: number): void => {
      statsTask = this.fetchGenerationStats(conversation, turn, stats, firstTokenAt, endedAt, endedAt - startedAt);
      this.track(statsTask);
    };
    try {
      const chunks = this.deps.provider().streamExecute(request, {
        signal,
        onKeepAlive: () => {
          if (firstTokenAt === undefined && !running.finished) this.deps.post({ type: 'answerProcessing', turnId: turn.id });
        },
        onRequestSent: () => timing.requestSent(),
        onResponse: (info) => {
          turn.generationId ??= info.generationId;
        },
        // This call's failed attempts only: the panel shows each wait before the next try, counting down.
        onAttempt: (record) => {
          if (record.retryDelayMs === undefined || running.finished) return;
          const reason = (record.error ?? (record.status ? `HTTP ${record.status}` : 'the attempt failed')).replace(/^[A-Z]+ \/\S*: /, '').slice(0, 300);
          // Kept on the turn while it waits, so a panel shown again (a new snapshot) still says so.
          turn.retry = { attempt: record.attempt, reason, retryAt: Date.now() + record.retryDelayMs };
          this.deps.post({ type: 'answerRetry', turnId: turn.id, attempt: record.attempt, reason, waitMs: record.retryDelayMs });
        },
      });
      for await (const chunk of chunks) {
        if (running.finished) break;
        turn.generationId ??= chunk.id || undefined;
        if (chunk.model) stats.model ??= chunk.model;
        if (chunk.provider) stats.provider ??= chunk.provider;
        if (chunk.usage) usage = chunk.usage;
        const delta = chunk.choices[0]?.delta;
        const content = delta?.content ?? '';
        const reasoning = delta?.reasoning ?? '';
        if (!content && !reasoning) continue;
        const first = firstTokenAt === undefined;
        if (firstTokenAt === undefined) {
          firstTokenAt = performance.now();
          stats.timeToFirstTokenMs = firstTokenAt - startedAt;
        }
        delete turn.retry;
        turn.content += content;
        turn.reasoning += reasoning;
        this.deps.post({ type: 'answerDelta', turnId: turn.id, ...(content ? { content } : {}), ...(reasoning ? { reasoning } : {}) });
        if (first) timing.firstTokenPosted(firstTokenAt);
        if (!questionSaved) {
          clearTimeout(saveTimer);
          setImmediate(saveQuestion);
        }
      }
      const endedAt = performance.now();
      if (running.finished) {
        if (turn.generationId) pollStats(endedAt);
        return;
      }
      if (usage) Object.assign(stats, usageStats(usage, firstTokenAt, endedAt));
      this.finish(running, 'done', undefined, usage ? stats : undefined);
      // Cached prompt tokens: /generation says what the cache saved (cache_discount), which usage does not. The
      // poll records the generation in the usage record; without one, the usage chunk's figures are recorded.
      if (!usage || (stats.cachedTokens ?? 0) > 0 || (stats.cacheWriteTokens ?? 0) > 0) pollStats(endedAt);
      else this.recordGeneration(conversation, turn, stats, endedAt - startedAt, usage.prompt_tokens_details?.cached_tokens ?? undefined);
    } catch (error) {
      const endedAt = performance.now();
      if (running.finished || error instanceof AbortError || controller.signal.aborted) {
        this.finish(running, 'stopped', undefined, undefined);
      } else {
        this.deps.log.warn(`Chat answer failed: ${errorText(error)}`);
        this.finish(running, 'error', errorNotice(error, this.deps.noticeContext?.(model)), undefined);
      }
      // No usage chunk follows an abort or an error: /generation has the numbers once it is ready.
      if (turn.generationId) pollStats(endedAt);
    } finally {
      // The end of the answer saves the question with it: a save still queued for the first token is not needed.
      clearTimeout(saveTimer);
      questionSaved = true;
      const timingLine = timing.describe();
      if (timingLine) this.deps.log.info(timingLine);
      if (statsTask) void statsTask.finally(() => this.release(conversation));
      else this.release(conversation);
    }
  }

  private finish(running: RunningAnswer, status: 'done' | 'stopped' | 'error', error: ErrorNotice | undefined, stats: AnswerStats | undefined): void {
    if (running.finished) return;
    running.finished = true;
    if (this.running === running) this.running = undefined;
    const { turn } = running;
    turn.status = status;
    delete turn.retry;
    if (error) turn.error = error;
    if (stats) turn.stats = stats;
    else if (turn.generationId) turn.stats = { source: 'pending', ...(turn.stats ?? {}) };
    this.deps.post({ type: 'answerEnd', turnId: turn.id, status, ...(error ? { error } : {}), ...(turn.stats ? { stats: turn.stats } : {}) });
    this.track(this.save(running.conversation));
    this.deps.onAnswerFinished();
  }

  /** Polls /generation (404 until OpenRouter has the numbers) with a short bounded backoff. */
  private async fetchGenerationStats(
    conversation: Conversation,
    turn: AssistantTurn,
    measured: AnswerStats,
    firstTokenAt: number | undefined,
    endedAt: number,
    latencyMs?: number,
  ): Promise<void> {
    const id = turn.generationId;
    if (!id) return;
    const delays = this.deps.generationRetryDelaysMs ?? defaultGenerationDelays;
    const result = await lookUpGeneration((gid, options) => this.deps.provider().getGenerationStats(gid, options), id, this.lifetime.signal, delays, (error) =>
      this.deps.log.debug(`No generation stats for ${id}: ${errorText(error)}`),
    );
    if (this.lifetime.signal.aborted) return;
    const stats: AnswerStats = result ? { ...measured, ...generationStats(result, firstTokenAt, endedAt) } : { ...measured, source: 'unavailable' };
    turn.stats = stats;
    if (conversation === this.conversation) this.deps.post({ type: 'answerStats', turnId: turn.id, stats });
    this.recordGeneration(conversation, turn, stats, latencyMs, result?.native_tokens_cached ?? undefined);
    await this.save(conversation);
  }

  /** Hands an answer's final figures to the usage record (the prompt is the user turn it answered). */
  private recordGeneration(conversation: Conversation, turn: AssistantTurn, stats: AnswerStats, latencyMs: number | undefined, cachedTokens: number | undefined): void {
    if (!this.deps.onGeneration) return;
    const index = conversation.turns.indexOf(turn);
    const prompt = conversation.turns
      .slice(0, index < 0 ? undefined : index)
      .reverse()
      .find((t) => t.role === 'user')?.content;
    const status = turn.status === 'streaming' ? 'done' : turn.status;
    this.deps.onGeneration({
      source: 'chat',
      model: stats.model ?? turn.model,
      status,
      ...(turn.generationId ? { generationId: turn.generationId } : {}),
      ...(stats.provider ? { provider: stats.provider } : {}),
      ...(stats.promptTokens !== undefined ? { promptTokens: stats.promptTokens } : {}),
      ...(stats.completionTokens !== undefined ? { completionTokens: stats.completionTokens } : {}),
      ...(cachedTokens !== undefined ? { cachedTokens } : {}),
      ...(stats.costUsd !== undefined ? { costUsd: stats.costUsd } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(stats.timeToFirstTokenMs !== undefined ? { timeToFirstTokenMs: stats.timeToFirstTokenMs } : {}),
      ...(prompt !== undefined ? { prompt } : {}),
    });
  }

  /** Images of the chat's questions kept in an earlier session, so follow-ups send them again. */
  private async loadImages(chat: Conversation): Promise<void> {
    const wanted = chat.turns.flatMap((turn) => (turn.role === 'user' ? (turn.attachments ?? []) : [])).filter((a) => a.kind === 'image' && this.imageData.get(a.id) === undefined);
    if (wanted.length === 0) return;
    const images = await this.deps.history.loadImages(chat.id, wanted.map((a) => a.id));
    for (const [id, data] of images) this.imageData.set(id, data);
  }

  /** Saves the given conversation (by default the one on screen) with its new images; a deleted one is never written back. */
  private async save(conversation: Conversation = this.conversation): Promise<void> {
    if (conversation.turns.length === 0) return;
    const images = this.unsavedImages.get(conversation.id);
    this.unsavedImages.delete(conversation.id);
    await this.deps.history.save(conversation);
    if (images) await this.deps.history.saveImages(conversation.id, images);
    this.deps.post({ type: 'history', history: this.deps.history.list() });
    const id = conversation.id;
    if (conversation === this.conversation && this.deps.history.isDeleted(id) && !this.deletionKnown.has(id)) {
      // Another window deleted the chat on screen: it stays deleted, so what follows here is not kept. Say so once.
      this.deletionKnown.add(id);
      this.deps.post({
        type: 'sendRejected',
        text: '',
        error: { kind: 'other', message: 'This chat was deleted in another window, so it is no longer saved.', advice: 'Start a new chat to keep what you write next.' },
      });
    }
  }

  private emptyConversation(): Conversation {
    const now = Date.now();
    return { id: randomUUID(), title: 'New chat', createdAt: now, updatedAt: now, systemPrompt: this.conversation?.systemPrompt ?? '', turns: [] };
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


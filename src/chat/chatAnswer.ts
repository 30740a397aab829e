// One answer streaming into a chat turn: the answer pipeline's callbacks (src/answer) as panel messages,
// the turn kept up to date for snapshots and saves, the question saved off the way to the first token,
// and the figures under the answer once its bill is settled. No vscode import.
import { randomUUID } from 'node:crypto';
import { recordAnswer, runAnswer, settleFigures, type AnswerDeps, type AnswerFigures, type AnswerRun } from '../answer';
import type { ChatMessage, ChatRequest } from '../openrouter/types';
import { parseRoutingOverrides } from '../routing';
import type { AssistantTurn, Conversation } from '../webview/protocol';
import { answerStats } from './answerStats';
import type { AnswerTiming } from './answerTiming';
import type { ChatSessionDeps } from './chatSessionDeps';
import { errorNotice } from '../answer/errorNotice';
import type { WorkingChats } from './workingChats';

export interface ChatAnswerContext {
  deps: ChatSessionDeps;
  chats: WorkingChats;
  /** Aborted when the chat panel goes away: no more stats polls. */
  lifetime: AbortSignal;
  /** The conversation on screen. */
  current(): Conversation;
}

export class ChatAnswer {
  private readonly run: AnswerRun;
  /** Resolves when the stream has ended and the turn says how. */
  readonly done: Promise<void>;
  private questionSaved = false;
  private readonly saveTimer: ReturnType<typeof setTimeout>;

  /** Starts streaming `messages` to `turn.model` into `turn` (already in `conversation`); `onEnded` hears the stream end. */
  constructor(
    private readonly context: ChatAnswerContext,
    readonly conversation: Conversation,
    private readonly turn: AssistantTurn,
    messages: ChatMessage[],
    private readonly timing: AnswerTiming,
    private readonly onEnded: (answer: ChatAnswer) => void,
  ) {
    const { deps, chats } = context;
    const sessionId = (conversation.sessionId ??= deps.newSessionId?.() ?? `chat-${randomUUID()}`);
    // Stored choices are re-validated: history on disk may be older or edited by hand.
    const overrides = parseRoutingOverrides(conversation.routing).value;
    const request: ChatRequest = { ...deps.routing?.(turn.model, sessionId, overrides), model: turn.model, messages };
    // The question is saved off the way to the first token (the pool's dispatch waits two loop turns, which a disk
    // write would join): once that token is posted, or after a second without one. The end of the answer saves too.
    this.saveTimer = setTimeout(() => this.saveQuestion(), 1000);
    chats.hold(conversation);
    const prompt = questionBefore(conversation, turn);
    this.run = runAnswer(answerDeps(context), { source: 'chat', request, ...(prompt !== undefined ? { prompt } : {}) }, {
      onRequestSent: () => timing.requestSent(),
      onProcessing: () => deps.post({ type: 'answerProcessing', turnId: turn.id }),
      // This call's failed attempts only: the panel shows each wait before the next try, counting down.
      onRetry: ({ attempt, reason, waitMs }) => {
        // Kept on the turn while it waits, so a panel shown again (a new snapshot) still says so.
        turn.retry = { attempt, reason, retryAt: Date.now() + waitMs };
        deps.post({ type: 'answerRetry', turnId: turn.id, attempt, reason, waitMs });
      },
      onReasoning: (reasoning) => this.delta({ reasoning }),
      onContent: (content) => this.delta({ content }),
      onEnd: (figures) => this.end(figures),
    });
    this.done = this.run.ended.then(() => undefined);
    chats.track(this.run.settled.then((figures) => this.settled(figures)).finally(() => chats.release(conversation)));
  }

  get finished(): boolean {
    return !this.run.isStreaming;
  }

  /** Ends the answer now, keeping what arrived; the HTTP stream is closed by the abort. */
  stop(): void {
    this.run.stop();
  }

  private delta(piece: { content: string } | { reasoning: string }): void {
    const { turn } = this;
    const first = turn.content === '' && turn.reasoning === '';
    const readAt = performance.now();
    delete turn.retry;
    if ('content' in piece) turn.content += piece.content;
    else turn.reasoning += piece.reasoning;
    this.context.deps.post({ type: 'answerDelta', turnId: turn.id, ...piece });
    if (first) this.timing.firstTokenPosted(readAt);
    if (!this.questionSaved) {
      clearTimeout(this.saveTimer);
      setImmediate(() => this.saveQuestion());
    }
  }

  private saveQuestion(): void {
    if (this.questionSaved) return;
    this.questionSaved = true;
    this.context.chats.track(this.context.chats.save(this.conversation));
  }

  private end(figures: AnswerFigures): void {
    const { turn, context } = this;
    // The end of the answer saves the question with it: a save still queued for the first token is not needed.
    clearTimeout(this.saveTimer);
    this.questionSaved = true;
    if (figures.generationId) turn.generationId ??= figures.generationId;
    turn.status = figures.status === 'streaming' ? 'stopped' : figures.status;
    delete turn.retry;
    if (figures.status === 'error') turn.error = errorNotice(figures.error, context.deps.noticeContext?.(turn.model));
    // Without a generation id there is nothing to ask /generation about, and no figures to show.
    if (figures.source !== 'unavailable') turn.stats = answerStats(figures);
    context.deps.post({ type: 'answerEnd', turnId: turn.id, status: turn.status, ...(turn.error ? { error: turn.error } : {}), ...(turn.stats ? { stats: turn.stats } : {}) });
    context.chats.track(context.chats.save(this.conversation));
    const timingLine = this.timing.describe();
    if (timingLine) context.deps.log.info(timingLine);
    this.onEnded(this);
    context.deps.onAnswerFinished();
  }

  /** /generation's figures (or that there are none) replace the ones shown at the end. */
  private async settled(figures: AnswerFigures): Promise<void> {
    if (this.context.lifetime.aborted || figures.source === this.turn.stats?.source || (figures.source === 'unavailable' && !this.turn.stats)) return;
    await showStats(this.context, this.conversation, this.turn, figures);
  }
}

/** Stats a closed window never received are asked for again when the chat is opened, and recorded then. */
export function resumePendingStats(context: ChatAnswerContext, conversation: Conversation): void {
  const { chats } = context;
  if (chats.held(conversation.id)) return;
  for (const turn of conversation.turns) {
    if (turn.role !== 'assistant' || turn.status === 'streaming' || turn.stats?.source !== 'pending' || !turn.generationId) continue;
    const { stats } = turn;
    const known: AnswerFigures = {
      requestedModel: turn.model,
      status: turn.status,
      generationId: turn.generationId,
      startedAt: turn.createdAt,
      source: 'pending',
      ...(stats.model ? { model: stats.model } : {}),
      ...(stats.provider ? { provider: stats.provider } : {}),
      ...(stats.timeToFirstTokenMs !== undefined ? { timeToFirstTokenMs: stats.timeToFirstTokenMs } : {}),
    };
    chats.hold(conversation);
    const task = (async () => {
      const deps = answerDeps(context);
      const figures = await settleFigures(deps, known);
      if (!figures) return;
      recordAnswer(deps, 'chat', figures, questionBefore(conversation, turn));
      await showStats(context, conversation, turn, figures);
    })();
    chats.track(task.finally(() => chats.release(conversation)));
  }
}

async function showStats(context: ChatAnswerContext, conversation: Conversation, turn: AssistantTurn, figures: AnswerFigures): Promise<void> {
  const stats = answerStats(figures);
  turn.stats = stats;
  if (conversation === context.current()) context.deps.post({ type: 'answerStats', turnId: turn.id, stats });
  await context.chats.save(conversation);
}

export function answerDeps({ deps, lifetime }: ChatAnswerContext): AnswerDeps {
  return {
    provider: deps.provider,
    ...(deps.onGeneration ? { record: deps.onGeneration } : {}),
    log: deps.log,
    ...(deps.generationRetryDelaysMs ? { generationRetryDelaysMs: deps.generationRetryDelaysMs } : {}),
    lifetime,
  };
}

/** The question an answer answers: the user turn before it. */
export function questionBefore(conversation: Conversation, turn: AssistantTurn): string | undefined {
  const index = conversation.turns.indexOf(turn);
  return conversation.turns
    .slice(0, index < 0 ? undefined : index)
    .reverse()
    .find((t) => t.role === 'user')?.content;
}

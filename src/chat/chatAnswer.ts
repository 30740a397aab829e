// One answer streaming into a chat turn: the answer pipeline's callbacks (src/answer) as panel messages,
// the turn kept up to date for snapshots and saves, the question saved off the way to the first token,
// and the figures under the answer once its bill is settled. No vscode import.
import { recordAnswer, runAnswer, settleFigures, type AnswerDeps, type AnswerFigures, type AnswerRun } from '../answer';
import type { ChatMessage, ChatRequest } from '../openrouter/types';
import { citationsOf, newSessionId, parseRoutingOverrides } from '../routing';
import type { AnswerStats, AssistantTurn, ContextNotice, Conversation } from './conversation';
import { ReasoningDetailsCollector } from '../answer/reasoningDetails';
import { errorText } from '../util/errorText';
import { fitChatRequest, planChatFit, reasoningCost } from './chatContextFit';
import { answerStats } from './answerStats';
import { pdfRequestFields } from './attachments/pdfAttachment';
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
  private run: AnswerRun | undefined;
  /** Resolves when the stream has ended (or nothing was sent) and the turn says how. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private over = false;
  private questionSaved = false;
  private readonly saveTimer: ReturnType<typeof setTimeout>;
  /** Stops a summary request still condensing the conversation before the answer. */
  private readonly preparing = new AbortController();
  private readonly details = new ReasoningDetailsCollector();

  /**
   * Starts streaming `messages` to `turn.model` into `turn` (already in `conversation`), first condensing the
   * older turns when the request would not fit the model; `owners` names the turn of each message. `onEnded`
   * hears the stream end.
   */
  constructor(
    private readonly context: ChatAnswerContext,
    readonly conversation: Conversation,
    private readonly turn: AssistantTurn,
    messages: ChatMessage[],
    private readonly timing: AnswerTiming,
    private readonly onEnded: (answer: ChatAnswer) => void,
    owners: ReadonlyArray<string | undefined> = [],
  ) {
    const { deps, chats } = context;
    const sessionId = (conversation.sessionId ??= deps.newSessionId?.() ?? newSessionId());
    // Stored choices are re-validated: history on disk may be older or edited by hand.
    const overrides = parseRoutingOverrides(conversation.routing).value;
    const pdf = pdfRequestFields(messages, deps.modelReadsFiles?.(turn.model) ?? false, overrides.pdfEngine);
    const request: ChatRequest = { ...deps.routing?.(turn.model, sessionId, overrides), ...pdf, model: turn.model, messages };
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    // The question is saved off the way to the first token (the pool's dispatch waits two loop turns, which a disk
    // write would join): once that token is posted, or after a second without one. The end of the answer saves too.
    this.saveTimer = setTimeout(() => this.saveQuestion(), 1000);
    chats.hold(conversation);
    const plan = planChatFit(deps, request);
    // A request that fits starts now; one that does not is condensed (or shortened) first.
    if (!plan || plan.fits) {
      this.begin(plan ? { ...request, messages: plan.messages } : request);
      return;
    }
    const post = (notice: ContextNotice): void => {
      if (conversation === context.current()) deps.post({ type: 'answerContext', turnId: turn.id, context: structuredClone(notice) });
    };
    void fitChatRequest({ deps, conversation, turn, owners, signal: this.preparing.signal, answerDeps: answerDeps(context), post }, request)
      .catch((error: unknown) => {
        deps.log.warn(`Could not fit the conversation to ${turn.model}: ${errorText(error)}`);
        return undefined;
      })
      .then((fitted) => {
        if (this.preparing.signal.aborted) this.endUnsent('stopped');
        else if (!fitted) this.endUnsent('error');
        else this.begin({ ...request, messages: fitted });
      });
  }

  private begin(request: ChatRequest): void {
    const { deps, chats } = this.context;
    const { turn, timing } = this;
    const prompt = questionBefore(this.conversation, turn);
    this.run = runAnswer(answerDeps(this.context), { source: 'chat', request, ...(prompt !== undefined ? { prompt } : {}) }, {
      onRequestSent: () => timing.requestSent(),
      onProcessing: () => deps.post({ type: 'answerProcessing', turnId: turn.id }),
      // This call's failed attempts only: the panel shows each wait before the next try, counting down.
      onRetry: ({ attempt, reason, waitMs }) => {
        // Kept on the turn while it waits, so a panel shown again (a new snapshot) still says so.
        turn.retry = { attempt, reason, retryAt: Date.now() + waitMs };
        deps.post({ type: 'answerRetry', turnId: turn.id, attempt, reason, waitMs });
      },
      onReasoning: (reasoning) => this.delta({ reasoning }),
      onReasoningDetails: (details) => {
        this.details.push(details);
        turn.reasoningDetails = this.details.details();
      },
      onContent: (content) => this.delta({ content }),
      onAnnotations: (annotations) => {
        const citations = citationsOf(annotations, turn.citations);
        if (citations.length === (turn.citations?.length ?? 0)) return;
        turn.citations = citations;
        deps.post({ type: 'answerCitations', turnId: turn.id, citations: structuredClone(citations) });
      },
      onEnd: (figures) => this.end(figures),
    });
    void this.run.ended.then(() => this.resolveDone());
    chats.track(this.run.settled.then((figures) => this.settled(figures)).finally(() => chats.release(this.conversation)));
  }

  get finished(): boolean {
    return this.over;
  }

  /** Ends the answer now, keeping what arrived; the HTTP stream is closed by the abort. */
  stop(): void {
    this.preparing.abort();
    this.run?.stop();
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

  /** Nothing was sent: stopped while condensing, the question alone is longer than the model reads, or fitting failed. */
  private endUnsent(status: 'stopped' | 'error'): void {
    const { turn, context } = this;
    if (status === 'error' && turn.context?.action === 'too-long') {
      const limit = turn.context.limitTokens;
      turn.error = {
        kind: 'other',
        message: `Not sent: this question is longer than ${turn.model} reads (about ${limit.toLocaleString('en-US')} tokens with room for the answer).`,
        advice: 'Remove attachments or shorten the question, lower the output limit, or choose a model with a longer context.',
      };
    } else if (status === 'error') {
      turn.error = { kind: 'other', message: 'Not sent: the conversation could not be fitted to the model.', advice: 'Retry; if it keeps failing, the log has details.', action: { label: 'Show Log', action: 'showLog' } };
    }
    this.finish(status);
    context.chats.release(this.conversation);
    this.resolveDone();
  }

  private saveQuestion(): void {
    if (this.questionSaved) return;
    this.questionSaved = true;
    this.context.chats.track(this.context.chats.save(this.conversation));
  }

  private end(figures: AnswerFigures): void {
    const { turn, context } = this;
    if (figures.generationId) turn.generationId ??= figures.generationId;
    if (figures.status === 'error') turn.error = errorNotice(figures.error, context.deps.noticeContext?.(turn.model));
    // Without a generation id there is nothing to ask /generation about, and no figures to show.
    if (figures.source !== 'unavailable') turn.stats = this.statsOf(figures);
    this.finish(figures.status === 'streaming' ? 'stopped' : figures.status);
  }

  private finish(status: Exclude<AssistantTurn['status'], 'streaming'>): void {
    const { turn, context } = this;
    this.over = true;
    // The end of the answer saves the question with it: a save still queued for the first token is not needed.
    clearTimeout(this.saveTimer);
    this.questionSaved = true;
    turn.status = status;
    delete turn.retry;
    context.deps.post({ type: 'answerEnd', turnId: turn.id, status: turn.status, ...(turn.error ? { error: turn.error } : {}), ...(turn.stats ? { stats: turn.stats } : {}) });
    context.chats.track(context.chats.save(this.conversation));
    const timingLine = this.timing.describe();
    if (timingLine) context.deps.log.info(timingLine);
    this.onEnded(this);
    context.deps.onAnswerFinished();
  }

  private statsOf(figures: AnswerFigures): AnswerStats {
    return chatStats(this.context, this.turn.model, figures);
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

/** The figures under an answer, with its reasoning's share of the cost at the model's listed price. */
function chatStats(context: ChatAnswerContext, model: string, figures: AnswerFigures): AnswerStats {
  const stats = answerStats(figures);
  const reasoning = reasoningCost(stats, context.deps.catalogModel?.(model));
  if (reasoning !== undefined) stats.reasoningCostUsd = reasoning;
  return stats;
}

async function showStats(context: ChatAnswerContext, conversation: Conversation, turn: AssistantTurn, figures: AnswerFigures): Promise<void> {
  const stats = chatStats(context, turn.model, figures);
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

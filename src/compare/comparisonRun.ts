// One comparison: the same messages streamed to 2–4 models at once through the one shared provider,
// each column an answer of the answer pipeline (src/answer) with its own stop, its live figures, and its
// bill (also when stopped or failed) in the usage record. Exactly one request per column: only the
// provider's normal retry policy may resend it. No vscode import, so unit tests run it against the
// emulator over real sockets.
import { figuresTokensPerSecond, runAnswer, tokensPerSecond, type AnswerDeps, type AnswerFigures, type AnswerRun } from '../answer';
import { errorNotice } from '../answer/errorNotice';
import type { ChatMessage, ChatRequest } from '../openrouter/types';
import type { ColumnError, ColumnStats } from '../protocols/compare';

export type ColumnOutcome = 'done' | 'stopped' | 'error';

/** What one column ended with, once its bill is settled (or known to be unavailable). */
export interface ColumnResult {
  column: number;
  modelId: string;
  status: ColumnOutcome;
  text: string;
  stats: ColumnStats;
  error?: ColumnError;
  generationId?: string;
  /** Epoch ms the request was started. */
  startedAt: number;
  /** Request sent → stream ended, ms. */
  durationMs: number;
}

export type ComparisonEvent =
  | { type: 'delta'; column: number; text: string; stats: ColumnStats }
  | { type: 'retry'; column: number; attempt: number; reason: string; waitMs: number }
  | { type: 'end'; column: number; status: ColumnOutcome; stats: ColumnStats; error?: ColumnError }
  | { type: 'stats'; column: number; stats: ColumnStats }
  | { type: 'settled'; result: ColumnResult };

export interface ComparisonRunDeps extends Omit<AnswerDeps, 'lifetime'> {
  /** OpenRouter routing fields for one column's request. */
  routing?(modelId: string): Partial<ChatRequest>;
  onEvent(event: ComparisonEvent): void;
  /** The prompt as the user typed it, for the usage record. */
  prompt?: string;
}

interface Column {
  index: number;
  modelId: string;
  text: string;
  /** Content chunks counted while streaming, first one's time: the live figures before the bill. */
  counted: number;
  firstTokenPerf?: number;
  stats: ColumnStats;
  answer?: AnswerRun;
  error?: ColumnError;
}

export class ComparisonRun {
  private readonly columns: Column[];
  private readonly lifetime = new AbortController();
  private readonly tasks: Array<Promise<void>> = [];

  constructor(
    private readonly deps: ComparisonRunDeps,
    modelIds: readonly string[],
    private readonly messages: ChatMessage[],
  ) {
    this.columns = modelIds.map((modelId, index) => ({ index, modelId, text: '', counted: 0, stats: { source: 'live' } }));
  }

  /** Starts every column's request at once; each goes through the shared provider (one HTTP/2 connection). */
  start(): void {
    for (const column of this.columns) this.tasks.push(this.runColumn(column));
  }

  /** Resolves when every column has ended and has its bill (or gave up on it). */
  settled(): Promise<void> {
    return Promise.allSettled(this.tasks).then(() => undefined);
  }

  get running(): boolean {
    return this.columns.some((column) => column.answer?.isStreaming !== false);
  }

  /** Ends one column's stream now (its HTTP stream is closed), keeping what arrived. */
  stop(index: number): void {
    this.columns[index]?.answer?.stop();
  }

  stopAll(): void {
    for (const column of this.columns) this.stop(column.index);
  }

  /** The prompt's messages and one column's answer so far, for "continue in chat". */
  columnText(index: number): { modelId: string; text: string } | undefined {
    const column = this.columns[index];
    return column ? { modelId: column.modelId, text: column.text } : undefined;
  }

  /**
   * The panel closed: every stream stops now, but each column's bill is still settled (a few seconds at
   * most) so the usage record gets what the stopped answers cost.
   */
  dispose(): void {
    this.stopAll();
  }

  /** Gives up on the bills too (the provider is shutting down). */
  abandon(): void {
    this.stopAll();
    this.lifetime.abort();
  }

  private async runColumn(column: Column): Promise<void> {
    const request: ChatRequest = { ...this.deps.routing?.(column.modelId), model: column.modelId, messages: this.messages };
    // A comparison is about this model: OpenRouter's fallback models would answer in its place.
    delete request.models;
    const { onEvent } = this.deps;
    const answer = runAnswer(
      { ...this.deps, lifetime: this.lifetime.signal },
      { source: 'compare', request, ...(this.deps.prompt !== undefined ? { prompt: this.deps.prompt } : {}) },
      {
        onRetry: (retry) => onEvent({ type: 'retry', column: column.index, ...retry }),
        onContent: (text) => {
          const now = performance.now();
          column.firstTokenPerf ??= now;
          column.text += text;
          // While streaming, each content chunk counts as a token (OpenRouter streams about one per chunk).
          column.counted++;
          column.stats = liveStats(column, answer.figures, now);
          onEvent({ type: 'delta', column: column.index, text, stats: { ...column.stats } });
        },
        onEnd: (figures) => {
          if (figures.status === 'error') {
            const notice = errorNotice(figures.error);
            column.error = { message: notice.message, advice: notice.advice };
          }
          column.stats = endedStats(column, figures);
          onEvent({ type: 'end', column: column.index, status: outcome(figures), stats: { ...column.stats }, ...(column.error ? { error: column.error } : {}) });
        },
        onSettled: (figures) => {
          column.stats = endedStats(column, figures);
          onEvent({ type: 'stats', column: column.index, stats: { ...column.stats } });
        },
      },
    );
    column.answer = answer;
    const figures = await answer.settled;
    onEvent({
      type: 'settled',
      result: {
        column: column.index,
        modelId: column.modelId,
        status: outcome(figures),
        text: column.text,
        stats: { ...column.stats },
        ...(column.error ? { error: column.error } : {}),
        ...(figures.generationId ? { generationId: figures.generationId } : {}),
        startedAt: figures.startedAt,
        durationMs: figures.durationMs ?? 0,
      },
    });
  }
}

function outcome(figures: AnswerFigures): ColumnOutcome {
  return figures.status === 'streaming' ? 'stopped' : figures.status;
}

/** While streaming: counted tokens and their speed, with what the stream has said. */
function liveStats(column: Column, figures: AnswerFigures, now: number): ColumnStats {
  const stats: ColumnStats = { ...column.stats, source: 'live', completionTokens: column.counted };
  if (figures.timeToFirstTokenMs !== undefined) stats.timeToFirstTokenMs = figures.timeToFirstTokenMs;
  if (figures.provider) stats.provider = figures.provider;
  if (figures.model) stats.servedModel = figures.model;
  const rate = tokensPerSecond(column.counted, column.firstTokenPerf, now);
  if (rate !== undefined) stats.tokensPerSecond = rate;
  return stats;
}

/** Once ended: the pipeline's figures over the live ones (a counted token total stays until the bill says). */
function endedStats(column: Column, figures: AnswerFigures): ColumnStats {
  const stats: ColumnStats = { ...column.stats, source: figures.source };
  if (figures.timeToFirstTokenMs !== undefined) stats.timeToFirstTokenMs = figures.timeToFirstTokenMs;
  if (figures.provider) stats.provider = figures.provider;
  if (figures.model) stats.servedModel = figures.model;
  if (figures.promptTokens !== undefined) stats.promptTokens = figures.promptTokens;
  if (figures.completionTokens !== undefined) stats.completionTokens = figures.completionTokens;
  if (figures.costUsd !== undefined) stats.costUsd = figures.costUsd;
  const rate = figuresTokensPerSecond(figures);
  if (rate !== undefined) stats.tokensPerSecond = rate;
  return stats;
}

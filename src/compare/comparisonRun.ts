// One comparison: the same messages streamed to 2–4 models at once through the one shared provider,
// each column with its own stop, its live figures, and its cost and provider from /generation (also
// when stopped or failed). Exactly one request per column: only the provider's normal retry policy
// may resend it. No vscode import, so unit tests run it against the emulator over real sockets.
import { generationStats, tokensPerSecond, usageStats } from '../chat/answerStats';
import { errorNotice } from '../chat/errorNotice';
import type { Provider } from '../host/providerHost';
import { AbortError } from '../openrouter/errors';
import type { ChatMessage, ChatRequest, GenerationStats, Usage } from '../openrouter/types';
import { lookUpGeneration } from '../usage/generationLookup';
import { errorText } from '../util/errorText';
import type { ColumnError, ColumnStats } from '../webview/compare/protocol';
import type { AnswerStats } from '../webview/protocol';

export type ColumnOutcome = 'done' | 'stopped' | 'error';

/** What one column ended with, once its /generation figures are in (or known to be unavailable). */
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

export interface ComparisonRunDeps {
  /** Read per request: the host may have rebuilt the provider since. */
  provider(): Pick<Provider, 'streamExecute' | 'getGenerationStats'>;
  /** OpenRouter routing fields for one column's request. */
  routing?(modelId: string): Partial<ChatRequest>;
  onEvent(event: ComparisonEvent): void;
  log: { warn(message: string): void; debug(message: string): void };
  /** Waits between /generation attempts while it answers 404. */
  generationRetryDelaysMs?: readonly number[];
}

const defaultGenerationDelays = [500, 1000, 1500, 2000, 3000, 4000];

interface Column {
  index: number;
  modelId: string;
  controller: AbortController;
  text: string;
  stats: ColumnStats;
  status: ColumnOutcome | 'streaming';
  generationId?: string;
  startedAt: number;
  startedPerf: number;
  endedPerf?: number;
  firstTokenPerf?: number;
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
    this.columns = modelIds.map((modelId, index) => ({ index, modelId, controller: new AbortController(), text: '', stats: { source: 'live' }, status: 'streaming', startedAt: 0, startedPerf: 0 }));
  }

  /** Starts every column's request at once; each goes through the shared provider (one HTTP/2 connection). */
  start(): void {
    for (const column of this.columns) this.tasks.push(this.runColumn(column));
  }

  /** Resolves when every column has ended and has its /generation figures (or gave up on them). */
  settled(): Promise<void> {
    return Promise.allSettled(this.tasks).then(() => undefined);
  }

  get running(): boolean {
    return this.columns.some((column) => column.status === 'streaming');
  }

  /** Ends one column's stream now (its HTTP stream is closed), keeping what arrived. */
  stop(index: number): void {
    const column = this.columns[index];
    if (!column || column.status !== 'streaming') return;
    column.controller.abort();
    this.end(column, 'stopped');
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
   * The panel closed: every stream stops now, but each column's /generation figures are still fetched (a few
   * seconds at most) so the usage record gets what the stopped answers cost.
   */
  dispose(): void {
    this.stopAll();
  }

  /** Gives up on the figures too (the provider is shutting down). */
  abandon(): void {
    this.stopAll();
    this.lifetime.abort();
  }

  private async runColumn(column: Column): Promise<void> {
    const request: ChatRequest = { ...this.deps.routing?.(column.modelId), model: column.modelId, messages: this.messages };
    // A comparison is about this model: OpenRouter's fallback models would answer in its place.
    delete request.models;
    const signal = AbortSignal.any([column.controller.signal, this.lifetime.signal]);
    column.startedAt = Date.now();
    column.startedPerf = performance.now();
    let usage: Usage | undefined;
    try {
      const chunks = this.deps.provider().streamExecute(request, {
        signal,
        onResponse: (info) => {
          column.generationId ??= info.generationId;
        },
        onAttempt: (record) => {
          if (record.retryDelayMs === undefined || column.status !== 'streaming') return;
          this.deps.onEvent({ type: 'retry', column: column.index, attempt: record.attempt, reason: (record.reason ?? record.error ?? 'the attempt failed').slice(0, 200), waitMs: record.retryDelayMs });
        },
      });
      for await (const chunk of chunks) {
        if (column.status !== 'streaming') break;
        column.generationId ??= chunk.id || undefined;
        if (chunk.provider) column.stats.provider ??= chunk.provider;
        if (chunk.model) column.stats.servedModel ??= chunk.model;
        if (chunk.usage) usage = chunk.usage;
        const content = chunk.choices[0]?.delta?.content ?? '';
        if (!content) continue;
        const now = performance.now();
        column.firstTokenPerf ??= now;
        column.stats.timeToFirstTokenMs ??= now - column.startedPerf;
        column.text += content;
        // While streaming, each content chunk counts as a token (OpenRouter streams about one per chunk).
        column.stats.completionTokens = (column.stats.completionTokens ?? 0) + 1;
        const rate = tokensPerSecond(column.stats.completionTokens, column.firstTokenPerf, now);
        if (rate !== undefined) column.stats.tokensPerSecond = rate;
        this.deps.onEvent({ type: 'delta', column: column.index, text: content, stats: { ...column.stats } });
      }
      if (column.status === 'streaming') {
        if (usage) applyUsage(column, usage);
        this.end(column, 'done');
      }
    } catch (error) {
      if (column.status === 'streaming') {
        if (error instanceof AbortError || signal.aborted) {
          this.end(column, 'stopped');
        } else {
          this.deps.log.warn(`Comparison column ${column.modelId} failed: ${errorText(error)}`);
          const notice = errorNotice(error);
          column.error = { message: notice.message, advice: notice.advice };
          this.end(column, 'error');
        }
      }
    }
    await this.fetchGenerationStats(column);
    this.deps.onEvent({
      type: 'settled',
      result: {
        column: column.index,
        modelId: column.modelId,
        status: column.status === 'streaming' ? 'stopped' : column.status,
        text: column.text,
        stats: { ...column.stats },
        ...(column.error ? { error: column.error } : {}),
        ...(column.generationId ? { generationId: column.generationId } : {}),
        startedAt: column.startedAt,
        durationMs: (column.endedPerf ?? performance.now()) - column.startedPerf,
      },
    });
  }

  private end(column: Column, status: ColumnOutcome): void {
    if (column.status !== 'streaming') return;
    column.status = status;
    column.endedPerf = performance.now();
    if (column.stats.source === 'live' && column.generationId) column.stats.source = 'pending';
    else if (column.stats.source === 'live') column.stats.source = 'unavailable';
    this.deps.onEvent({ type: 'end', column: column.index, status, stats: { ...column.stats }, ...(column.error ? { error: column.error } : {}) });
  }

  /** Polls /generation (404 until OpenRouter has the numbers) for the cost, tokens and serving provider. */
  private async fetchGenerationStats(column: Column): Promise<void> {
    const id = column.generationId;
    if (!id) return;
    const delays = this.deps.generationRetryDelaysMs ?? defaultGenerationDelays;
    const signal = this.lifetime.signal;
    const result = await lookUpGeneration((gid, options) => this.deps.provider().getGenerationStats(gid, options), id, signal, delays, (error) =>
      this.deps.log.debug(`No generation stats for ${id}: ${errorText(error)}`),
    );
    if (signal.aborted) return;
    if (result) applyGeneration(column, result);
    else if (column.stats.source === 'pending') column.stats.source = 'unavailable';
    this.deps.onEvent({ type: 'stats', column: column.index, stats: { ...column.stats } });
  }
}

function applyUsage(column: Column, usage: Usage): void {
  copyFigures(column.stats, usageStats(usage, column.firstTokenPerf, column.endedPerf ?? performance.now()));
}

function applyGeneration(column: Column, g: GenerationStats): void {
  const figures = generationStats(g, column.firstTokenPerf, column.endedPerf ?? performance.now());
  copyFigures(column.stats, figures);
  if (figures.provider) column.stats.provider = figures.provider;
  if (figures.model) column.stats.servedModel = figures.model;
}

/** The figures a column shows, from the ones the chat computes for an answer. */
function copyFigures(stats: ColumnStats, figures: Partial<AnswerStats>): void {
  if (figures.source === 'usage' || figures.source === 'generation') stats.source = figures.source;
  if (figures.promptTokens !== undefined) stats.promptTokens = figures.promptTokens;
  if (figures.completionTokens !== undefined) stats.completionTokens = figures.completionTokens;
  if (figures.costUsd !== undefined) stats.costUsd = figures.costUsd;
  if (figures.tokensPerSecond !== undefined) stats.tokensPerSecond = figures.tokensPerSecond;
}

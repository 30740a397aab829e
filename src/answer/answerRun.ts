// Runs one answer through the shared provider, for every feature that asks a model (the chat, Compare
// Models, VS Code's chat): streams it to the caller's callbacks, times it, tells a stop from an error,
// settles its bill (the usage chunk, else /generation) and writes it to the usage record once.
// No vscode import, so the rules are unit-tested against the emulator.
import type { Provider } from '../host/providerHost';
import { AbortError, OpenRouterError } from '../openrouter/errors';
import type { ChatRequest, ToolCallDelta } from '../openrouter/types';
import { lookUpGeneration } from '../usage/generationLookup';
import type { GenerationRecord, UsageSource } from '../usage/usageTypes';
import { errorText } from '../util/errorText';
import { needsLookup, retryReason, sourceAtEnd, usageRecordOf, withGeneration, withUsage, type AnswerFigures, type AnswerStatus } from './answerFigures';

export interface AnswerDeps {
  /** Read per answer: the host may have rebuilt the provider since. */
  provider(): Pick<Provider, 'streamExecute' | 'getGenerationStats'>;
  /** The usage record (src/usage); each answer is written to it once, with its final figures. */
  record?(generation: GenerationRecord): void | Promise<void>;
  log: { warn(message: string): void; debug(message: string): void };
  /** Waits between /generation attempts while it answers 404. */
  generationRetryDelaysMs?: readonly number[];
  /** Aborted when the feature goes away for good: /generation is no longer asked and nothing is recorded. */
  lifetime?: AbortSignal;
}

export interface AnswerRequest {
  /** Who asked, for the usage record. */
  source: UsageSource;
  request: ChatRequest;
  /** Ends the answer as stopped (the editor's cancellation, a closed panel); `stop()` does the same. */
  signal?: AbortSignal;
  /** The user's words, for the usage record (kept only when the user allows it). */
  prompt?: string;
}

export interface RetryNotice {
  attempt: number;
  reason: string;
  waitMs: number;
}

/** What the caller hears while the answer runs; a callback that throws ends the answer as an error. */
export interface AnswerObserver {
  /** The request started going out (the first attempt only). */
  onRequestSent?(): void;
  /** Only keep-alive comments so far: the model is working on it. */
  onProcessing?(): void;
  /** An attempt failed and the provider's policy tries again after `waitMs`. */
  onRetry?(retry: RetryNotice): void;
  onContent?(text: string): void;
  onReasoning?(text: string): void;
  /** Structured reasoning pieces (`reasoning_details`), as they arrive: kept and sent back unmodified with the turn. */
  onReasoningDetails?(details: readonly unknown[]): void;
  /** Streamed pieces of tool calls, as they arrive (assembled by the caller). */
  onToolCalls?(deltas: readonly ToolCallDelta[]): void;
  /** Annotations on the answer (`url_citation` sources of a web search), as they arrive. */
  onAnnotations?(annotations: readonly unknown[]): void;
  /** The model said why it stopped (`stop`, `length`, `tool_calls`…). */
  onFinishReason?(reason: string): void;
  /** The stream ended (done, stopped or failed) with what it said; /generation may still be asked. */
  onEnd?(figures: AnswerFigures): void;
  /** The bill is settled (or known to be unavailable) and recorded: the final figures. */
  onSettled?(figures: AnswerFigures): void;
}

/** Starts an answer now. */
export function runAnswer(deps: AnswerDeps, answer: AnswerRequest, observer: AnswerObserver = {}): AnswerRun {
  return new AnswerRun(deps, answer, observer);
}

export class AnswerRun {
  private readonly controller = new AbortController();
  private current: AnswerFigures;
  private readonly startedPerf = performance.now();
  /** Resolves once the stream has ended, with its figures. */
  readonly ended: Promise<AnswerFigures>;
  /** Resolves once the bill is settled and recorded, with the final figures. Never rejects. */
  readonly settled: Promise<AnswerFigures>;
  private resolveEnded!: (figures: AnswerFigures) => void;

  constructor(
    private readonly deps: AnswerDeps,
    private readonly answer: AnswerRequest,
    private readonly observer: AnswerObserver,
  ) {
    this.current = { requestedModel: answer.request.model, status: 'streaming', startedAt: Date.now(), source: 'pending' };
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.settled = this.stream()
      .then(() => this.settle())
      .catch((error: unknown) => {
        deps.log.warn(`The figures of the answer from ${answer.request.model} were not settled: ${errorText(error)}`);
        return this.figures;
      });
  }

  get figures(): AnswerFigures {
    return { ...this.current };
  }

  get isStreaming(): boolean {
    return this.current.status === 'streaming';
  }

  /** Ends the answer now as stopped, keeping what arrived; the HTTP stream is closed by the abort. */
  stop(): void {
    if (!this.isStreaming) return;
    this.controller.abort();
    this.end('stopped');
  }

  private async stream(): Promise<void> {
    const { request, signal: outer } = this.answer;
    const signal = outer ? AbortSignal.any([this.controller.signal, outer]) : this.controller.signal;
    const onAbort = (): void => this.end('stopped');
    outer?.addEventListener('abort', onAbort, { once: true });
    try {
      const chunks = this.deps.provider().streamExecute(request, {
        signal,
        onRequestSent: () => this.observer.onRequestSent?.(),
        onKeepAlive: () => {
          if (this.isStreaming && this.current.timeToFirstTokenMs === undefined) this.observer.onProcessing?.();
        },
        onResponse: (info) => (this.current.generationId ??= info.generationId),
        onAttempt: (record) => {
          if (record.retryDelayMs === undefined || !this.isStreaming) return;
          this.observer.onRetry?.({ attempt: record.attempt, reason: retryReason(record), waitMs: record.retryDelayMs });
        },
      });
      for await (const chunk of chunks) {
        if (!this.isStreaming) break;
        const f = this.current;
        f.generationId ??= chunk.id || undefined;
        if (chunk.model) f.model ??= chunk.model;
        if (chunk.provider) f.provider ??= chunk.provider;
        if (chunk.usage) this.current = withUsage(f, chunk.usage);
        const choice = chunk.choices[0];
        if (!choice) continue;
        const { content, reasoning, reasoning_details: details, tool_calls: toolCalls } = choice.delta ?? {};
        if (content || reasoning || toolCalls?.length) this.current.timeToFirstTokenMs ??= performance.now() - this.startedPerf;
        if (reasoning) this.observer.onReasoning?.(reasoning);
        if (details?.length) this.observer.onReasoningDetails?.(details);
        if (content) this.observer.onContent?.(content);
        if (toolCalls?.length) this.observer.onToolCalls?.(toolCalls);
        if (choice.delta?.annotations?.length) this.observer.onAnnotations?.(choice.delta.annotations);
        if (choice.finish_reason) {
          this.current.finishReason = choice.finish_reason;
          this.observer.onFinishReason?.(choice.finish_reason);
        }
      }
      this.end('done');
    } catch (error) {
      if (error instanceof OpenRouterError) this.current.generationId ??= error.generationId;
      if (error instanceof AbortError || signal.aborted) {
        this.end('stopped');
      } else {
        this.current.error = error;
        this.end('error');
      }
    } finally {
      outer?.removeEventListener('abort', onAbort);
    }
  }

  private end(status: AnswerStatus): void {
    if (!this.isStreaming) return;
    const f = this.current;
    f.status = status;
    f.durationMs = performance.now() - this.startedPerf;
    f.source = sourceAtEnd(f);
    if (status === 'error') this.deps.log.warn(`The answer from ${f.requestedModel} failed: ${errorText(f.error)}`);
    this.resolveEnded(this.figures);
    this.observer.onEnd?.(this.figures);
  }

  /** Asks /generation when the stream left the bill open, then records the answer once. */
  private async settle(): Promise<AnswerFigures> {
    const figures = await settleFigures(this.deps, this.current);
    if (figures) {
      this.current = figures;
      recordAnswer(this.deps, this.answer.source, figures, this.answer.prompt);
      this.observer.onSettled?.(this.figures);
    }
    return this.figures;
  }
}

/**
 * The final figures of an ended answer: /generation's when the stream left the bill open (or the cache was
 * used), `unavailable` when it never answered; undefined when the lifetime ended first (nothing to record).
 */
export async function settleFigures(deps: AnswerDeps, figures: AnswerFigures): Promise<AnswerFigures | undefined> {
  const id = figures.generationId;
  if (!id || !needsLookup(figures)) return { ...figures, source: figures.source === 'pending' ? 'unavailable' : figures.source };
  const result = await lookUpGeneration((gid, options) => deps.provider().getGenerationStats(gid, options), id, deps.lifetime, deps.generationRetryDelaysMs, (error) =>
    deps.log.debug(`No generation stats for ${id}: ${errorText(error)}`),
  );
  if (deps.lifetime?.aborted) return undefined;
  if (result) return withGeneration(figures, result);
  return { ...figures, source: figures.source === 'usage' ? 'usage' : 'unavailable' };
}

/**
 * Writes an answer's final figures to the usage record; recording never fails the answer. A request OpenRouter
 * refused before any model answered (no generation id, no figures) cost nothing and is not recorded.
 */
export function recordAnswer(deps: AnswerDeps, source: UsageSource, figures: AnswerFigures, prompt: string | undefined): void {
  if (!deps.record || (!figures.generationId && figures.costUsd === undefined && figures.promptTokens === undefined)) return;
  void Promise.resolve()
    .then(() => deps.record!(usageRecordOf(source, figures, prompt)))
    .catch((error: unknown) => deps.log.warn(`Could not record the answer's usage: ${errorText(error)}`));
}

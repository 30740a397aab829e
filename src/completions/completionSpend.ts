// What completions have cost in this window: requests, cancellations and the USD OpenRouter reported.
import type { CompletionOutcome } from './completionClient';

export interface SpendSnapshot {
  requests: number;
  cancelled: number;
  failed: number;
  /** Requests whose usage (and cost) OpenRouter reported. */
  costed: number;
  costUsd: number;
  promptTokens: number;
  completionTokens: number;
}

export class CompletionSpend {
  private current: SpendSnapshot = { requests: 0, cancelled: 0, failed: 0, costed: 0, costUsd: 0, promptTokens: 0, completionTokens: 0 };
  private readonly listeners = new Set<(snapshot: SpendSnapshot) => void>();

  get snapshot(): SpendSnapshot {
    return { ...this.current };
  }

  /** Every completion request ends here exactly once (see fetchCompletion). */
  record(outcome: CompletionOutcome): void {
    const next = { ...this.current, requests: this.current.requests + 1 };
    if (outcome.cancelled) next.cancelled++;
    if (outcome.failed) next.failed++;
    if (outcome.usage) {
      next.costed++;
      next.costUsd += typeof outcome.usage.cost === 'number' && Number.isFinite(outcome.usage.cost) ? outcome.usage.cost : 0;
      next.promptTokens += outcome.usage.prompt_tokens || 0;
      next.completionTokens += outcome.usage.completion_tokens || 0;
    }
    this.current = next;
    for (const listener of this.listeners) listener(this.snapshot);
  }

  onDidChange(listener: (snapshot: SpendSnapshot) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }
}

/** One line for a tooltip: `12 requests (3 cancelled), $0.0042`. */
export function describeSpend(snapshot: SpendSnapshot): string {
  const cancelled = snapshot.cancelled > 0 ? ` (${snapshot.cancelled} cancelled)` : '';
  const cost = snapshot.costUsd < 0.01 && snapshot.costUsd > 0 ? `$${snapshot.costUsd.toFixed(6)}` : `$${snapshot.costUsd.toFixed(2)}`;
  return `${snapshot.requests} request${snapshot.requests === 1 ? '' : 's'}${cancelled}, ${cost}`;
}

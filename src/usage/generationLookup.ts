// An answer's figures from /generation (the chat's stats line, a comparison's columns, the usage record), which
// answers 404 until OpenRouter has the numbers. No vscode import.
import { AbortError, APIError } from '../openrouter/errors';
import type { GenerationStats } from '../openrouter/types';
import type { GenerationRecord } from './usageTypes';

const defaultDelaysMs = [500, 1000, 2000, 3000, 4000];

/**
 * Polls /generation with a short bounded backoff; undefined when it never answered, or the signal aborted.
 * `onGiveUp` hears why it stopped asking (not for an abort).
 */
export async function lookUpGeneration(
  getGenerationStats: (id: string, opts: { signal?: AbortSignal }) => Promise<GenerationStats>,
  id: string,
  signal?: AbortSignal,
  delaysMs: readonly number[] = defaultDelaysMs,
  onGiveUp?: (error: unknown) => void,
): Promise<GenerationStats | undefined> {
  for (let attempt = 0; attempt <= delaysMs.length && !signal?.aborted; attempt++) {
    try {
      return await getGenerationStats(id, signal ? { signal } : {});
    } catch (error) {
      if (!(error instanceof APIError && error.status === 404) || attempt === delaysMs.length) {
        if (!(error instanceof AbortError) && !signal?.aborted) onGiveUp?.(error);
        return undefined;
      }
      await pause(delaysMs[attempt]!, signal);
    }
  }
  return undefined;
}

/** Waits `ms`, less when the signal aborts; never keeps the process alive on its own. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** The record's figures from a /generation answer (over what the stream measured). */
export function recordFromGeneration(base: GenerationRecord, g: GenerationStats): GenerationRecord {
  const record: GenerationRecord = { ...base };
  if (g.model) record.model = g.model;
  if (g.provider_name) record.provider = g.provider_name;
  const prompt = g.tokens_prompt ?? g.native_tokens_prompt;
  const completion = g.tokens_completion ?? g.native_tokens_completion;
  if (typeof prompt === 'number') record.promptTokens = prompt;
  if (typeof completion === 'number') record.completionTokens = completion;
  if (typeof g.native_tokens_cached === 'number') record.cachedTokens = g.native_tokens_cached;
  if (typeof g.total_cost === 'number') record.costUsd = g.total_cost;
  return record;
}

// For an answer that ended without a usage chunk (stopped, failed, cancelled): its cost from /generation,
// which answers 404 until OpenRouter has the numbers. No vscode import.
import { APIError } from '../openrouter/errors';
import type { GenerationStats } from '../openrouter/types';
import type { GenerationRecord } from './usageTypes';

const defaultDelaysMs = [500, 1000, 2000, 3000, 4000];

/** Polls /generation with a short bounded backoff; undefined when it never answered. */
export async function lookUpGeneration(
  getGenerationStats: (id: string, opts: { signal?: AbortSignal }) => Promise<GenerationStats>,
  id: string,
  signal?: AbortSignal,
  delaysMs: readonly number[] = defaultDelaysMs,
): Promise<GenerationStats | undefined> {
  for (let attempt = 0; attempt <= delaysMs.length && !signal?.aborted; attempt++) {
    try {
      return await getGenerationStats(id, signal ? { signal } : {});
    } catch (error) {
      if (!(error instanceof APIError && error.status === 404) || attempt === delaysMs.length) return undefined;
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]).unref());
    }
  }
  return undefined;
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

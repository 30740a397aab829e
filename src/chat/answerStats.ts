// The figures under an answer, from the stream's usage chunk or from /generation afterwards.
import type { GenerationStats, Usage } from '../openrouter/types';
import type { AnswerStats } from '../webview/protocol';

export function usageStats(usage: Usage, firstTokenAt: number | undefined, endedAt: number): Partial<AnswerStats> {
  const stats: Partial<AnswerStats> = { source: 'usage', promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') stats.reasoningTokens = reasoning;
  if (typeof usage.cost === 'number') stats.costUsd = usage.cost;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number' && cached > 0) stats.cachedTokens = cached;
  const written = usage.prompt_tokens_details?.cache_write_tokens;
  if (typeof written === 'number' && written > 0) stats.cacheWriteTokens = written;
  const rate = tokensPerSecond(usage.completion_tokens, firstTokenAt, endedAt);
  if (rate !== undefined) stats.tokensPerSecond = rate;
  return stats;
}

export function generationStats(g: GenerationStats, firstTokenAt: number | undefined, endedAt: number): Partial<AnswerStats> {
  const stats: Partial<AnswerStats> = { source: 'generation' };
  if (g.model) stats.model = g.model;
  if (g.provider_name) stats.provider = g.provider_name;
  const prompt = g.tokens_prompt ?? g.native_tokens_prompt;
  const completion = g.tokens_completion ?? g.native_tokens_completion;
  if (typeof prompt === 'number') stats.promptTokens = prompt;
  if (typeof completion === 'number') {
    stats.completionTokens = completion;
    const rate = tokensPerSecond(completion, firstTokenAt, endedAt);
    if (rate !== undefined) stats.tokensPerSecond = rate;
  }
  if (typeof g.total_cost === 'number') stats.costUsd = g.total_cost;
  if (typeof g.native_tokens_cached === 'number' && g.native_tokens_cached > 0) stats.cachedTokens = g.native_tokens_cached;
  if (typeof g.cache_discount === 'number' && g.cache_discount !== 0) stats.cacheDiscountUsd = g.cache_discount;
  return stats;
}

/** Output tokens per second from the first token to the end; undefined when too short to say. */
export function tokensPerSecond(tokens: number, firstTokenAt: number | undefined, endedAt: number): number | undefined {
  if (firstTokenAt === undefined || tokens <= 0) return undefined;
  const seconds = (endedAt - firstTokenAt) / 1000;
  return seconds > 0.001 ? tokens / seconds : undefined;
}

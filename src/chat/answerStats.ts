// The figures under a chat answer, from the answer pipeline's (src/answer). The footer shows cache figures
// only when the cache was used.
import type { AnswerFigures } from '../answer';
import { figuresTokensPerSecond } from '../answer';
import { abortBillingText } from '../answer/abortBilling';
import type { AnswerStats } from './conversation';

export function answerStats(f: AnswerFigures): AnswerStats {
  const stats: AnswerStats = { source: f.source };
  if (f.model) stats.model = f.model;
  if (f.provider) stats.provider = f.provider;
  if (f.promptTokens !== undefined) stats.promptTokens = f.promptTokens;
  if (f.completionTokens !== undefined) stats.completionTokens = f.completionTokens;
  if (f.reasoningTokens !== undefined) stats.reasoningTokens = f.reasoningTokens;
  if (f.costUsd !== undefined) stats.costUsd = f.costUsd;
  if (f.timeToFirstTokenMs !== undefined) stats.timeToFirstTokenMs = f.timeToFirstTokenMs;
  const rate = figuresTokensPerSecond(f);
  if (rate !== undefined) stats.tokensPerSecond = rate;
  if ((f.cachedTokens ?? 0) > 0) stats.cachedTokens = f.cachedTokens!;
  if ((f.cacheWriteTokens ?? 0) > 0) stats.cacheWriteTokens = f.cacheWriteTokens!;
  if (f.cacheDiscountUsd !== undefined) stats.cacheDiscountUsd = f.cacheDiscountUsd;
  if (f.webSearches !== undefined) stats.webSearches = f.webSearches;
  if (f.byokUpstreamUsd !== undefined) stats.byokUpstreamUsd = f.byokUpstreamUsd;
  const afterStop = f.status === 'stopped' ? abortBillingText(f.provider) : undefined;
  if (afterStop) stats.afterStop = afterStop;
  return stats;
}

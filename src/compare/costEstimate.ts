// The estimated cost of a comparison before it is sent: each model's prompt price × the prompt's
// estimated tokens, plus its completion price × an assumed answer length. Pure, for unit tests.
import { pricePerToken } from '../models/modelPrice';
import { estimateTextTokens } from '../models/tokenEstimate';
import type { Model } from '../openrouter/types';
import type { CompareEstimate } from '../protocols/compare';

/** The answer length the estimate assumes per model: a few paragraphs, which most answers stay under. */
export const ASSUMED_OUTPUT_TOKENS = 500;
/** Role and framing tokens a chat template adds around one message. */
const MESSAGE_OVERHEAD_TOKENS = 4;

export { pricePerToken };

/** The prompt's estimated tokens plus those of its attachments (already estimated one by one). */
export function estimatePromptTokens(prompt: string, attachmentTokens: readonly number[] = []): number {
  return MESSAGE_OVERHEAD_TOKENS + estimateTextTokens(prompt) + attachmentTokens.reduce((sum, tokens) => sum + tokens, 0);
}

/**
 * `models` are looked up by id; a model the catalogue does not know, or whose price is unreadable, makes
 * its share (and the total) unknown rather than silently zero.
 */
export function estimateComparison(modelIds: readonly string[], find: (id: string) => Model | undefined, promptTokens: number, assumedOutputTokens = ASSUMED_OUTPUT_TOKENS): CompareEstimate {
  const perModel = modelIds.map((modelId) => {
    const pricing = find(modelId)?.pricing;
    const prompt = pricePerToken(pricing?.prompt);
    const completion = pricePerToken(pricing?.completion);
    const request = pricePerToken(pricing?.request) ?? 0;
    const usd = prompt === undefined || completion === undefined ? undefined : prompt * promptTokens + completion * assumedOutputTokens + request;
    return { modelId, usd };
  });
  const known = perModel.every((entry) => entry.usd !== undefined);
  const totalUsd = known ? perModel.reduce((sum, entry) => sum + entry.usd!, 0) : undefined;
  return { totalUsd, promptTokens, assumedOutputTokens, perModel };
}

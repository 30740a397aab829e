// How long an answer may be (`max_tokens`): the user's choice, capped at the model's own limit. Pure.
// OpenRouter reserves the price of this many output tokens before it answers; a request without it
// reserves the model's whole output limit, which a small balance cannot cover even for a short question.
import type { Model } from '../openrouter/types';
import { statedOutputLimit } from './modelLimits';
import { pricePerToken } from './modelPrice';

/** The cap on tokens a per-chat choice or the setting may name (larger values are refused as typos). */
export const MAX_OUTPUT_TOKENS_CHOICE = 10_000_000;

function positive(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

/**
 * `max_tokens` for one request to `model`: `chosen` tokens capped at the model's
 * `top_provider.max_completion_tokens`; `chosen` 0 means the model's own limit. Undefined (send no
 * `max_tokens`) only when the choice is 0 and the model states no limit.
 */
export function outputLimit(model: Pick<Model, 'top_provider'> | undefined, chosen: number): number | undefined {
  const modelLimit = statedOutputLimit(model);
  const wanted = positive(chosen);
  if (wanted === undefined) return modelLimit;
  return modelLimit === undefined ? wanted : Math.min(wanted, modelLimit);
}

/** A per-chat choice from an untrusted webview: a whole number from 0 to MAX_OUTPUT_TOKENS_CHOICE, or a reason. */
export function checkOutputTokens(raw: unknown): { value?: number; problem?: string } {
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= MAX_OUTPUT_TOKENS_CHOICE) return { value: raw };
  return { problem: `Output limit: ${JSON.stringify(raw)} is not a whole number of tokens from 0 (the model's maximum) to ${MAX_OUTPUT_TOKENS_CHOICE}; ignored.` };
}

/** USD per output token from the model's pricing; undefined when unknown or variable. */
export function outputPrice(model: Pick<Model, 'pricing'> | undefined): number | undefined {
  return pricePerToken(model?.pricing?.completion);
}

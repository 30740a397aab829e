// OpenRouter's pre-flight credit check: before a paid request runs, the price of its prompt plus its
// whole output allowance (`max_tokens`, or the model's own output limit when the request names none)
// must fit in what the key may still spend; otherwise 402 with OpenRouter's message, naming the output
// tokens asked for and the number the balance covers.
import type { EmulatedModel } from './models';
import type { KeyState } from './types';

/** What a key may still spend: the smaller of its own remaining limit and the account's credits. */
export interface Spendable {
  usd: number;
  /** Which of the two is smaller: the advice in the message differs. */
  limitedBy: 'key' | 'account';
}

export function spendableFor(key: KeyState, credits: { total_credits: number; total_usage: number }): Spendable {
  const account = Math.max(0, credits.total_credits - credits.total_usage);
  const own = key.limit === null || key.limit_remaining === null ? Infinity : Math.max(0, key.limit_remaining);
  return own < account ? { usd: own, limitedBy: 'key' } : { usd: account, limitedBy: 'account' };
}

function price(model: EmulatedModel, field: string): number {
  return Number(model.pricing[field] ?? '0') || 0;
}

/** The output tokens a request reserves: its `max_tokens` (`max_completion_tokens`), else the model's limit. */
export function requestedOutputTokens(model: EmulatedModel, body: Record<string, unknown>, promptTokens: number): number {
  const named = [body.max_tokens, body.max_completion_tokens].find((n): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0);
  if (named !== undefined) return Math.floor(named);
  return model.top_provider.max_completion_tokens ?? Math.max(0, model.context_length - promptTokens);
}

/** The 402 body when the reservation does not fit, else undefined (free models always pass). */
export function preflight(model: EmulatedModel, body: Record<string, unknown>, promptTokens: number, spendable: Spendable | undefined): Record<string, unknown> | undefined {
  if (!spendable) return undefined;
  const promptPrice = price(model, 'prompt');
  const completionPrice = Math.max(price(model, 'completion'), price(model, 'internal_reasoning'));
  const requested = requestedOutputTokens(model, body, promptTokens);
  const reserved = promptTokens * promptPrice + requested * completionPrice + price(model, 'request');
  if (reserved <= spendable.usd) return undefined;
  const left = spendable.usd - promptTokens * promptPrice - price(model, 'request');
  const affordable = completionPrice > 0 ? Math.max(0, Math.floor(left / completionPrice)) : 0;
  const increase =
    spendable.limitedBy === 'key'
      ? 'To increase, visit https://openrouter.ai/settings/keys and create a key with a higher total limit'
      : 'To increase, visit https://openrouter.ai/settings/credits and add more credits';
  return {
    error: { code: 402, message: `This request requires more credits, or fewer max_tokens. You requested up to ${requested} tokens, but can only afford ${affordable}. ${increase}`, metadata: { provider_name: null } },
    user_id: 'user_2emulator0000000000000000',
  };
}

/**
 * OpenRouter's 400 for a prompt plus the output it names (`max_tokens`) over the model's context length; a
 * request that names no output limit is refused only when its prompt alone is too long.
 */
export function contextRefusal(model: EmulatedModel, body: Record<string, unknown>, promptTokens: number): Record<string, unknown> | undefined {
  const named = [body.max_tokens, body.max_completion_tokens].find((n): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0);
  const output = named === undefined ? 0 : Math.floor(named);
  if (promptTokens + output <= model.context_length) return undefined;
  const message = `This endpoint's maximum context length is ${model.context_length} tokens. However, you requested about ${promptTokens + output} tokens (${promptTokens} of text input, ${output} in the output). Please reduce the length of either one, or use the "middle-out" transform to compress your prompt automatically.`;
  return { error: { code: 400, message, metadata: { provider_name: null } } };
}

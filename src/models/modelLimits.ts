// A model's limits, read one way everywhere (the chat's estimate and condensing, VS Code's chat model
// information, the output limit, the agent loop): the input budget is the model's own `context_length`
// (not `top_provider.context_length`, which can be far smaller), the output budget
// `top_provider.max_completion_tokens`. Pure.
import type { Model } from '../openrouter/types';

/** When a model states no context length at all. */
export const FALLBACK_CONTEXT_TOKENS = 32_768;
/** Cap on the output budget assumed when a model states no completion limit. */
export const FALLBACK_MAX_OUTPUT_TOKENS = 32_768;

/** The catalogue fields the limits are read from. */
export type LimitFields = Partial<Pick<Model, 'id' | 'context_length' | 'top_provider'>>;

export interface ModelLimits {
  /** Input plus output, as the model reads them. */
  contextTokens: number;
  /** What a prompt may take while the output budget stays free. */
  maxInputTokens: number;
  maxOutputTokens: number;
}

function positive(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

/** The model's context length as the catalogue states it (its own, else the top provider's); undefined when unstated. */
export function statedContextLength(model: LimitFields | undefined): number | undefined {
  return positive(model?.context_length) ?? positive(model?.top_provider?.context_length);
}

/** `top_provider.max_completion_tokens`; undefined when the model states no limit. */
export function statedOutputLimit(model: Pick<Model, 'top_provider'> | undefined): number | undefined {
  return positive(model?.top_provider?.max_completion_tokens);
}

/**
 * Input and output budgets from the model's limits. OpenRouter's `context_length` covers input plus
 * output; the output budget is `top_provider.max_completion_tokens` or, when that is null, a quarter
 * of the context capped at 32K. The input budget is the context minus the output budget, but never less
 * than half the context (some models state a completion limit equal to their whole context).
 */
export function modelLimits(model: LimitFields | undefined): ModelLimits {
  const context = statedContextLength(model) ?? FALLBACK_CONTEXT_TOKENS;
  const stated = statedOutputLimit(model);
  const maxOutputTokens = stated !== undefined ? Math.min(stated, context) : Math.min(FALLBACK_MAX_OUTPUT_TOKENS, Math.floor(context / 4));
  const maxInputTokens = context - Math.min(maxOutputTokens, Math.floor(context / 2));
  return { contextTokens: context, maxInputTokens, maxOutputTokens };
}

/**
 * The prompt tokens a request may carry when it asks for `maxTokens` of output: the context minus that
 * output (OpenRouter refuses a prompt plus `max_tokens` over the context), or the input budget when the
 * request names no output limit.
 */
export function promptBudget(model: LimitFields | undefined, maxTokens: number | undefined): number {
  const limits = modelLimits(model);
  if (maxTokens === undefined || maxTokens <= 0) return limits.maxInputTokens;
  return Math.max(0, limits.contextTokens - Math.min(maxTokens, limits.contextTokens));
}

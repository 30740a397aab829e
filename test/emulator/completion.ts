// The wire shapes of one answer: the stream's chunks or the single completion body, with usage and
// cost from the model's per-token prices.
import { wholeDetails } from './reasoningDetails';
import type { AnswerPlan } from './answer';
import { countTokens, type EmulatedModel } from './models';
import { noCache, type CacheOutcome } from './promptCache';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost: number;
  is_byok: boolean;
  prompt_tokens_details: { cached_tokens: number; cache_write_tokens: number; audio_tokens: number };
  cost_details: { upstream_inference_cost: number | null; upstream_inference_prompt_cost: number; upstream_inference_completions_cost: number };
  completion_tokens_details: { reasoning_tokens: number; image_tokens: number };
  /** Server tools that ran (web search), when the request had any. */
  server_tool_use?: { web_search_requests: number; tool_calls_requested: number; tool_calls_executed: number };
}

/** The fields every chunk of one generation shares. */
export interface AnswerHeader {
  id: string;
  provider: string;
  model: string;
  created: number;
}

/** What the cache changed the prompt's cost by (OpenRouter's `cache_discount`): reads save, writes cost extra. */
export function cacheDiscount(model: EmulatedModel, usage: Usage): number {
  const { cached_tokens: cached, cache_write_tokens: written } = usage.prompt_tokens_details;
  return usd(cached * (price(model, 'prompt') - price(model, 'input_cache_read')) - written * (price(model, 'input_cache_write') - price(model, 'prompt')));
}

function price(model: EmulatedModel, field: string): number {
  return Number(model.pricing[field] ?? '0') || 0;
}

const usd = (value: number): number => Number(value.toFixed(12));

/**
 * One token per streamed piece, so a cut-off answer is billed for what was sent. Cached prompt tokens are
 * billed at `input_cache_read`, tokens written to the cache at `input_cache_write`.
 */
export function usageFor(model: EmulatedModel, plan: AnswerPlan, completionTokens: number, reasoningTokens: number, cache: CacheOutcome = noCache): Usage {
  const promptTokens = countTokens(plan.promptText) + 4;
  const cached = Math.min(cache.cachedTokens, promptTokens);
  const written = Math.min(cache.writeTokens, promptTokens - cached);
  const promptCost = (promptTokens - cached - written) * price(model, 'prompt') + cached * price(model, 'input_cache_read') + written * price(model, 'input_cache_write');
  const completionCost = completionTokens * price(model, 'completion') + reasoningTokens * price(model, 'internal_reasoning');
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens + reasoningTokens,
    total_tokens: promptTokens + completionTokens + reasoningTokens,
    cost: usd(promptCost + completionCost + price(model, 'request')),
    is_byok: false,
    prompt_tokens_details: { cached_tokens: cached, cache_write_tokens: written, audio_tokens: 0 },
    cost_details: { upstream_inference_cost: null, upstream_inference_prompt_cost: usd(promptCost), upstream_inference_completions_cost: usd(completionCost) },
    completion_tokens_details: { reasoning_tokens: reasoningTokens, image_tokens: 0 },
  };
}

/** Output pieces after the reasoning: content, or the tool call's argument pieces. */
export function outputPieces(plan: AnswerPlan): number {
  return plan.contentPieces.length + (plan.toolCalls ?? []).reduce((sum, call) => sum + call.argumentPieces.length, 0);
}

function chunk(header: AnswerHeader, delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> {
  return {
    ...header,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { role: 'assistant', ...delta }, finish_reason: finish, native_finish_reason: finish, logprobs: null }],
  };
}

/** Reasoning deltas, content deltas or tool-call deltas, the finish chunk, then usage with empty choices. */
export function streamEvents(header: AnswerHeader, plan: AnswerPlan, usage: Usage): unknown[] {
  const events: unknown[] = [];
  plan.reasoningPieces.forEach((piece, i) => {
    const details = plan.reasoningDetails?.[i] ?? [{ type: 'reasoning.text', text: piece, format: 'unknown', index: 0 }];
    events.push(chunk(header, { content: '', reasoning: piece, reasoning_details: details }));
  });
  for (const piece of plan.contentPieces) events.push(chunk(header, { content: piece }));
  for (const [index, call] of (plan.toolCalls ?? []).entries()) {
    events.push(chunk(header, { content: null, tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of call.argumentPieces) events.push(chunk(header, { content: null, tool_calls: [{ index, function: { arguments: piece } }] }));
  }
  events.push(chunk(header, { content: '' }, plan.finishReason));
  events.push({ ...header, object: 'chat.completion.chunk', choices: [], usage });
  return events;
}

/** OpenRouter's chunk for a failure after the stream started (the HTTP status stays 200). */
export function errorChunk(header: AnswerHeader, code: number | string, message: string): unknown {
  return {
    ...header,
    object: 'chat.completion.chunk',
    error: { code, message },
    choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error', native_finish_reason: 'error' }],
  };
}

export function completionBody(header: AnswerHeader, plan: AnswerPlan, usage: Usage): Record<string, unknown> {
  const reasoning = plan.reasoningPieces.join('');
  const calls = plan.toolCalls ?? [];
  const message: Record<string, unknown> = { role: 'assistant', content: plan.contentPieces.join(''), refusal: null, reasoning: reasoning || null };
  if (reasoning) message.reasoning_details = plan.reasoningDetails ? wholeDetails(plan.reasoningDetails) : [{ type: 'reasoning.text', text: reasoning, format: 'unknown', index: 0 }];
  if (calls.length) message.tool_calls = calls.map((call, index) => ({ index, id: call.id, type: 'function', function: { name: call.name, arguments: call.argumentPieces.join('') } }));
  return {
    ...header,
    object: 'chat.completion',
    choices: [{ index: 0, logprobs: null, finish_reason: plan.finishReason, native_finish_reason: plan.finishReason, message }],
    system_fingerprint: null,
    usage,
  };
}

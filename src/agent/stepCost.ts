// The most the next step of an agent task can cost, from the catalogue's prices and the request about to go out:
// every prompt token at the prompt price, plus every output token `max_tokens` allows at the dearer of the output
// and reasoning prices, plus the per-request price. Pure, no vscode import.
import { pricePerToken } from '../models/modelPrice';
import { estimateTextTokens, IMAGE_TOKENS, MESSAGE_OVERHEAD } from '../models/tokenEstimate';
import type { ChatMessage, ChatRequest, Model } from '../openrouter/types';

export type PricedModel = Pick<Model, 'id' | 'pricing' | 'top_provider' | 'context_length'>;

/** USD; undefined when the catalogue does not know the model's prices (the cap then cannot be kept). */
export function worstStepCost(model: PricedModel | undefined, request: Pick<ChatRequest, 'messages' | 'tools' | 'max_tokens'>): number | undefined {
  const pricing = model?.pricing;
  const prompt = pricePerToken(pricing?.prompt);
  const completion = pricePerToken(pricing?.completion);
  if (prompt === undefined || completion === undefined) return undefined;
  const reasoning = pricePerToken(pricing?.internal_reasoning) ?? 0;
  const perRequest = pricePerToken(pricing?.request) ?? 0;
  const promptTokens = requestTokens(request);
  const output = request.max_tokens ?? model?.top_provider?.max_completion_tokens ?? Math.max(0, (model?.context_length ?? 0) - promptTokens);
  return promptTokens * prompt + output * Math.max(completion, reasoning) + perRequest;
}

/** The estimated prompt tokens of a request: every message (text, tool calls, reasoning) and the tool list. */
export function requestTokens(request: Pick<ChatRequest, 'messages' | 'tools'>): number {
  let total = request.tools?.length ? estimateTextTokens(JSON.stringify(request.tools)) : 0;
  for (const message of request.messages) total += messageTokens(message);
  return total;
}

function messageTokens(message: ChatMessage): number {
  let total = MESSAGE_OVERHEAD;
  const { content } = message;
  if (typeof content === 'string') total += estimateTextTokens(content);
  else if (Array.isArray(content)) {
    for (const part of content) total += part.type === 'text' ? estimateTextTokens(part.text) : IMAGE_TOKENS;
  }
  if (message.tool_calls?.length) total += estimateTextTokens(JSON.stringify(message.tool_calls));
  if (typeof message.reasoning === 'string') total += estimateTextTokens(message.reasoning);
  return total;
}

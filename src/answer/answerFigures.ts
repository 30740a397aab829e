// An answer's figures and the rules that make them, once for every feature that runs an answer: which
// model and provider answered, tokens with one rule for cached ones, the cost as billed (the stream's
// usage chunk, else /generation), timing, and how it ended. Pure, no vscode import.
import type { GenerationStats, RequestRecord, Usage } from '../openrouter/types';
import type { GenerationRecord, UsageSource } from '../usage/usageTypes';

export type AnswerStatus = 'done' | 'stopped' | 'error';

export interface AnswerFigures {
  /** The model asked for. */
  requestedModel: string;
  /** The model that answered, when OpenRouter named it (the stream's `model`, then /generation's). */
  model?: string;
  /** The provider OpenRouter routed to. */
  provider?: string;
  generationId?: string;
  /** `streaming` until the stream ends; a stopped answer was ended by the user, an error by anything else. */
  status: AnswerStatus | 'streaming';
  /** What ended it when `status` is `error`. */
  error?: unknown;
  /** The model's own finish reason (`stop`, `length`, `tool_calls`…), when it sent one. */
  finishReason?: string;
  promptTokens?: number;
  completionTokens?: number;
  reasoningTokens?: number;
  /** Prompt tokens read from the prompt cache, as reported (0 kept); absent when nothing said. */
  cachedTokens?: number;
  /** Prompt tokens written to the prompt cache, as reported. */
  cacheWriteTokens?: number;
  /** What caching changed the cost by, USD (/generation's `cache_discount`; positive saved). */
  cacheDiscountUsd?: number;
  /** Web searches OpenRouter ran (`usage.server_tool_use.web_search_requests`); their price is in `costUsd`. */
  webSearches?: number;
  /**
   * USD as billed: the usage chunk's `cost`, else /generation's `total_cost`; with your own provider key (BYOK)
   * the provider's upstream charge is added, since you pay both.
   */
  costUsd?: number;
  /** BYOK: what the provider charged your own key (within `costUsd`). */
  byokUpstreamUsd?: number;
  /** Epoch ms the request was started. */
  startedAt: number;
  /** Request started → first content, reasoning or tool-call token, ms. */
  timeToFirstTokenMs?: number;
  /** Request started → stream ended, ms (absent for figures resumed in a later session). */
  durationMs?: number;
  /** Where the token and cost figures came from; `pending` while /generation is asked. */
  source: 'usage' | 'generation' | 'pending' | 'unavailable';
}

/** Output tokens per second from the first token to the end; undefined when too short to say. */
export function tokensPerSecond(tokens: number, firstTokenAt: number | undefined, endedAt: number): number | undefined {
  if (firstTokenAt === undefined || tokens <= 0) return undefined;
  const seconds = (endedAt - firstTokenAt) / 1000;
  return seconds > 0.001 ? tokens / seconds : undefined;
}

/** The answer's output speed, from its first token to its end. */
export function figuresTokensPerSecond(f: AnswerFigures): number | undefined {
  if (f.completionTokens === undefined || f.durationMs === undefined) return undefined;
  return tokensPerSecond(f.completionTokens, f.timeToFirstTokenMs, f.durationMs);
}

/** The stream's usage chunk over what the stream said so far. Cached tokens are kept as reported, 0 included. */
export function withUsage(f: AnswerFigures, usage: Usage): AnswerFigures {
  const next: AnswerFigures = { ...f, source: 'usage', promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') next.reasoningTokens = reasoning;
  if (typeof usage.cost === 'number') next.costUsd = usage.cost;
  const upstream = (usage['cost_details'] as { upstream_inference_cost?: unknown } | null | undefined)?.upstream_inference_cost;
  if (usage['is_byok'] === true && typeof upstream === 'number') withUpstream(next, upstream);
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') next.cachedTokens = cached;
  const written = usage.prompt_tokens_details?.['cache_write_tokens'];
  if (typeof written === 'number') next.cacheWriteTokens = written;
  const searches = (usage['server_tool_use'] as { web_search_requests?: unknown } | null | undefined)?.web_search_requests;
  if (typeof searches === 'number' && searches > 0) next.webSearches = searches;
  return next;
}

/** /generation's answer over the stream's figures: it names the serving model and provider and has the bill. */
export function withGeneration(f: AnswerFigures, g: GenerationStats): AnswerFigures {
  const next: AnswerFigures = { ...f, source: 'generation' };
  if (g.model) next.model = g.model;
  if (g.provider_name) next.provider = g.provider_name;
  const prompt = g.tokens_prompt ?? g.native_tokens_prompt;
  const completion = g.tokens_completion ?? g.native_tokens_completion;
  if (typeof prompt === 'number') next.promptTokens = prompt;
  if (typeof completion === 'number') next.completionTokens = completion;
  if (typeof g.native_tokens_reasoning === 'number') next.reasoningTokens = g.native_tokens_reasoning;
  if (typeof g.native_tokens_cached === 'number') next.cachedTokens = g.native_tokens_cached;
  if (typeof g.total_cost === 'number') next.costUsd = g.total_cost;
  delete next.byokUpstreamUsd;
  if (g['is_byok'] === true && typeof g['upstream_inference_cost'] === 'number') withUpstream(next, g['upstream_inference_cost']);
  if (typeof g.cache_discount === 'number' && g.cache_discount !== 0) next.cacheDiscountUsd = g.cache_discount;
  if (g.finish_reason && next.finishReason === undefined) next.finishReason = g.finish_reason;
  return next;
}

/** Adds a BYOK answer's upstream charge to what it cost. */
function withUpstream(f: AnswerFigures, upstream: number): void {
  f.byokUpstreamUsd = upstream;
  if (f.costUsd !== undefined) f.costUsd += upstream;
}

/**
 * /generation is asked when the stream left the bill unknown (stopped, failed, no usage chunk or one without a
 * cost), or when the prompt cache was read or written: only /generation says what the cache saved.
 */
export function needsLookup(f: AnswerFigures): boolean {
  if (!f.generationId) return false;
  if (f.costUsd === undefined) return true;
  return (f.cachedTokens ?? 0) > 0 || (f.cacheWriteTokens ?? 0) > 0;
}

/** The source shown once the stream has ended: usage figures stand, else /generation is pending or there is none. */
export function sourceAtEnd(f: AnswerFigures): AnswerFigures['source'] {
  if (f.source === 'usage' || f.source === 'generation') return f.source;
  return f.generationId ? 'pending' : 'unavailable';
}

/** One failed attempt's reason for a status line: the kind of failure, then OpenRouter's own words. */
export function retryReason(record: Pick<RequestRecord, 'reason' | 'error' | 'status'>): string {
  const kind = record.reason ?? (record.status ? `HTTP ${record.status}` : undefined);
  // The error text starts with the method and path, which say nothing to a reader, and may end with the status the kind names.
  const message = record.error
    ?.replace(/^[A-Z]+ \/\S*: /, '')
    .replace(/ \(HTTP \d+\)$/, '')
    .trim();
  const text = kind && message && !message.includes(kind) ? `${kind}: ${message}` : (message || kind || 'the attempt failed');
  return text.slice(0, 300);
}

/** The usage record's entry for an answer: the model that answered, the bill, the prompt it answered. */
export function usageRecordOf(source: UsageSource, f: AnswerFigures, prompt: string | undefined): GenerationRecord {
  const record: GenerationRecord = { source, model: f.model ?? f.requestedModel, status: f.status === 'streaming' ? 'done' : f.status, at: f.startedAt };
  if (f.generationId) record.generationId = f.generationId;
  if (f.provider) record.provider = f.provider;
  if (f.promptTokens !== undefined) record.promptTokens = f.promptTokens;
  if (f.completionTokens !== undefined) record.completionTokens = f.completionTokens;
  if (f.cachedTokens !== undefined) record.cachedTokens = f.cachedTokens;
  if (f.costUsd !== undefined) record.costUsd = f.costUsd;
  if (f.durationMs !== undefined) record.latencyMs = f.durationMs;
  if (f.timeToFirstTokenMs !== undefined) record.timeToFirstTokenMs = f.timeToFirstTokenMs;
  if (prompt !== undefined) record.prompt = prompt;
  return record;
}

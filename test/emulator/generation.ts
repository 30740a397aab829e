// The /generation stats of one finished (or interrupted) chat answer, in the shape OpenRouter serves.
import type { AnswerHeader, Usage } from './completion';
import type { Outcome } from './sse';

export interface GenerationFacts {
  header: AnswerHeader;
  canonicalSlug: string;
  usage: Usage;
  reasoningTokens: number;
  outcome: Outcome;
  finishReason: string;
  streamed: boolean;
  startedAt: number;
  endedAt: number;
  referer?: string;
  userAgent?: string;
  user?: string;
  sessionId?: string;
  /** USD the prompt cache saved (negative: what writing to it cost); null when nothing was cached or written. */
  cacheDiscount?: number | null;
  /** The router the request named (`openrouter/auto`), when one picked the model. */
  router?: string;
  /** The web search server tool's results and engine, when it ran. */
  webSearch?: { results: number; engine: string };
}

export function generationStats(facts: GenerationFacts): Record<string, unknown> {
  const { header, usage, outcome } = facts;
  const finish = outcome === 'completed' ? facts.finishReason : outcome === 'errored' ? 'error' : null;
  const latency = Math.max(1, facts.endedAt - facts.startedAt);
  const upstreamId = `chatcmpl-${header.id.slice(4)}`;
  return {
    id: header.id,
    upstream_id: upstreamId,
    total_cost: usage.cost,
    cache_discount: facts.cacheDiscount ?? null,
    upstream_inference_cost: usage.is_byok ? usage.cost_details.upstream_inference_cost : null,
    created_at: new Date(facts.startedAt).toISOString(),
    model: header.model,
    app_id: null,
    streamed: facts.streamed,
    cancelled: outcome === 'client-aborted',
    provider_name: header.provider,
    latency,
    moderation_latency: null,
    generation_time: latency,
    finish_reason: finish,
    native_finish_reason: finish,
    tokens_prompt: usage.prompt_tokens,
    tokens_completion: usage.completion_tokens,
    native_tokens_prompt: usage.prompt_tokens,
    native_tokens_completion: usage.completion_tokens,
    native_tokens_completion_images: 0,
    native_tokens_reasoning: facts.reasoningTokens,
    native_tokens_cached: usage.prompt_tokens_details.cached_tokens,
    num_media_prompt: null,
    num_input_audio_prompt: null,
    num_media_completion: 0,
    num_search_results: facts.webSearch?.results ?? 0,
    num_fetches: 0,
    origin: facts.referer ?? '',
    http_referer: facts.referer ?? null,
    user_agent: facts.userAgent ?? null,
    external_user: facts.user ?? null,
    session_id: facts.sessionId ?? null,
    usage: usage.cost,
    is_byok: usage.is_byok,
    api_type: 'completions',
    data_region: 'global',
    preset_id: null,
    request_id: `req-${header.id.slice(4)}`,
    router: facts.router ?? null,
    service_tier: null,
    web_search_engine: facts.webSearch?.engine ?? null,
    workspace_id: null,
    provider_responses: [
      { id: upstreamId, endpoint_id: `ep-${header.model.replace(/[^a-z0-9]/g, '-')}`, model_permaslug: facts.canonicalSlug, provider_name: header.provider, status: outcome === 'errored' ? 502 : 200, latency, is_byok: false },
    ],
  };
}

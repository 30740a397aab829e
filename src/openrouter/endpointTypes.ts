// `GET /models/{author}/{slug}/endpoints`: the providers serving one model (OpenRouter's `PublicEndpoint`).

/** Percentiles over the last 30 minutes (seconds for latency, tokens per second for throughput). */
export interface Percentiles {
  p50?: number | null;
  p75?: number | null;
  p90?: number | null;
  p99?: number | null;
}

/** One provider serving a model (`GET /models/{author}/{slug}/endpoints`). */
export interface ModelEndpoint {
  name?: string;
  provider_name: string;
  /** The provider's slug, as `provider.order`/`only`/`ignore` take it. */
  tag?: string;
  context_length?: number | null;
  max_completion_tokens?: number | null;
  pricing?: { prompt?: string; completion?: string; [extra: string]: unknown } | null;
  quantization?: string | null;
  supported_parameters?: string[] | null;
  uptime_last_30m?: number | null;
  latency_last_30m?: Percentiles | null;
  throughput_last_30m?: Percentiles | null;
  status?: number | null;
  [extra: string]: unknown;
}

export interface ModelEndpoints {
  id: string;
  name?: string;
  endpoints: ModelEndpoint[];
  [extra: string]: unknown;
}

// OpenRouter's wire shapes (field names as the API sends them) and the provider's public options.
// Unknown fields pass through: every object type is open, optional fields may be missing or null.
import type { Dispatcher } from 'undici';

export interface ModelArchitecture {
  modality?: string | null;
  input_modalities?: string[] | null;
  output_modalities?: string[] | null;
  tokenizer?: string | null;
  instruct_type?: string | null;
  [extra: string]: unknown;
}

/** Every price is a decimal string in USD per token (per request / image / search where named). */
export interface ModelPricing {
  prompt?: string | null;
  completion?: string | null;
  request?: string | null;
  image?: string | null;
  web_search?: string | null;
  internal_reasoning?: string | null;
  input_cache_read?: string | null;
  input_cache_write?: string | null;
  [extra: string]: unknown;
}

export interface Model {
  id: string;
  canonical_slug?: string | null;
  name?: string | null;
  created?: number | null;
  description?: string | null;
  context_length?: number | null;
  architecture?: ModelArchitecture | null;
  pricing?: ModelPricing | null;
  top_provider?: {
    context_length?: number | null;
    max_completion_tokens?: number | null;
    is_moderated?: boolean | null;
    [extra: string]: unknown;
  } | null;
  per_request_limits?: Record<string, unknown> | null;
  supported_parameters?: string[] | null;
  default_parameters?: Record<string, unknown> | null;
  expiration_date?: string | null;
  knowledge_cutoff?: string | null;
  /** Reasoning models only: the efforts they accept (highest first; null: all) and whether reasoning can be turned off. */
  reasoning?: { mandatory?: boolean; default_enabled?: boolean; default_effort?: string | null; supported_efforts?: string[] | null; supports_max_tokens?: boolean; [extra: string]: unknown } | null;
  [extra: string]: unknown;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatContentPart =
  | { type: 'text'; text: string; [extra: string]: unknown }
  | { type: 'image_url'; image_url: { url: string; detail?: string }; [extra: string]: unknown }
  /** A document (a PDF as a data URL or an address), read natively or parsed by OpenRouter's file-parser plugin. */
  | { type: 'file'; file: { filename: string; file_data: string }; [extra: string]: unknown };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool' | 'developer';
  content: string | ChatContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  reasoning?: string | null;
  [extra: string]: unknown;
}

export interface ProviderRouting {
  order?: string[];
  only?: string[];
  ignore?: string[];
  allow_fallbacks?: boolean;
  sort?: 'price' | 'throughput' | 'latency';
  data_collection?: 'allow' | 'deny';
  zdr?: boolean;
  max_price?: Record<string, number>;
  [extra: string]: unknown;
}

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** A tool OpenRouter runs on its side (`openrouter:web_search`, `openrouter:datetime`…). */
export interface ServerTool {
  type: `openrouter:${string}`;
  parameters?: Record<string, unknown>;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  models?: string[];
  provider?: ProviderRouting;
  reasoning?: { effort?: 'xhigh' | 'high' | 'medium' | 'low' | 'minimal' | 'none'; max_tokens?: number; exclude?: boolean; enabled?: boolean };
  session_id?: string;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string | string[];
  seed?: number;
  /** Function tools the caller runs, and OpenRouter's server tools (`openrouter:web_search`…) it runs itself. */
  tools?: Array<FunctionTool | ServerTool>;
  tool_choice?: unknown;
  response_format?: unknown;
  user?: string;
  plugins?: Array<{ id: string; [extra: string]: unknown }>;
  [extra: string]: unknown;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null; [extra: string]: unknown } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null; [extra: string]: unknown } | null;
  [extra: string]: unknown;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error' | (string & {});

export interface ChatCompletion {
  id: string;
  provider?: string | null;
  model: string;
  created?: number;
  object?: string;
  choices: Array<{
    index?: number;
    message: ChatMessage;
    finish_reason: FinishReason | null;
    native_finish_reason?: string | null;
    [extra: string]: unknown;
  }>;
  usage?: Usage | null;
  [extra: string]: unknown;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

/** What every streamed chunk carries, chat or text completion. */
interface StreamChunkFields {
  id: string;
  provider?: string | null;
  model?: string;
  created?: number;
  object?: string;
  usage?: Usage | null;
  /** Present on a mid-stream error chunk; the provider turns it into a thrown StreamError. */
  error?: { code?: number | string; message: string; metadata?: Record<string, unknown> };
  [extra: string]: unknown;
}

export interface ChatCompletionChunk extends StreamChunkFields {
  choices: Array<{
    index?: number;
    delta: {
      role?: string;
      content?: string | null;
      reasoning?: string | null;
      reasoning_details?: unknown[] | null;
      tool_calls?: ToolCallDelta[];
      /** `url_citation` sources of a web search (OpenAI's annotation shape), usually near the end. */
      annotations?: unknown[] | null;
      [extra: string]: unknown;
    };
    finish_reason: FinishReason | null;
    native_finish_reason?: string | null;
    [extra: string]: unknown;
  }>;
}

/** `POST /completions`: a raw prompt, and for fill-in-the-middle the text after the gap in `suffix`. */
export interface TextCompletionRequest {
  model: string;
  prompt: string;
  suffix?: string;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  provider?: ProviderRouting;
  [extra: string]: unknown;
}

export interface TextCompletionChunk extends StreamChunkFields {
  choices: Array<{
    index?: number;
    text?: string | null;
    finish_reason: FinishReason | null;
    native_finish_reason?: string | null;
    [extra: string]: unknown;
  }>;
}

export interface KeyInfo {
  label?: string | null;
  limit: number | null;
  limit_reset?: string | null;
  limit_remaining: number | null;
  usage: number;
  usage_daily?: number;
  usage_weekly?: number;
  usage_monthly?: number;
  byok_usage?: number;
  include_byok_in_limit?: boolean;
  is_free_tier?: boolean;
  is_management_key?: boolean;
  expires_at?: string | null;
  free_model_daily_requests?: { limit: number; remaining: number; used: number } | null;
  [extra: string]: unknown;
}

export interface Credits {
  total_credits: number;
  total_usage: number;
  [extra: string]: unknown;
}

export interface GenerationStats {
  id: string;
  model?: string;
  provider_name?: string | null;
  total_cost?: number | null;
  usage?: number | null;
  cache_discount?: number | null;
  created_at?: string;
  streamed?: boolean | null;
  cancelled?: boolean | null;
  latency?: number | null;
  generation_time?: number | null;
  moderation_latency?: number | null;
  finish_reason?: string | null;
  native_finish_reason?: string | null;
  tokens_prompt?: number | null;
  tokens_completion?: number | null;
  native_tokens_prompt?: number | null;
  native_tokens_completion?: number | null;
  native_tokens_reasoning?: number | null;
  native_tokens_cached?: number | null;
  [extra: string]: unknown;
}

export type ValidateResult =
  | { ok: true; key: KeyInfo }
  | { ok: false; status?: number; message: string };

/** The key a PKCE code was exchanged for (`POST /auth/keys`). */
export interface AuthKeyResult {
  key: string;
  userId?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Called with each of this call's attempt records, as `onRequest` listeners get them: other features' calls on the shared pool are not mixed in. */
  onAttempt?: (record: RequestRecord) => void;
  /** Called when an attempt's request starts going out on a connection (once per attempt). */
  onRequestSent?: () => void;
}

export interface StreamCallOptions extends CallOptions {
  /** Called for every SSE comment (`: OPENROUTER PROCESSING`): the model is alive but has not answered yet. */
  onKeepAlive?: (comment: string) => void;
  /** Called once the response headers arrive, with the `X-Generation-Id` when the server sent one. */
  onResponse?: (info: { generationId?: string; status: number }) => void;
}

export interface ProviderTimeouts {
  /** TCP + TLS connect, ms. Default 10 000. */
  connectMs?: number;
  /** From request sent to response headers, ms. Default 120 000 (models can queue). */
  headersMs?: number;
  /** Longest silence between SSE events (comments count) or body bytes, ms. Default 60 000. */
  idleMs?: number;
}

export type ApiKeySource = string | (() => string | undefined | Promise<string | undefined>);

export interface ProviderOptions {
  apiKey: ApiKeySource;
  baseUrl?: string;
  poolSize?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** Cap on the provider's own backoff between attempts, ms. A wait the server asks for is never shortened. */
  retryMaxDelayMs?: number;
  /**
   * Longest wait a server may ask for (Retry-After) that the provider sits out before retrying; a longer
   * one ends the call with the server's wait in `retryAfterMs` (a RateLimitError for 429). Default 60 000.
   */
  maxServerWaitMs?: number;
  timeouts?: ProviderTimeouts;
  dispatcher?: Dispatcher;
  appUrl?: string;
  appTitle?: string;
  /** Negotiate HTTP/2 by ALPN on https origins. */
  allowH2?: boolean;
  /** Extra trusted CA certificates (PEM) for TLS, e.g. a corporate or test CA. Verification stays on. */
  ca?: string | string[];
  /**
   * Loads the operating system's trusted CA certificates (PEM) when the first connection is made; they are
   * trusted with Node's built-in roots and `ca`. Absent: the operating system's store is not used.
   */
  systemCertificates?: () => Promise<readonly string[]>;
  /** Reach OpenRouter through an HTTP(S) proxy (a CONNECT tunnel per pooled connection). */
  proxy?: ProxyOptions;
}

export interface ProxyOptions {
  /** `http://[user:password@]host:port` or `https://…`. Absent or empty: no proxy. */
  url?: string;
  /** Hosts that bypass the proxy: `host`, `host:port`, `.domain` / `*.domain` (and its subdomains), `*` for all. */
  noProxy?: readonly string[];
  /** Verify an https proxy's own certificate (default true). The origin's certificate is always verified. */
  strictSSL?: boolean;
  /** `Proxy-Authorization` header value for the proxy (e.g. `Basic …`) when its URL carries no credentials. Never logged. */
  authorization?: string;
  /**
   * Without `url`: asked once per connection pool, with the origin, for the system's proxy (PAC, OS settings);
   * answers a proxy URL, or undefined for a direct connection.
   */
  resolve?: (origin: string) => Promise<string | undefined>;
  /**
   * A proxy was configured but cannot be used (a malformed URL, an unsupported scheme): every connection
   * fails with this message, never goes around the proxy. Must not contain credentials.
   */
  unusable?: string;
}

/** One record per HTTP attempt. */
export interface RequestRecord {
  /** Identifies the logical call; all attempts of one call share it. */
  callId: number;
  method: string;
  /** Path below the base URL, with query, e.g. `/generation?id=gen-1`. */
  path: string;
  /** 1-based attempt number. */
  attempt: number;
  status?: number;
  /** Start of the attempt to its end: the last body byte read (or the stream closed), or the failure, ms. */
  latencyMs: number;
  /** Start of the attempt to the response headers, ms. */
  ttfbMs?: number;
  /** True when this attempt's request went out on a socket opened for it. */
  newConnection: boolean;
  /**
   * Set when the socket was opened because the kept one had sat idle nearly as long as the server lets it (its
   * idle timeout, this many ms, learnt from an earlier close): reusing it would have raced the server's close.
   */
  renewedBeforeServerIdleMs?: number;
  /** Set when this attempt failed and another will follow after this many ms. */
  retryDelayMs?: number;
  /** Why it failed, without secrets. */
  error?: string;
  /** Why it failed in a few words for a status line, e.g. `HTTP 429 rate limited`, `connection reset`. */
  reason?: string;
  /** HTTP version of the response, `1.1` or `2`. */
  httpVersion?: string;
  streamed?: boolean;
}

export interface ProviderStats {
  /** HTTP requests sent, every attempt counted. */
  requests: number;
  /** Attempts that were retries of an earlier one. */
  retries: number;
  /** Sockets opened (TCP, plus TLS where https); 0 when a caller's dispatcher is used. */
  connectionsOpened: number;
  /** DNS queries actually made (cache hits and IP-address hosts make none). */
  dnsLookups: number;
  /** Calls running, from their start (key lookup, waits between attempts included) until their answer is read or they fail. */
  inFlight: number;
  /** Sockets currently open (idle or busy). */
  openConnections: number;
  /** Requests that went out on an already-open connection. */
  reusedRequests: number;
  /**
   * How long the server lets a kept HTTP/1.1 connection sit idle before closing it, as last seen (ms); idle
   * connections are renewed a little before that age instead of reused. Absent until the server closed one.
   */
  serverIdleTimeoutMs?: number;
}

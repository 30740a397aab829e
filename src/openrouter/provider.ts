// The one OpenRouter client every feature shares: pooled connections, retries, typed errors, streaming.
import { sendAttempt } from './attempt';
import { newCall, run, type ProviderContext, type RequestListener, type Spec } from './call';
import { AbortError, APIError, ConfigError, OpenRouterError, ParseError } from './errors';
import { dataArray, parseJson, readBody } from './jsonBody';
import type { ModelEndpoints } from './endpointTypes';
import { ConnectionPool } from './pool';
import { MAX_SERVER_WAIT_MS } from './retryPolicy';
import { readStream } from './streamBody';
import type {
  AuthKeyResult, CallOptions, ChatCompletion, ChatCompletionChunk, ChatRequest, Credits, GenerationStats, KeyInfo, Model,
  ProviderOptions, ProviderStats, StreamCallOptions, TextCompletionChunk, TextCompletionRequest, ValidateResult,
} from './types';

export const DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';
export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
export const DEFAULT_RETRY_MAX_DELAY_MS = 15_000;
export const DEFAULT_TIMEOUTS = { connectMs: 10_000, headersMs: 120_000, idleMs: 60_000 } as const;

export class OpenRouterProvider {
  private readonly ctx: ProviderContext;

  constructor(options: ProviderOptions) {
    const base = new URL(options.baseUrl ?? DEFAULT_BASE_URL);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new ConfigError(`The OpenRouter base URL must be http(s), not ${base.protocol}`);
    }
    const origin = base.origin;
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.ctx = {
      options,
      origin,
      basePath: base.pathname.replace(/\/+$/, ''),
      timeouts,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      retryBaseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
      retryMaxDelayMs: options.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS,
      maxServerWaitMs: options.maxServerWaitMs ?? MAX_SERVER_WAIT_MS,
      // A caller's dispatcher owns its sockets: connection and DNS counts are then unavailable (0).
      dispatcher: options.dispatcher,
      pool: options.dispatcher ? undefined : new ConnectionPool({
        origin,
        poolSize: Math.max(1, options.poolSize ?? DEFAULT_POOL_SIZE),
        connectMs: timeouts.connectMs,
        headersMs: timeouts.headersMs,
        idleMs: timeouts.idleMs,
        allowH2: options.allowH2 ?? false,
        ca: options.ca,
        systemCertificates: options.systemCertificates,
        proxy: options.proxy,
      }),
      listeners: new Set<RequestListener>(),
      counters: { requests: 0, retries: 0, inFlight: 0 },
      nextCallId: 1,
      closed: false,
    };
  }

  async listModels(opts: CallOptions = {}): Promise<Model[]> {
    const body = await this.json<{ data?: unknown }>({ method: 'GET', path: '/models', stream: false, needsKey: false }, opts);
    return dataArray<Model>(body, 'GET /models');
  }

  /** `GET /models/user`: the models this account may use (its provider, privacy and guardrail settings applied). */
  async listUserModels(opts: CallOptions = {}): Promise<Model[]> {
    const body = await this.json<{ data?: unknown }>({ method: 'GET', path: '/models/user', stream: false, needsKey: true }, opts);
    return dataArray<Model>(body, 'GET /models/user');
  }

  /** `GET /models/{author}/{slug}/endpoints`: the providers serving a model, with their prices and recent figures. */
  async getModelEndpoints(modelId: string, opts: CallOptions = {}): Promise<ModelEndpoints> {
    const [author = '', ...rest] = modelId.split(':')[0]!.split('/');
    const path = `/models/${encodeURIComponent(author)}/${rest.map(encodeURIComponent).join('/')}/endpoints`;
    const body = await this.json<{ data?: ModelEndpoints }>({ method: 'GET', path, stream: false, needsKey: false }, opts);
    if (!body?.data || typeof body.data !== 'object' || !Array.isArray(body.data.endpoints)) throw new ParseError(`GET ${path}: the answer has no endpoints list.`, { status: 200 });
    return body.data;
  }

  async execute(request: ChatRequest, opts: CallOptions = {}): Promise<ChatCompletion> {
    const spec: Spec = { method: 'POST', path: '/chat/completions', body: { ...request, stream: false }, stream: false, needsKey: true };
    const completion = await this.json<ChatCompletion>(spec, opts);
    if (!completion || typeof completion !== 'object' || !Array.isArray(completion.choices)) {
      throw new ParseError('POST /chat/completions: the answer has no choices array.', { status: 200 });
    }
    return completion;
  }

  streamExecute(request: ChatRequest, opts: StreamCallOptions = {}): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const spec: Spec = { method: 'POST', path: '/chat/completions', body: { ...request, stream: true }, stream: true, needsKey: true };
    // One generator from request to last chunk: delegating with yield* would cost every chunk a second hop.
    return readStream(this.ctx, spec, opts);
  }

  /**
   * A streamed text completion (`POST /completions`): a prompt, and a `suffix` for fill-in-the-middle.
   * Retried like any call until its first byte, never after its signal aborts (the user typed on).
   */
  streamComplete(request: TextCompletionRequest, opts: StreamCallOptions = {}): AsyncGenerator<TextCompletionChunk, void, undefined> {
    const spec: Spec = { method: 'POST', path: '/completions', body: { ...request, stream: true }, stream: true, needsKey: true };
    return readStream<TextCompletionChunk>(this.ctx, spec, opts);
  }

  async validateConfig(opts: CallOptions = {}): Promise<ValidateResult> {
    try {
      const body = await this.json<{ data?: KeyInfo }>({ method: 'GET', path: '/key', stream: false, needsKey: true }, opts);
      if (!body?.data || typeof body.data !== 'object') throw new ParseError('GET /key: the answer has no data object.', { status: 200 });
      return { ok: true, key: body.data };
    } catch (error) {
      if (error instanceof AbortError) throw error;
      if (error instanceof APIError) return { ok: false, status: error.status, message: error.serverMessage ?? error.message };
      if (error instanceof OpenRouterError) return { ok: false, message: error.message };
      throw error;
    }
  }

  /**
   * Exchanges an authorisation code from the PKCE flow for a new API key (`POST /auth/keys`, no key needed).
   * A code is single-use; like every POST it is resent only when the server cannot have received it.
   */
  async exchangeAuthCode(code: string, verifier: string, opts: CallOptions = {}): Promise<AuthKeyResult> {
    const body = { code, code_verifier: verifier, code_challenge_method: 'S256' };
    const answer = await this.json<{ key?: unknown; user_id?: unknown }>({ method: 'POST', path: '/auth/keys', body, stream: false, needsKey: false }, opts);
    if (typeof answer?.key !== 'string' || !answer.key.trim()) throw new ParseError('POST /auth/keys: the answer has no key.', { status: 200 });
    return { key: answer.key.trim(), ...(typeof answer.user_id === 'string' ? { userId: answer.user_id } : {}) };
  }

  async getCredits(opts: CallOptions = {}): Promise<Credits> {
    const body = await this.json<{ data?: Credits }>({ method: 'GET', path: '/credits', stream: false, needsKey: true }, opts);
    if (!body?.data || typeof body.data !== 'object') throw new ParseError('GET /credits: the answer has no data object.', { status: 200 });
    return body.data;
  }

  /** Answers 404 (an APIError) until OpenRouter has the generation's stats, a few seconds after it ends. */
  async getGenerationStats(id: string, opts: CallOptions = {}): Promise<GenerationStats> {
    const path = `/generation?id=${encodeURIComponent(id)}`;
    const body = await this.json<{ data?: GenerationStats }>({ method: 'GET', path, stream: false, needsKey: true }, opts);
    if (!body?.data || typeof body.data !== 'object') throw new ParseError('GET /generation: the answer has no data object.', { status: 200 });
    return body.data;
  }

  stats(): ProviderStats {
    const tracker = this.ctx.pool?.tracker;
    return {
      requests: this.ctx.counters.requests,
      retries: this.ctx.counters.retries,
      connectionsOpened: tracker?.opened ?? 0,
      dnsLookups: tracker?.dnsLookups ?? 0,
      inFlight: this.ctx.counters.inFlight,
      openConnections: tracker?.openConnections ?? 0,
      reusedRequests: tracker?.reusedRequests ?? 0,
      ...(this.ctx.pool?.learnedServerIdleMs !== undefined ? { serverIdleTimeoutMs: this.ctx.pool.learnedServerIdleMs } : {}),
    };
  }

  /** One record per HTTP attempt. Returns the disposer. */
  onRequest(listener: RequestListener): () => void {
    this.ctx.listeners.add(listener);
    return () => {
      this.ctx.listeners.delete(listener);
    };
  }

  /** Closes every socket; calls in flight fail, later calls are refused. A caller's dispatcher is left open. */
  async close(): Promise<void> {
    if (this.ctx.closed) return;
    this.ctx.closed = true;
    await this.ctx.pool?.close();
  }

  /** One buffered call: every attempt until one answers 2xx, its whole body read, then parsed. */
  private async json<T>(spec: Spec, opts: CallOptions): Promise<T> {
    const { ctx } = this;
    const call = newCall(ctx, spec, opts);
    try {
      const { open, text } = await run(ctx, call, async (attempt) => {
        const opened = await sendAttempt(ctx, call, attempt);
        return { open: opened, text: await readBody(ctx, call, opened) };
      });
      return parseJson<T>(ctx, call, open, text);
    } finally {
      call.end();
    }
  }
}

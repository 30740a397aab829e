// The one OpenRouter client every feature shares: pooled connections, retries, typed errors, streaming.
import type { Dispatcher } from 'undici';
import { kAttemptTag, type AttemptTag } from './connections';
import {
  AbortError, APIError, ConfigError, ConnectionError, OpenRouterError, ParseError, StreamError, TimeoutError,
  errorFromResponse, errorFromTransport, failureReason,
} from './errors';
import { apiKeyProblem } from './apiKeyFormat';
import { Exchange, type ResponseHead } from './exchange';
import { buildHeaders } from './headers';
import { isNotProcessed } from './http2Connection';
import { ConnectionPool, type Lease } from './pool';
import { redactSecrets } from './redact';
import { raceAbort, withRetries } from './retry';
import {
  MAX_SERVER_WAIT_MS, isBodyBreakRetryable, isImmediateRetry, mayHaveRun, retryDelay, shouldRetryError, type TransportFailure,
} from './retryPolicy';
import { SseDecoder } from './sse';
import type {
  CallOptions, ChatCompletion, ChatCompletionChunk, ChatRequest, Credits, GenerationStats, KeyInfo, Model,
  ProviderOptions, ProviderStats, RequestRecord, StreamCallOptions, ValidateResult,
} from './types';

export const DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';
export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
export const DEFAULT_RETRY_MAX_DELAY_MS = 15_000;
export const DEFAULT_TIMEOUTS = { connectMs: 10_000, headersMs: 120_000, idleMs: 60_000 } as const;
/** Largest JSON body read into memory; /models is a few hundred KB. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** Decoded stream events held for a caller that is not pulling; beyond this the socket is paused. */
const MAX_PENDING_EVENTS = 1024;

type RequestListener = (record: RequestRecord) => void;

interface Spec {
  method: 'GET' | 'POST';
  /** Below the base URL, with query. */
  path: string;
  body?: unknown;
  stream: boolean;
  /** Endpoints that cannot work without a key fail before sending when it is missing. */
  needsKey: boolean;
}

interface Call {
  id: number;
  spec: Spec;
  /** The body as sent, encoded once for every attempt. */
  body: string | undefined;
  what: string;
  signal: AbortSignal | undefined;
  attempts: number;
  apiKey?: string;
  /** Delay chosen for each failure that will be retried. */
  planned: WeakMap<object, number>;
  onAttempt: CallOptions['onAttempt'];
  /** Ends the call's in-flight count; idempotent. */
  end: () => void;
}

/** What the request records say about one attempt. */
interface AttemptInfo {
  attempt: number;
  started: number;
  tag: AttemptTag;
  status?: number;
  ttfbMs?: number;
  /** A transport failure's facts, for the reason and the choice of wait. */
  transport?: TransportFailure;
}

/** An attempt whose headers arrived with a 2xx status; its body is still unread. */
interface OpenResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  exchange: Exchange;
  started: number;
  ttfbMs: number;
  tag: AttemptTag;
  attempt: number;
  generationId: string | undefined;
  /** Ends the attempt's bookkeeping (in-flight count, pool slot, abort listener); idempotent, also run when the body ends. */
  release: () => void;
}

export class OpenRouterProvider {
  private readonly origin: string;
  private readonly basePath: string;
  private readonly pool: ConnectionPool | undefined;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly timeouts: { connectMs: number; headersMs: number; idleMs: number };
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly maxServerWaitMs: number;
  private readonly listeners = new Set<RequestListener>();
  private readonly counters = { requests: 0, retries: 0, inFlight: 0 };
  private nextCallId = 1;
  private closed = false;

  constructor(private readonly options: ProviderOptions) {
    const base = new URL(options.baseUrl ?? DEFAULT_BASE_URL);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new ConfigError(`The OpenRouter base URL must be http(s), not ${base.protocol}`);
    }
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS;
    this.maxServerWaitMs = options.maxServerWaitMs ?? MAX_SERVER_WAIT_MS;
    if (options.dispatcher) {
      // A caller's dispatcher owns its sockets: connection and DNS counts are then unavailable (0).
      this.dispatcher = options.dispatcher;
    } else {
      this.pool = new ConnectionPool({
        origin: this.origin,
        poolSize: Math.max(1, options.poolSize ?? DEFAULT_POOL_SIZE),
        connectMs: this.timeouts.connectMs,
        headersMs: this.timeouts.headersMs,
        idleMs: this.timeouts.idleMs,
        allowH2: options.allowH2 ?? false,
        ca: options.ca,
        systemCertificates: options.systemCertificates,
        proxy: options.proxy,
      });
    }
  }

  async listModels(opts: CallOptions = {}): Promise<Model[]> {
    const body = await this.json<{ data?: unknown }>({ method: 'GET', path: '/models', stream: false, needsKey: false }, opts);
    return this.dataArray<Model>(body, 'GET /models');
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
    return this.readStream(spec, opts);
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
    const tracker = this.pool?.tracker;
    return {
      requests: this.counters.requests,
      retries: this.counters.retries,
      connectionsOpened: tracker?.opened ?? 0,
      dnsLookups: tracker?.dnsLookups ?? 0,
      inFlight: this.counters.inFlight,
      openConnections: tracker?.openConnections ?? 0,
      reusedRequests: tracker?.reusedRequests ?? 0,
    };
  }

  /** One record per HTTP attempt. Returns the disposer. */
  onRequest(listener: RequestListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Closes every socket; calls in flight fail, later calls are refused. A caller's dispatcher is left open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool?.close();
  }

  /** Encodes the body (once, before anything is taken from the pool) and counts the call in flight until `end()`. */
  private newCall(spec: Spec, opts: CallOptions): Call {
    const what = `${spec.method} ${spec.path.split('?')[0]}`;
    let body: string | undefined;
    try {
      body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    } catch (error) {
      throw new ConfigError(`${what}: the request could not be encoded as JSON: ${redactSecrets(String((error as Error)?.message ?? error))}`, { attempts: 0 });
    }
    this.counters.inFlight++;
    let ended = false;
    const end = (): void => {
      if (!ended) {
        ended = true;
        this.counters.inFlight--;
      }
    };
    return { id: this.nextCallId++, spec, body, what, signal: opts.signal, attempts: 0, planned: new WeakMap(), onAttempt: opts.onAttempt, end };
  }

  private async json<T>(spec: Spec, opts: CallOptions): Promise<T> {
    const call = this.newCall(spec, opts);
    try {
      const { open, text } = await this.run(call, async (attempt) => {
        const opened = await this.attempt(call, attempt);
        return { open: opened, text: await this.readBody(call, opened) };
      });
      return this.parseJson<T>(call, open, text);
    } finally {
      call.end();
    }
  }

  private dataArray<T>(body: { data?: unknown }, what: string): T[] {
    if (!body || !Array.isArray(body.data)) throw new ParseError(`${what}: the answer has no data array.`, { status: 200 });
    return body.data as T[];
  }

  /** Every attempt of one call until `attempt` succeeds or a failure is not retried. */
  private async run<R>(call: Call, attempt: (attemptNumber: number) => Promise<R>): Promise<R> {
    if (this.closed) throw new ConnectionError(`${call.what}: the provider is closed.`);
    try {
      return await withRetries(attempt, {
        maxRetries: this.maxRetries,
        signal: call.signal,
        delayFor: (error) => (typeof error === 'object' && error !== null ? call.planned.get(error) : undefined),
        onRetry: () => {
          this.counters.retries++;
        },
      });
    } catch (error) {
      throw this.finalError(call, error);
    }
  }

  private finalError(call: Call, error: unknown): OpenRouterError {
    let err: OpenRouterError;
    if (call.signal?.aborted && !(error instanceof TimeoutError)) {
      err = error instanceof AbortError ? error : new AbortError(`${call.what}: the request was aborted.`);
    } else if (error instanceof OpenRouterError) {
      err = error;
    } else {
      err = errorFromTransport({ error, phase: 'request', what: call.what, secrets: [call.apiKey] });
    }
    // Zero when nothing was sent (no key, aborted before the first attempt).
    err.attempts = call.attempts;
    return err;
  }

  private async resolveKey(call: Call): Promise<string | undefined> {
    const source = this.options.apiKey;
    let key: string | undefined;
    try {
      key = typeof source === 'function' ? await source() : source;
    } catch (error) {
      throw new ConfigError(`${call.what}: the API key could not be read (${redactSecrets(String((error as Error)?.message ?? error))}).`);
    }
    key = key?.trim() || undefined;
    if (!key && call.spec.needsKey) {
      throw new ConfigError(`${call.what}: no OpenRouter API key is set. Add one (it starts with sk-or-) and try again.`);
    }
    const problem = key === undefined ? undefined : apiKeyProblem(key);
    if (problem) throw new ConfigError(`${call.what}: ${problem}`);
    return key;
  }

  private async attempt(call: Call, attempt: number): Promise<OpenResponse> {
    const key = await raceAbort(this.resolveKey(call), call.signal);
    call.apiKey = key;
    if (this.closed) throw new ConnectionError(`${call.what}: the provider is closed.`);
    call.attempts = attempt;
    const { spec } = call;
    let lease: Lease | undefined;
    try {
      lease = await this.pool?.acquire(call.signal);
    } catch (error) {
      if (this.closed) throw new ConnectionError(`${call.what}: the provider is closed.`, { attempts: attempt });
      throw error;
    }
    const dispatcher = lease?.dispatcher ?? this.dispatcher;
    if (!dispatcher) throw new ConfigError(`${call.what}: no dispatcher.`);
    const tag: AttemptTag = {};
    const started = performance.now();
    this.counters.requests++;
    let settled = false;
    const finish = (): void => {
      if (!settled) {
        settled = true;
        lease?.release();
        call.signal?.removeEventListener('abort', onAbort);
      }
    };
    const exchange = new Exchange(finish);
    // Whatever phase the attempt is in (queued, sending, reading), an abort stops it and frees its connection.
    const onAbort = (): void => exchange.destroy(new AbortError(`${call.what}: the request was aborted.`, { attempts: attempt }));
    call.signal?.addEventListener('abort', onAbort, { once: true });
    const options: Dispatcher.DispatchOptions & { [kAttemptTag]: AttemptTag } = {
      origin: this.origin,
      path: this.basePath + spec.path,
      method: spec.method,
      headers: buildHeaders({
        apiKey: key,
        appUrl: this.options.appUrl,
        appTitle: this.options.appTitle,
        json: spec.body !== undefined,
        stream: spec.stream,
      }),
      body: call.body,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.idleMs,
      reset: lease?.reset ?? false,
      // Our retry policy decides what is safe to resend; undici's flag only gates HTTP/2 multiplexing.
      idempotent: true,
      [kAttemptTag]: tag,
    };
    if (call.signal?.aborted) onAbort();
    dispatcher.dispatch(options, exchange);

    let res: ResponseHead;
    try {
      res = await raceAbort(exchange.head, call.signal);
    } catch (error) {
      exchange.destroy(error instanceof Error ? error : new AbortError(`${call.what}: the request was aborted.`));
      const transport: TransportFailure = {
        method: spec.method,
        written: exchange.requestStarted,
        refused: isNotProcessed(error),
        reusedConnection: tag.newConnection === false,
        code: typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : undefined,
      };
      const err = call.signal?.aborted
        ? new AbortError(`${call.what}: the request was aborted.`, { attempts: attempt })
        : errorFromTransport({
          error, phase: 'request', what: call.what, attempts: attempt, timeouts: this.timeouts, secrets: [key], mayHaveRun: mayHaveRun(transport),
        });
      this.fail(call, err, { attempt, started, tag, transport });
      throw err;
    }

    const ttfbMs = performance.now() - started;
    const generationId = firstHeader(res.headers['x-generation-id']);
    if (res.status >= 200 && res.status < 300) {
      return { status: res.status, headers: res.headers, exchange, started, ttfbMs, tag, attempt, generationId, release: finish };
    }
    let text: string;
    try {
      text = await this.readText(call, exchange, attempt);
    } catch (error) {
      const err = error instanceof OpenRouterError ? error : errorFromTransport({ error, phase: 'body', what: call.what, attempts: attempt, secrets: [key] });
      this.fail(call, err, { attempt, started, tag, status: res.status, ttfbMs });
      throw err;
    }
    const err = errorFromResponse({ status: res.status, headers: res.headers, body: text, attempts: attempt, generationId, secrets: [key] });
    this.fail(call, err, { attempt, started, tag, status: res.status, ttfbMs, headers: res.headers });
    throw err;
  }

  /** Records a failed attempt, choosing the wait before the next one when it will be retried. */
  private fail(
    call: Call,
    error: OpenRouterError,
    info: AttemptInfo & { headers?: Record<string, string | string[] | undefined> },
  ): void {
    let retryDelayMs: number | undefined;
    if (info.attempt <= this.maxRetries && !call.signal?.aborted && shouldRetryError(error)) {
      retryDelayMs = info.transport && isImmediateRetry(info.transport)
        ? 0
        : retryDelay(info.attempt, info.headers, {
          baseDelayMs: this.retryBaseDelayMs,
          maxDelayMs: this.retryMaxDelayMs,
          retryAfterMs: error.retryAfterMs,
          maxServerWaitMs: this.maxServerWaitMs,
        });
      if (retryDelayMs !== undefined) call.planned.set(error, retryDelayMs);
    }
    this.record(call, info, error, retryDelayMs);
  }

  /** Tells every listener how one attempt ended (an OpenResponse carries the same facts as a failure's info). */
  private record(call: Call, info: AttemptInfo, error?: OpenRouterError, retryDelayMs?: number): void {
    const record: RequestRecord = {
      callId: call.id,
      method: call.spec.method,
      path: call.spec.path,
      attempt: info.attempt,
      status: info.status,
      latencyMs: performance.now() - info.started,
      ttfbMs: info.ttfbMs,
      newConnection: info.tag.newConnection ?? false,
      retryDelayMs,
      error: error ? redactSecrets(error.message, [call.apiKey]) : undefined,
      reason: error ? failureReason(error, info.transport?.refused) : undefined,
      httpVersion: info.tag.httpVersion,
      streamed: call.spec.stream,
    };
    for (const listener of [call.onAttempt, ...this.listeners]) {
      if (!listener) continue;
      try {
        listener(record);
      } catch {
        // A broken listener must not break the call it observes.
      }
    }
  }

  /** Reads a whole body as UTF-8, refusing more than MAX_JSON_BYTES. */
  private async readText(call: Call, exchange: Exchange, attempt: number): Promise<string> {
    const parts: Buffer[] = [];
    let size = 0;
    for (;;) {
      for (const chunk of exchange.take()) {
        size += chunk.length;
        if (size > MAX_JSON_BYTES) {
          const tooLarge = new ParseError(`${call.what}: the answer is larger than ${MAX_JSON_BYTES} bytes.`, { attempts: attempt });
          exchange.destroy(tooLarge);
          throw tooLarge;
        }
        parts.push(chunk);
      }
      if (exchange.finished) break;
      await exchange.wait();
    }
    const error = exchange.error;
    if (error) {
      if (call.signal?.aborted) throw new AbortError(`${call.what}: the request was aborted.`, { attempts: attempt });
      throw errorFromTransport({ error, phase: 'body', what: call.what, attempts: attempt, timeouts: this.timeouts, secrets: [call.apiKey] });
    }
    // TextDecoder, not Buffer#toString: it drops a leading byte-order mark JSON.parse would refuse.
    return new TextDecoder('utf-8').decode(parts.length === 1 ? parts[0] : Buffer.concat(parts, size));
  }

  /** Reads a 2xx attempt's whole body; a break is retried when the policy says resending is safe. */
  private async readBody(call: Call, open: OpenResponse): Promise<string> {
    let text: string;
    try {
      text = await this.readText(call, open.exchange, open.attempt);
    } catch (error) {
      open.release();
      const err = this.bodyFailure(call, open, error);
      this.fail(call, err, { attempt: open.attempt, started: open.started, tag: open.tag, status: open.status, ttfbMs: open.ttfbMs });
      throw err;
    }
    open.release();
    return text;
  }

  private bodyFailure(call: Call, open: OpenResponse, error: unknown): OpenRouterError {
    if (call.signal?.aborted) return error instanceof AbortError ? error : new AbortError(`${call.what}: the request was aborted.`, { attempts: open.attempt });
    if (error instanceof StreamError && isBodyBreakRetryable(call.spec.method, call.spec.stream)) {
      return new ConnectionError(`${call.what}: the connection broke before the whole answer arrived (${String(error.code ?? 'closed')}).`, {
        attempts: open.attempt,
        code: error.code,
        cause: error,
        retryable: true,
        secrets: [call.apiKey],
      });
    }
    return error instanceof OpenRouterError ? error : this.finalError(call, error);
  }

  private parseJson<T>(call: Call, open: OpenResponse, text: string): T {
    let value: T;
    try {
      value = JSON.parse(text) as T;
    } catch {
      const err = new ParseError(`${call.what}: OpenRouter sent invalid JSON (HTTP ${open.status}).`, {
        status: open.status,
        attempts: open.attempt,
        generationId: open.generationId,
      });
      this.record(call, open, err);
      throw err;
    }
    const failure = this.bodyError(call, open, value);
    this.record(call, open, failure);
    if (failure) throw failure;
    return value;
  }

  /** A completion that failed upstream after OpenRouter answered 200 carries `error` in its body, as a stream's error chunk does. */
  private bodyError(call: Call, open: OpenResponse, value: unknown): OpenRouterError | undefined {
    if (call.spec.path !== '/chat/completions') return undefined;
    const error = (value as { error?: unknown } | null)?.error;
    if (!error || typeof error !== 'object') return undefined;
    const { code, message, metadata } = error as { code?: unknown; message?: unknown; metadata?: unknown };
    const serverMessage = typeof message === 'string' ? message : undefined;
    const id = (value as { id?: unknown }).id;
    return new StreamError(serverMessage ?? 'The model failed after it started answering.', {
      status: typeof code === 'number' ? code : undefined,
      code: typeof code === 'number' || typeof code === 'string' ? code : undefined,
      metadata: metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>) : undefined,
      attempts: open.attempt,
      generationId: open.generationId ?? (typeof id === 'string' ? id : undefined),
      serverMessage,
      secrets: [call.apiKey],
    });
  }

  private async *readStream(spec: Spec, opts: StreamCallOptions): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const call = this.newCall(spec, opts);
    let open: OpenResponse;
    try {
      open = await this.run(call, (attempt) => this.attempt(call, attempt));
    } catch (error) {
      call.end();
      throw error;
    }
    try {
      opts.onResponse?.({ generationId: open.generationId, status: open.status });
    } catch {
      // A caller's callback cannot break the stream.
    }
    const { exchange } = open;
    // Events of the latest read, taken from `next` on; the array is reused rather than shifted.
    const pending: string[] = [];
    let next = 0;
    let done = false;
    let timedOut = false;
    const idleMs = this.timeouts.idleMs;
    // One timer per stream: events only move the deadline; when the timer fires it re-arms for what is left.
    let deadline = performance.now() + idleMs;
    const check = (): void => {
      const left = deadline - performance.now();
      if (left > 0) {
        timer = setTimeout(check, left);
        return;
      }
      timedOut = true;
      exchange.destroy(new TimeoutError(`${call.what}: the stream was silent for more than ${idleMs} ms.`, { attempts: open.attempt }));
    };
    let timer = setTimeout(check, idleMs);
    const decoder = new SseDecoder({
      onEvent: (event) => {
        deadline = performance.now() + idleMs;
        if (!done) pending.push(event.data);
      },
      onComment: (comment) => {
        deadline = performance.now() + idleMs;
        try {
          opts.onKeepAlive?.(comment);
        } catch {
          // A caller's callback cannot break the stream.
        }
      },
    });
    let failure: OpenRouterError | undefined;
    let finished = false;
    let paused = false;
    // Bytes are decoded as undici hands them over; the loop below only turns decoded events into chunks.
    exchange.pipeTo((bytes) => {
      decoder.push(bytes);
      if (pending.length - next > MAX_PENDING_EVENTS && !paused) {
        paused = true;
        exchange.pause();
      }
    });
    try {
      for (;;) {
        while (next < pending.length && !done) {
          const data = pending[next++] as string;
          if (data === '[DONE]') {
            // Keep reading to the end of the body so the connection can be reused.
            done = true;
            break;
          }
          yield this.parseChunk(call, open, data);
        }
        pending.length = 0;
        next = 0;
        if (paused) {
          paused = false;
          exchange.resume();
        }
        if (exchange.finished) break;
        await exchange.wait();
      }
      if (exchange.error) throw exchange.error;
      decoder.end();
      while (next < pending.length && !done) {
        const data = pending[next++] as string;
        if (data === '[DONE]') done = true;
        else yield this.parseChunk(call, open, data);
      }
      if (!done) {
        throw new StreamError(`${call.what}: the stream ended before [DONE].`, { attempts: open.attempt, generationId: open.generationId });
      }
      finished = true;
    } catch (error) {
      // After [DONE] every chunk was delivered; a connection hiccup while the body closes changes nothing.
      if (done && !call.signal?.aborted) {
        finished = true;
        return;
      }
      failure = this.streamFailure(call, open, error, timedOut);
      throw failure;
    } finally {
      clearTimeout(timer);
      // Leaving the loop early (the caller broke out, or a chunk failed) lands here: closing the body tells the server to stop generating.
      if (!exchange.finished) exchange.destroy(new StreamError(`${call.what}: the stream was closed before it finished.`));
      open.release();
      call.end();
      const early = !finished && !failure ? new StreamError(`${call.what}: the stream was closed by the caller before it finished.`) : undefined;
      this.record(call, open, failure ?? early);
    }
  }

  private streamFailure(call: Call, open: OpenResponse, error: unknown, timedOut: boolean): OpenRouterError {
    const meta = { attempts: open.attempt, generationId: open.generationId };
    if (call.signal?.aborted && !timedOut) {
      return error instanceof AbortError ? error : new AbortError(`${call.what}: the stream was aborted.`, meta);
    }
    if (error instanceof OpenRouterError) return error;
    return errorFromTransport({ error, phase: 'body', what: call.what, timeouts: this.timeouts, secrets: [call.apiKey], ...meta });
  }

  private parseChunk(call: Call, open: OpenResponse, data: string): ChatCompletionChunk {
    let chunk: ChatCompletionChunk;
    try {
      chunk = JSON.parse(data) as ChatCompletionChunk;
    } catch {
      throw new ParseError(`${call.what}: a stream event was not valid JSON.`, { status: open.status, attempts: open.attempt, generationId: open.generationId });
    }
    if (!chunk || typeof chunk !== 'object') {
      throw new ParseError(`${call.what}: a stream event was not a JSON object.`, { status: open.status, attempts: open.attempt, generationId: open.generationId });
    }
    if (chunk.error) {
      const { code, message, metadata } = chunk.error;
      throw new StreamError(message ?? 'The model failed mid-stream.', {
        status: typeof code === 'number' ? code : undefined,
        code,
        metadata,
        attempts: open.attempt,
        generationId: open.generationId ?? chunk.id,
        serverMessage: message,
        secrets: [call.apiKey],
      });
    }
    if (!Array.isArray(chunk.choices)) chunk.choices = [];
    return chunk;
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// One call and its retries: what a provider's calls share, the key, the attempt records and the final error.
import type { Dispatcher } from 'undici';
import type { AttemptTag } from './connections';
import { AbortError, ConfigError, ConnectionError, OpenRouterError, TimeoutError, errorFromTransport, failureReason } from './errors';
import { apiKeyProblem } from './apiKeyFormat';
import type { Exchange } from './exchange';
import type { ConnectionPool } from './pool';
import { redactSecrets } from './redact';
import { withRetries } from './retry';
import { isImmediateRetry, retryDelay, shouldRetryError, type TransportFailure } from './retryPolicy';
import type { CallOptions, ProviderOptions, RequestRecord } from './types';

export type RequestListener = (record: RequestRecord) => void;

/** What every call of one provider shares: its settled options, its transport, its counters and listeners. */
export interface ProviderContext {
  readonly options: ProviderOptions;
  readonly origin: string;
  readonly basePath: string;
  readonly pool: ConnectionPool | undefined;
  readonly dispatcher: Dispatcher | undefined;
  readonly timeouts: { connectMs: number; headersMs: number; idleMs: number };
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly maxServerWaitMs: number;
  readonly listeners: Set<RequestListener>;
  readonly counters: { requests: number; retries: number; inFlight: number };
  nextCallId: number;
  closed: boolean;
}

export interface Spec {
  method: 'GET' | 'POST';
  /** Below the base URL, with query. */
  path: string;
  body?: unknown;
  stream: boolean;
  /** Endpoints that cannot work without a key fail before sending when it is missing. */
  needsKey: boolean;
}

export interface Call {
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
  onRequestSent: CallOptions['onRequestSent'];
  /** Ends the call's in-flight count; idempotent. */
  end: () => void;
}

/** What the request records say about one attempt. */
export interface AttemptInfo {
  attempt: number;
  started: number;
  tag: AttemptTag;
  status?: number;
  ttfbMs?: number;
  /** A transport failure's facts, for the reason and the choice of wait. */
  transport?: TransportFailure;
}

/** An attempt whose headers arrived with a 2xx status; its body is still unread. */
export interface OpenResponse {
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

/** Encodes the body (once, before anything is taken from the pool) and counts the call in flight until `end()`. */
export function newCall(ctx: ProviderContext, spec: Spec, opts: CallOptions): Call {
  const what = `${spec.method} ${spec.path.split('?')[0]}`;
  let body: string | undefined;
  try {
    body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
  } catch (error) {
    throw new ConfigError(`${what}: the request could not be encoded as JSON: ${redactSecrets(String((error as Error)?.message ?? error))}`, { attempts: 0 });
  }
  ctx.counters.inFlight++;
  let ended = false;
  const end = (): void => {
    if (!ended) {
      ended = true;
      ctx.counters.inFlight--;
    }
  };
  return { id: ctx.nextCallId++, spec, body, what, signal: opts.signal, attempts: 0, planned: new WeakMap(), onAttempt: opts.onAttempt, onRequestSent: opts.onRequestSent, end };
}

/** Every attempt of one call until `attempt` succeeds or a failure is not retried. */
export async function run<R>(ctx: ProviderContext, call: Call, attempt: (attemptNumber: number) => Promise<R>): Promise<R> {
  if (ctx.closed) throw new ConnectionError(`${call.what}: the provider is closed.`);
  try {
    return await withRetries(attempt, {
      maxRetries: ctx.maxRetries,
      signal: call.signal,
      delayFor: (error) => (typeof error === 'object' && error !== null ? call.planned.get(error) : undefined),
      onRetry: () => {
        ctx.counters.retries++;
      },
    });
  } catch (error) {
    throw finalError(call, error);
  }
}

export function finalError(call: Call, error: unknown): OpenRouterError {
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

export async function resolveKey(ctx: ProviderContext, call: Call): Promise<string | undefined> {
  const source = ctx.options.apiKey;
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

/** Records a failed attempt, choosing the wait before the next one when it will be retried. */
export function fail(
  ctx: ProviderContext,
  call: Call,
  error: OpenRouterError,
  info: AttemptInfo & { headers?: Record<string, string | string[] | undefined> },
): void {
  let retryDelayMs: number | undefined;
  if (info.attempt <= ctx.maxRetries && !call.signal?.aborted && shouldRetryError(error)) {
    retryDelayMs = info.transport && isImmediateRetry(info.transport)
      ? 0
      : retryDelay(info.attempt, info.headers, {
        baseDelayMs: ctx.retryBaseDelayMs,
        maxDelayMs: ctx.retryMaxDelayMs,
        retryAfterMs: error.retryAfterMs,
        maxServerWaitMs: ctx.maxServerWaitMs,
      });
    if (retryDelayMs !== undefined) call.planned.set(error, retryDelayMs);
  }
  record(ctx, call, info, error, retryDelayMs);
}

/** Tells every listener how one attempt ended (an OpenResponse carries the same facts as a failure's info). */
export function record(ctx: ProviderContext, call: Call, info: AttemptInfo, error?: OpenRouterError, retryDelayMs?: number): void {
  const entry: RequestRecord = {
    callId: call.id,
    method: call.spec.method,
    path: call.spec.path,
    attempt: info.attempt,
    status: info.status,
    latencyMs: performance.now() - info.started,
    ttfbMs: info.ttfbMs,
    newConnection: info.tag.newConnection ?? false,
    ...(info.tag.renewedBeforeServerIdleMs !== undefined ? { renewedBeforeServerIdleMs: info.tag.renewedBeforeServerIdleMs } : {}),
    retryDelayMs,
    error: error ? redactSecrets(error.message, [call.apiKey]) : undefined,
    reason: error ? failureReason(error, info.transport?.refused) : undefined,
    httpVersion: info.tag.httpVersion,
    streamed: call.spec.stream,
  };
  for (const listener of [call.onAttempt, ...ctx.listeners]) {
    if (!listener) continue;
    try {
      listener(entry);
    } catch {
      // A broken listener must not break the call it observes.
    }
  }
}

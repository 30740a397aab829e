// Which failures are retried, and how long to wait before the next attempt. Pure: no I/O, no timers.

/** Statuses that say "try again later" (timeouts, rate limits, overloaded or failing upstreams). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504, 524, 529]);

/** Statuses that retrying cannot fix, whatever the body says. */
const NEVER_RETRIED: ReadonlySet<number> = new Set([400, 401, 403, 404]);

export type HeaderSource =
  | Record<string, string | string[] | undefined>
  | { get(name: string): string | null }
  | undefined;

/** OpenRouter's newer `error.availability` block; preferred over the status when present. */
export interface Availability {
  retryable?: boolean;
  /** Seconds (number or numeric string) or an HTTP date. */
  retry_after?: number | string | null;
  [extra: string]: unknown;
}

export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === lower) {
      const value = record[key];
      return Array.isArray(value) ? value[0] : value;
    }
  }
  return undefined;
}

/** A `Retry-After` value (delta seconds or HTTP date) in ms from `now`; undefined when unreadable. */
export function parseRetryAfter(value: string | number | null | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date names a weekday or month; bare numbers like "-5" are not dates.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * How long the server asked us to wait, in ms: the body's `availability.retry_after` first, then
 * `retry-after-ms`, then `Retry-After`. Uncapped; undefined when the server said nothing usable.
 */
export function serverRetryAfterMs(headers: HeaderSource, availability?: Availability, now: number = Date.now()): number | undefined {
  const fromBody = parseRetryAfter(availability?.retry_after, now);
  if (fromBody !== undefined) return fromBody;
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms.trim()));
  return parseRetryAfter(headerValue(headers, 'retry-after'), now);
}

/**
 * Whether an HTTP error answer is worth another attempt. 400/401/403/404 never are; 402 (out of
 * credits) only when the server named a time to come back; otherwise the body's
 * `availability.retryable` wins over the status list.
 */
export function isRetryableStatus(status: number, info: { retryAfterMs?: number; availability?: Availability } = {}): boolean {
  if (NEVER_RETRIED.has(status)) return false;
  if (status === 402) return info.retryAfterMs !== undefined;
  if (typeof info.availability?.retryable === 'boolean') return info.availability.retryable;
  return RETRYABLE_STATUSES.has(status);
}

/** The predicate handed to p-retry: only errors the provider marked retryable, never aborts or started streams. */
export function shouldRetryError(error: unknown): boolean {
  // Read by shape: errors.ts builds on this module, so it is not imported here (no import cycle).
  const err = error as { kind?: unknown; retryable?: unknown } | null;
  if (!err || typeof err !== 'object' || typeof err.kind !== 'string') return false;
  if (err.kind === 'abort' || err.kind === 'stream' || err.kind === 'parse' || err.kind === 'config') return false;
  return err.retryable === true;
}

/**
 * Whether a 2xx answer whose body broke before it was fully read may be fetched again. Only a buffered
 * GET: it changes nothing on the server and the caller has seen none of it. A POST completion is
 * generated (and billed) once its headers arrive, so resending it could bill twice even though the
 * caller saw no byte; a stream has already been shown. Breaks before any response byte are connection
 * failures, retried for GET and POST alike.
 */
export function isBodyBreakRetryable(method: string, streamed: boolean): boolean {
  return method === 'GET' && !streamed;
}

/**
 * The longest server-requested wait (`Retry-After` and kin) the provider sits out before retrying by
 * itself. A longer wait is not shortened (that would only earn another refusal) and not waited out
 * silently either: the call fails at once with the server's wait (`retryAfterMs`) for the user to see.
 */
export const MAX_SERVER_WAIT_MS = 60_000;

export interface RetryDelayOptions {
  /** First backoff step, ms. */
  baseDelayMs: number;
  /** Cap on our own backoff, ms. A wait the server asked for is never shortened by it. */
  maxDelayMs: number;
  /** The server's explicit wait from the error body (`availability.retry_after`), ms. */
  retryAfterMs?: number;
  /** Longest server-requested wait sat out before a retry; default MAX_SERVER_WAIT_MS. */
  maxServerWaitMs?: number;
  /** [0, 1) source for jitter; injectable for tests. */
  random?: () => number;
  now?: number;
}

/**
 * The wait before the attempt after `attempt` (1-based number of the attempt that failed): exactly the
 * server's requested wait when it gave one, else exponential backoff from `baseDelayMs` with up to 25 %
 * jitter taken off, capped at `maxDelayMs`. Undefined when the server asked for longer than
 * `maxServerWaitMs`: then the call stops rather than wait so long unseen.
 */
export function retryDelay(attempt: number, headers: HeaderSource, opts: RetryDelayOptions): number | undefined {
  const asked = opts.retryAfterMs ?? serverRetryAfterMs(headers, undefined, opts.now ?? Date.now());
  if (asked !== undefined) return asked <= (opts.maxServerWaitMs ?? MAX_SERVER_WAIT_MS) ? Math.max(0, asked) : undefined;
  const cap = Math.max(0, opts.maxDelayMs);
  const exponent = Math.max(0, attempt - 1);
  const backoff = Math.min(cap, opts.baseDelayMs * 2 ** exponent);
  const jitter = 1 - 0.25 * (opts.random ?? Math.random)();
  return Math.round(Math.min(cap, backoff * jitter));
}

/** How a request that failed before any answer may be resent. */
export interface TransportFailure {
  method: string;
  /** The request was handed to a connection for writing. */
  written: boolean;
  /** The server certainly did not process it (HTTP/2 REFUSED_STREAM, or above a GOAWAY's last stream). */
  refused: boolean;
  /** It went out on a connection that had carried requests before. */
  reusedConnection: boolean;
  code?: string;
}

/** Socket failures that say a kept connection was already dead, not that the server is down. */
const STALE_CONNECTION_CODES: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * Whether resending could run the request twice. A GET changes nothing; a POST (a completion, billed) is
 * safe to resend only when the server cannot have processed it: refused unseen, or never written.
 */
export function mayHaveRun(failure: TransportFailure): boolean {
  return failure.method !== 'GET' && failure.written && !failure.refused;
}

/**
 * Whether to resend at once rather than after the backoff: the request met a connection the server had
 * already closed or refused it on, and a new connection will serve it; the server is not overloaded.
 */
export function isImmediateRetry(failure: TransportFailure): boolean {
  if (failure.refused) return true;
  return failure.reusedConnection && failure.code !== undefined && STALE_CONNECTION_CODES.has(failure.code) && !mayHaveRun(failure);
}

// The one family of errors every provider call can reject with. Messages never contain the API key.
import { errorText } from './errorText';
import { redactDeep, redactSecrets } from './redact';
import type { Availability, HeaderSource } from './retryPolicy';
import { headerValue, isRetryableStatus, serverRetryAfterMs } from './retryPolicy';

export { errorText };

export type ErrorKind = 'api' | 'connection' | 'timeout' | 'abort' | 'stream' | 'parse' | 'config';

export interface OpenRouterErrorInit {
  status?: number;
  code?: number | string;
  metadata?: Record<string, unknown>;
  attempts?: number;
  retryable?: boolean;
  /** Milliseconds the server asked to wait (body `availability.retry_after`, `retry-after-ms`, `Retry-After`), uncapped. */
  retryAfterMs?: number;
  generationId?: string;
  /** OpenRouter's own `error.message`, without the status decoration of `message`. */
  serverMessage?: string;
  cause?: unknown;
  /** Values to scrub from the message, server message and metadata besides the known key patterns. */
  secrets?: readonly (string | undefined)[];
}

export class OpenRouterError extends Error {
  readonly kind: ErrorKind = 'api';
  readonly status: number | undefined;
  readonly code: number | string | undefined;
  readonly metadata: Record<string, unknown> | undefined;
  attempts: number;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly generationId: string | undefined;
  readonly serverMessage: string | undefined;

  constructor(message: string, init: OpenRouterErrorInit = {}) {
    const secrets = init.secrets ?? [];
    super(redactSecrets(message, secrets), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    // A server may echo anything as its error code, the key included.
    this.code = typeof init.code === 'string' ? redactSecrets(init.code, secrets) : init.code;
    this.metadata = init.metadata === undefined ? undefined : redactDeep(init.metadata, secrets);
    this.attempts = init.attempts ?? 1;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.generationId = init.generationId;
    this.serverMessage = init.serverMessage === undefined ? undefined : redactSecrets(init.serverMessage, secrets);
  }

  /** A plain, secret-free view for logs and webview state. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      code: this.code,
      metadata: this.metadata,
      attempts: this.attempts,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      generationId: this.generationId,
    };
  }
}

/** The server answered with an HTTP error status. */
export class APIError extends OpenRouterError {
  override readonly kind = 'api' as const;
}

/** HTTP 429: too many requests. `retryAfterMs` is the server's wait when it named one (a countdown for the UI). */
export class RateLimitError extends APIError {}

/** No response arrived: refused, reset, DNS, TLS, or the socket closed before a byte came back. */
export class ConnectionError extends OpenRouterError {
  override readonly kind = 'connection' as const;
}

/** Connect, headers or stream-idle timeout. */
export class TimeoutError extends OpenRouterError {
  override readonly kind = 'timeout' as const;
}

/** The caller aborted (Stop, cancellation, dispose). Never retried. */
export class AbortError extends OpenRouterError {
  override readonly kind = 'abort' as const;
  constructor(message = 'The request was aborted.', init: OpenRouterErrorInit = {}) {
    super(message, init);
  }
}

/** An error chunk arrived after a stream had started (HTTP 200), or the stream broke mid-way. */
export class StreamError extends OpenRouterError {
  override readonly kind = 'stream' as const;
}

/** The body was not what the API promises (invalid JSON, wrong shape, too large). */
export class ParseError extends OpenRouterError {
  override readonly kind = 'parse' as const;
}

/** The provider cannot send the request as configured (no API key, bad base URL). No request was made. */
export class ConfigError extends OpenRouterError {
  override readonly kind = 'config' as const;
}

/** OpenRouter's error body, `{ error: { code, message, metadata, availability } }`, when the text is one. */
export interface ErrorBody {
  code?: number | string;
  message?: string;
  metadata?: Record<string, unknown>;
  availability?: Availability;
}

export function parseErrorBody(text: string): ErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (!error || typeof error !== 'object') return undefined;
  const e = error as Record<string, unknown>;
  return {
    code: typeof e.code === 'number' || typeof e.code === 'string' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : undefined,
    metadata: e.metadata && typeof e.metadata === 'object' ? (e.metadata as Record<string, unknown>) : undefined,
    availability: e.availability && typeof e.availability === 'object' ? (e.availability as Availability) : undefined,
  };
}

export interface ResponseErrorInput {
  status: number;
  headers?: HeaderSource;
  /** The response body as text (may be JSON, HTML, or anything). */
  body: string;
  attempts?: number;
  generationId?: string;
  /** Values to scrub from anything echoed back (the API key in use). */
  secrets?: readonly (string | undefined)[];
  now?: number;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request', 401: 'Invalid or disabled API key', 402: 'Insufficient credits', 403: 'Forbidden',
  404: 'Not found', 408: 'Request timeout', 413: 'Payload too large', 422: 'Unprocessable request',
  429: 'Rate limited', 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable',
  504: 'Gateway timeout', 524: 'Edge timeout', 529: 'Provider overloaded',
};

function describeOddBody(status: number, body: string, contentType: string | undefined): string {
  const reason = STATUS_TEXT[status] ?? 'Error';
  const trimmed = body.trim();
  if (trimmed === '') return `OpenRouter answered HTTP ${status} (${reason}) with an empty body.`;
  if (/html/i.test(contentType ?? '') || trimmed.startsWith('<')) {
    return `OpenRouter answered HTTP ${status} (${reason}) with an HTML page instead of JSON (usually a gateway or edge error).`;
  }
  const excerpt = trimmed.slice(0, 120).replace(/\s+/g, ' ');
  return `OpenRouter answered HTTP ${status} (${reason}) with an unreadable body: "${excerpt}${trimmed.length > 120 ? '…' : ''}"`;
}

/** Makes the APIError for an HTTP error answer: message, code, metadata, retryability, wait asked. */
export function errorFromResponse(input: ResponseErrorInput): APIError {
  const { status, headers, body } = input;
  const parsed = parseErrorBody(body);
  const retryAfterMs = serverRetryAfterMs(headers, parsed?.availability, input.now);
  const retryable = isRetryableStatus(status, { retryAfterMs, availability: parsed?.availability });
  const secrets = input.secrets ?? [];
  const serverMessage = parsed?.message === undefined ? undefined : redactSecrets(parsed.message, secrets);
  const message = serverMessage !== undefined
    ? `${serverMessage} (HTTP ${status})`
    : redactSecrets(describeOddBody(status, body, headerValue(headers, 'content-type')), secrets);
  const ErrorClass = status === 429 ? RateLimitError : APIError;
  return new ErrorClass(message, {
    status,
    code: parsed?.code,
    metadata: parsed?.metadata === undefined ? undefined : redactDeep(parsed.metadata, secrets),
    attempts: input.attempts,
    retryable,
    retryAfterMs,
    generationId: input.generationId,
    serverMessage,
    secrets,
  });
}

/** Where a transport failure happened: before any response byte, or while reading a body. */
export type FailurePhase = 'request' | 'body';

export interface TransportErrorInput {
  error: unknown;
  phase: FailurePhase;
  /** `GET /models`, for the message. */
  what: string;
  attempts?: number;
  generationId?: string;
  timeouts?: { connectMs?: number; headersMs?: number; idleMs?: number };
  secrets?: readonly (string | undefined)[];
  /**
   * The request (a POST) was written to a connection that then failed before any answer: the server may
   * have run it, so it must not be sent again.
   */
  mayHaveRun?: boolean;
}

/** Certificate problems: another attempt cannot fix them. */
const TLS_CODES = /^(CERT_|ERR_TLS_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_(GET|VERIFY)_|ERR_SSL_)/;

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Makes the error for a failure below HTTP (socket, DNS, TLS, timeouts) in one place. */
export function errorFromTransport(input: TransportErrorInput): OpenRouterError {
  const { error, phase, what } = input;
  if (error instanceof OpenRouterError) return error;
  const code = errorCode(error);
  const detail = redactSecrets(errorText(error), input.secrets ?? []);
  const init: OpenRouterErrorInit = { attempts: input.attempts, generationId: input.generationId, cause: error, code, secrets: input.secrets };
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new TimeoutError(`${what}: connecting to OpenRouter timed out after ${input.timeouts?.connectMs ?? '?'} ms.`, { ...init, retryable: true });
    case 'UND_ERR_HEADERS_TIMEOUT':
      // The server may still be working on it; a second attempt could be billed twice.
      return new TimeoutError(`${what}: OpenRouter sent no response within ${input.timeouts?.headersMs ?? '?'} ms.`, { ...init, retryable: false });
    case 'UND_ERR_BODY_TIMEOUT':
      return new TimeoutError(`${what}: the response stalled for more than ${input.timeouts?.idleMs ?? '?'} ms.`, { ...init, retryable: false });
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
      return new ConfigError(`${what}: the request could not be sent (${detail}).`, init);
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
      return new ConnectionError(`${what}: the connection pool is closed.`, { ...init, retryable: false });
  }
  if (code && TLS_CODES.test(code)) {
    return new ConnectionError(`${what}: the TLS certificate was not accepted (${code}).`, { ...init, retryable: false });
  }
  if (phase === 'body') {
    return new StreamError(`${what}: the connection broke while the response was arriving (${code ?? detail}).`, { ...init, retryable: false });
  }
  if (input.mayHaveRun) {
    return new ConnectionError(
      `${what}: the connection closed after the request was sent, before any answer (${code ?? detail}). ` +
        'It was not sent again because OpenRouter may have run it; try again if no answer shows up in your activity.',
      { ...init, retryable: false },
    );
  }
  return new ConnectionError(`${what}: could not reach OpenRouter (${code ?? detail}).`, { ...init, retryable: true });
}

const REASON_BY_CODE: Record<string, string> = {
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'server name not found',
  EAI_AGAIN: 'server name not found',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'the answer stalled',
};

/**
 * A few words on why an attempt failed, for a line such as "retrying in 5 s (attempt 2): HTTP 429 rate
 * limited". `refused` marks a request the server declined unseen (an HTTP/2 stream it refused).
 */
export function failureReason(error: OpenRouterError, refused = false): string {
  if (refused) return 'the server refused the request unseen';
  if (error.kind === 'api' && error.status !== undefined) {
    const text = STATUS_TEXT[error.status];
    return text ? `HTTP ${error.status} ${text.toLowerCase()}` : `HTTP ${error.status}`;
  }
  if (error.kind === 'abort') return 'aborted';
  if (error.kind === 'parse') return 'unreadable answer';
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && REASON_BY_CODE[code]) return REASON_BY_CODE[code];
  if (code && TLS_CODES.test(code)) return 'TLS certificate not accepted';
  if (error.kind === 'timeout') return 'timed out';
  if (error.kind === 'stream') return 'the answer broke off';
  return 'connection failed';
}

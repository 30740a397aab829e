// The one family of errors every provider call can reject with. Messages never contain the API key.

export type ErrorKind = 'api' | 'connection' | 'timeout' | 'abort' | 'stream' | 'parse';

export interface OpenRouterErrorInit {
  status?: number;
  code?: number | string;
  metadata?: Record<string, unknown>;
  attempts?: number;
  retryable?: boolean;
  /** Seconds the server asked to wait (Retry-After / retry-after-ms), when it said. */
  retryAfterMs?: number;
  generationId?: string;
  cause?: unknown;
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

  constructor(message: string, init: OpenRouterErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.metadata = init.metadata;
    this.attempts = init.attempts ?? 1;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.generationId = init.generationId;
  }
}

/** The server answered with an HTTP error status. */
export class APIError extends OpenRouterError {
  override readonly kind = 'api' as const;
}

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

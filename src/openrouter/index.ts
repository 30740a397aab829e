// The OpenRouter client's public surface: pure Node, never imports 'vscode'.
export {
  OpenRouterProvider,
  DEFAULT_BASE_URL,
  DEFAULT_POOL_SIZE,
  DEFAULT_MAX_RETRIES,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_TIMEOUTS,
} from './provider';
export * from './types';
export * from './errors';
export { redactSecrets, redactDeep } from './redact';
export {
  MAX_SERVER_WAIT_MS,
  RETRYABLE_STATUSES,
  headerValue,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  serverRetryAfterMs,
  shouldRetryError,
} from './retryPolicy';
export type { Availability, HeaderSource, RetryDelayOptions } from './retryPolicy';
export { sleep, raceAbort, withRetries } from './retry';
export { SseDecoder, DEFAULT_MAX_EVENT_CHARS } from './sse';
export type { SseEvent, SseDecoderOptions } from './sse';
export { buildHeaders } from './headers';
export { authorizationUrl, codeFromPaste, createPkcePair, pkceChallenge } from './oauth';
export type { PkcePair } from './oauth';

// Turns a provider error into the inline notice under an answer: what happened and what to do.
import { OpenRouterError } from '../openrouter/errors';
import type { ErrorNotice } from '../protocol';

export function errorNotice(error: unknown): ErrorNotice {
  if (!(error instanceof OpenRouterError)) {
    return { kind: 'other', message: `Something went wrong: ${error instanceof Error ? error.message : String(error)}`, advice: 'Retry; if it keeps failing, the log (OpenRouter: Show Log) has details.' };
  }
  const retryAfterSeconds = error.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
  switch (error.kind) {
    case 'stream':
      return {
        kind: 'stream',
        message: `The model stopped with an error: ${error.message}`,
        advice: 'The text received so far is kept. Retry, or choose another model.',
      };
    case 'connection':
      return { kind: 'network', message: 'Could not reach OpenRouter.', advice: 'Check your network connection or proxy settings, then retry.' };
    case 'timeout':
      return { kind: 'timeout', message: `OpenRouter did not answer in time (${error.message}).`, advice: 'The model or its provider may be overloaded. Retry, or choose another model.' };
    case 'abort':
      return { kind: 'other', message: 'The request was cancelled.', advice: 'Retry to ask again.' };
    case 'parse':
      return { kind: 'other', message: `OpenRouter sent an answer that could not be read: ${error.message}`, advice: 'Retry; if it keeps happening, choose another model.' };
    case 'api':
      break;
  }
  switch (error.status) {
    case 401:
      return { kind: 'auth', message: `OpenRouter rejected the API key: ${error.message}`, advice: 'Set a valid key, then retry.', action: { label: 'Set API Key', action: 'setApiKey' } };
    case 402:
      return {
        kind: 'credits',
        message: `Out of credits: ${error.message}`,
        advice: 'Add credits on openrouter.ai, or choose a free model (ids ending in ":free"), then retry.',
        action: { label: 'Add Credits', action: 'openCredits' },
      };
    case 429:
      return {
        kind: 'rate-limit',
        message: `Rate limited: ${error.message}`,
        advice: retryAfterSeconds === undefined ? 'Wait a little, then retry, or choose another model. Free models allow about 20 requests a minute.' : `OpenRouter asks to wait ${retryAfterSeconds} s before retrying, or choose another model.`,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      };
    case 403:
      return { kind: 'other', message: `OpenRouter refused the request: ${error.message}`, advice: 'The input may have been flagged by moderation, or the key may not allow this model. Rephrase, or choose another model.' };
    default: {
      const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
      const serverSide = error.status !== undefined && error.status >= 500;
      return {
        kind: 'other',
        message: `OpenRouter answered with an error${status}: ${error.message}`,
        advice: serverSide ? 'The model’s provider is having trouble. Retry, or choose another model.' : 'Check the model and your message, then retry.',
      };
    }
  }
}

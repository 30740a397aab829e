// Turns a provider error into the inline notice under an answer: what happened and what to do.
// Every kind of provider error has its own case; the compiler checks that none is missing.
import { OpenRouterError } from '../openrouter/errors';
import type { ErrorNotice } from './errorNoticeTypes';
import { assertNever } from '../util/assertNever';
import { errorText } from '../util/errorText';
import { upstreamMessage } from './upstreamMessage';

const setApiKey = { label: 'Set API Key', action: 'setApiKey' } as const;
const openSettings = { label: 'Open Settings', action: 'openSettings' } as const;
const proxySettings = { label: 'Proxy Settings', action: 'openProxySettings' } as const;
const showLog = { label: 'Show Log', action: 'showLog' } as const;

/** `POST /chat/completions: could not reach…` reads better without the request line in a chat. */
function plain(message: string): string {
  return message.replace(/^[A-Z]+ \/\S*: /, '');
}

/** What the surface knows that OpenRouter's 402 does not say: the balance and the model's output price. */
export interface NoticeContext {
  /** USD the key may still spend, from the last credits refresh. */
  spendableUsd?: number | undefined;
  /** The model's price of one output token in USD. */
  outputUsdPerToken?: number | undefined;
}

export function errorNotice(error: unknown, context: NoticeContext = {}): ErrorNotice {
  if (!(error instanceof OpenRouterError)) {
    return { kind: 'other', message: `Something went wrong: ${errorText(error)}`, advice: 'Retry; if it keeps failing, the log has details.', action: showLog };
  }
  const kind = error.kind;
  switch (kind) {
    case 'api':
      return apiNotice(error, context);
    case 'stream':
      return {
        kind: 'stream',
        message: `The model stopped with an error: ${plain(error.message)}`,
        advice: 'The text received so far is kept. Retry, or choose another model.',
      };
    case 'connection':
      return connectionNotice(error);
    case 'timeout':
      return { kind: 'timeout', message: `OpenRouter did not answer in time: ${plain(error.message)}`, advice: 'The model or its provider may be overloaded. Retry, or choose another model; the timeouts are in the settings.', action: openSettings };
    case 'abort':
      return { kind: 'cancelled', message: 'The request was cancelled before the answer came.', advice: 'Retry to ask again.' };
    case 'parse':
      return { kind: 'parse', message: `OpenRouter sent an answer that could not be read: ${plain(error.message)}`, advice: 'Retry; if it keeps happening, choose another model or check a gateway set as the base URL.', action: showLog };
    case 'config':
      return configNotice(error);
    default:
      return assertNever(kind);
  }
}

function configNotice(error: OpenRouterError): ErrorNotice {
  const message = plain(error.message);
  if (/base URL/i.test(message)) {
    return { kind: 'config', message: `The request could not be sent: ${message}`, advice: 'Fix openrouter.baseUrl in the settings, then retry.', action: openSettings };
  }
  return { kind: 'config', message: `The request could not be sent: ${message}`, advice: 'Set your OpenRouter API key (it starts with sk-or-), then retry.', action: setApiKey };
}

/** The precise reason (proxy refused, certificate not trusted, host unreachable) and what fixes that one. */
function connectionNotice(error: OpenRouterError): ErrorNotice {
  const message = plain(error.message);
  if (/proxy/i.test(message)) {
    return { kind: 'network', message, advice: 'Check the proxy address and credentials in http.proxy (or HTTPS_PROXY), then retry.', action: proxySettings };
  }
  if (/certificate/i.test(message)) {
    return {
      kind: 'network',
      message,
      advice: 'A proxy or security product may be replacing OpenRouter’s certificate: add its CA to the system’s trusted certificates (VS Code uses them with http.systemCertificates), then retry.',
      action: proxySettings,
    };
  }
  if (/not sent again/i.test(message)) {
    return { kind: 'network', message, advice: 'The request may have reached the model: check your OpenRouter activity before you retry, to avoid paying twice.' };
  }
  if (/pool is closed|provider is closed/i.test(message)) {
    return { kind: 'network', message, advice: 'The connection was shut down while the settings changed or VS Code was closing. Retry.' };
  }
  return { kind: 'network', message, advice: 'Check your network connection, VPN or proxy settings, then retry.', action: proxySettings };
}

/** "You requested up to 65536 tokens, but can only afford 3554": the output reservation a balance cannot cover. */
export function parseReservation(message: string): { requested: number; affordable: number } | undefined {
  const match = /requested up to (\d+) tokens?,? but can only afford (\d+)/i.exec(message);
  return match ? { requested: Number(match[1]), affordable: Number(match[2]) } : undefined;
}

const usd = (n: number): string => (n > 0 && n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);

/** A 402 from the pre-flight check: the request was refused for what it reserved, not for what it would cost. */
function reservationNotice(reservation: { requested: number; affordable: number }, context: NoticeContext): ErrorNotice {
  const price = context.outputUsdPerToken !== undefined && context.outputUsdPerToken > 0 ? context.outputUsdPerToken : undefined;
  const reserved = price === undefined ? '' : ` (${usd(reservation.requested * price)} at the model's output price)`;
  const balance = context.spendableUsd === undefined ? '' : ` Your key may spend ${usd(context.spendableUsd)}.`;
  const lower = reservation.affordable > 0 ? `below ${reservation.affordable}` : 'lower';
  return {
    kind: 'credits',
    message: `Not enough credits reserved for this answer: before answering, OpenRouter sets aside the cost of the whole output limit, ${reservation.requested} tokens${reserved}, and your balance covers ${reservation.affordable}.${balance} Nothing was charged.`,
    advice: `Set the output limit ${lower} (this chat's routing options, or openrouter.chat.maxOutputTokens), or add credits, then retry.`,
    action: { label: 'Add Credits', action: 'openCredits' },
  };
}

function apiNotice(error: OpenRouterError, context: NoticeContext): ErrorNotice {
  const retryAfterSeconds = error.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
  // A server wait too long to sit through ends the call at once; it shows as a countdown with Retry.
  const status = error.name === 'RateLimitError' ? 429 : error.status;
  switch (status) {
    case 401:
      return { kind: 'auth', message: `OpenRouter rejected the API key: ${error.message}`, advice: 'Set a valid key, then retry.', action: setApiKey };
    case 402: {
      const reservation = parseReservation(error.message);
      if (reservation) return reservationNotice(reservation, context);
      return {
        kind: 'credits',
        message: `Out of credits: ${error.message}`,
        advice: 'Add credits on openrouter.ai, or choose a free model (ids ending in ":free"), then retry.',
        action: { label: 'Add Credits', action: 'openCredits' },
      };
    }
    case 429:
      return {
        kind: 'rate-limit',
        message: `Rate limited: ${error.message}`,
        advice: retryAfterSeconds === undefined ? 'Wait a little, then retry, or choose another model. Free models allow about 20 requests a minute.' : `OpenRouter asks to wait ${retryAfterSeconds} s before retrying, or choose another model.`,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds, retryAt: Date.now() + retryAfterSeconds * 1000 }),
      };
    case 403:
      return { kind: 'other', message: `OpenRouter refused the request: ${error.message}`, advice: 'The input may have been flagged by moderation, or the key may not allow this model. Rephrase, or choose another model.' };
    default: {
      const serverSide = status !== undefined && status >= 500;
      const upstream = upstreamMessage(error);
      return {
        kind: 'other',
        message: `OpenRouter answered with an error${status === undefined ? '' : ` (HTTP ${status})`}: ${error.message}${upstream ? ` (${upstream})` : ''}`,
        advice: serverSide ? 'The model’s provider is having trouble. Retry, or choose another model.' : 'Check the model and your message, then retry.',
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds, retryAt: Date.now() + retryAfterSeconds * 1000 }),
      };
    }
  }
}

// How a failed request is reported to the editor's chat: which vscode.LanguageModelError code, and a
// message that keeps OpenRouter's own words. Plain data, so it is unit-tested without VS Code.
import { OpenRouterError } from '../openrouter/errors';
import { ToolArgumentsError } from '../answer/toolCalls';
import { upstreamMessage } from '../answer/upstreamMessage';
import { errorText } from '../util/errorText';

/** Codes of vscode.LanguageModelError; `Unknown` is made with the plain constructor. */
export type LmErrorCode = 'NoPermissions' | 'Blocked' | 'NotFound' | 'Unknown';

export type MappedError = { cancelled: true } | { cancelled: false; code: LmErrorCode; message: string };

function withStatus(message: string, status: number | undefined): string {
  const text = message.trim() || 'OpenRouter returned an error';
  if (status === undefined || text.includes(String(status))) return text;
  return `${text} (HTTP ${status})`;
}

function waitHint(retryAfterMs: number | undefined): string {
  if (retryAfterMs === undefined || !(retryAfterMs > 0)) return '';
  return ` Try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`;
}

/**
 * 401/403 (bad key, moderation, not permitted) → NoPermissions; 402 (out of credits) and 429 (rate
 * limited) → Blocked, the code the editor documents for quota limits; 404 → NotFound (model gone);
 * anything else → Unknown. An abort is reported as cancelled, never as a failure.
 */
export function mapLmError(error: unknown, modelId: string): MappedError {
  if (error instanceof ToolArgumentsError) return { cancelled: false, code: 'Unknown', message: error.message };
  if (error instanceof OpenRouterError) {
    if (error.kind === 'abort') return { cancelled: true };
    const status = error.status;
    const base = withStatus(error.message, status);
    switch (status) {
      case 401:
        return { cancelled: false, code: 'NoPermissions', message: `OpenRouter did not accept the API key: ${base}. Run "OpenRouter: Set API Key".` };
      case 403:
        return { cancelled: false, code: 'NoPermissions', message: `OpenRouter refused the request: ${base}` };
      case 402:
        return { cancelled: false, code: 'Blocked', message: `OpenRouter: out of credits: ${base}. Add credits at openrouter.ai or raise the key's limit.` };
      case 429:
        return { cancelled: false, code: 'Blocked', message: `OpenRouter is rate limiting ${modelId}: ${base}.${waitHint(error.retryAfterMs)}` };
      case 404:
        return { cancelled: false, code: 'NotFound', message: `OpenRouter could not find ${modelId}: ${base}` };
      default:
        break;
    }
    if (error.kind === 'stream') return { cancelled: false, code: 'Unknown', message: `The answer from ${modelId} stopped with an error: ${base}` };
    const upstream = upstreamMessage(error);
    return { cancelled: false, code: 'Unknown', message: `OpenRouter request failed: ${base}${upstream ? ` (${upstream})` : ''}` };
  }
  if (error instanceof Error && error.name === 'AbortError') return { cancelled: true };
  return { cancelled: false, code: 'Unknown', message: errorText(error) };
}

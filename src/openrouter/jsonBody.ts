// Buffered JSON answers: the whole body read under a size bound, parsed, and checked for an error inside a 200.
import { fail, finalError, record, type Call, type OpenResponse, type ProviderContext } from './call';
import { AbortError, ConnectionError, OpenRouterError, ParseError, StreamError, errorFromTransport } from './errors';
import type { Exchange } from './exchange';
import { isBodyBreakRetryable } from './retryPolicy';

/** Largest JSON body read into memory; /models is a few hundred KB. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** Reads a whole body as UTF-8, refusing more than MAX_JSON_BYTES. */
export async function readText(ctx: ProviderContext, call: Call, exchange: Exchange, attempt: number): Promise<string> {
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
    throw errorFromTransport({ error, phase: 'body', what: call.what, attempts: attempt, timeouts: ctx.timeouts, secrets: [call.apiKey] });
  }
  // TextDecoder, not Buffer#toString: it drops a leading byte-order mark JSON.parse would refuse.
  return new TextDecoder('utf-8').decode(parts.length === 1 ? parts[0] : Buffer.concat(parts, size));
}

/** Reads a 2xx attempt's whole body; a break is retried when the policy says resending is safe. */
export async function readBody(ctx: ProviderContext, call: Call, open: OpenResponse): Promise<string> {
  let text: string;
  try {
    text = await readText(ctx, call, open.exchange, open.attempt);
  } catch (error) {
    open.release();
    const err = bodyFailure(call, open, error);
    fail(ctx, call, err, { attempt: open.attempt, started: open.started, tag: open.tag, status: open.status, ttfbMs: open.ttfbMs });
    throw err;
  }
  open.release();
  return text;
}

function bodyFailure(call: Call, open: OpenResponse, error: unknown): OpenRouterError {
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
  return error instanceof OpenRouterError ? error : finalError(call, error);
}

/** Parses a read body and records the attempt as ended, with the parse or in-body error if there is one. */
export function parseJson<T>(ctx: ProviderContext, call: Call, open: OpenResponse, text: string): T {
  let value: T;
  try {
    value = JSON.parse(text) as T;
  } catch {
    const err = new ParseError(`${call.what}: OpenRouter sent invalid JSON (HTTP ${open.status}).`, {
      status: open.status,
      attempts: open.attempt,
      generationId: open.generationId,
    });
    record(ctx, call, open, err);
    throw err;
  }
  const failure = bodyError(call, open, value);
  record(ctx, call, open, failure);
  if (failure) throw failure;
  return value;
}

/** A completion that failed upstream after OpenRouter answered 200 carries `error` in its body, as a stream's error chunk does. */
function bodyError(call: Call, open: OpenResponse, value: unknown): OpenRouterError | undefined {
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

export function dataArray<T>(body: { data?: unknown }, what: string): T[] {
  if (!body || !Array.isArray(body.data)) throw new ParseError(`${what}: the answer has no data array.`, { status: 200 });
  return body.data as T[];
}

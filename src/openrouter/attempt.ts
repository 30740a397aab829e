// One HTTP attempt of a call: a connection from the pool, the request, and its status and headers.
import type { Dispatcher } from 'undici';
import { fail, resolveKey, type Call, type OpenResponse, type ProviderContext } from './call';
import { kAttemptTag, type AttemptTag } from './connections';
import { AbortError, ConfigError, ConnectionError, OpenRouterError, errorFromResponse, errorFromTransport } from './errors';
import { Exchange, type ResponseHead } from './exchange';
import { buildHeaders } from './headers';
import { isNotProcessed } from './http2Request';
import { readText } from './jsonBody';
import type { Lease } from './pool';
import { raceAbort } from './retry';
import { mayHaveRun, type TransportFailure } from './retryPolicy';

/** Sends the call once; a 2xx answer is returned with its body unread, anything else is recorded and thrown. */
export async function sendAttempt(ctx: ProviderContext, call: Call, attempt: number): Promise<OpenResponse> {
  const key = await raceAbort(resolveKey(ctx, call), call.signal);
  call.apiKey = key;
  if (ctx.closed) throw new ConnectionError(`${call.what}: the provider is closed.`);
  call.attempts = attempt;
  const { spec } = call;
  let lease: Lease | undefined;
  try {
    lease = await ctx.pool?.acquire(call.signal);
  } catch (error) {
    if (ctx.closed) throw new ConnectionError(`${call.what}: the provider is closed.`, { attempts: attempt });
    throw error;
  }
  const dispatcher = lease?.dispatcher ?? ctx.dispatcher;
  if (!dispatcher) throw new ConfigError(`${call.what}: no dispatcher.`);
  const tag: AttemptTag = lease?.renewedBeforeServerIdleMs !== undefined ? { renewedBeforeServerIdleMs: lease.renewedBeforeServerIdleMs } : {};
  const started = performance.now();
  ctx.counters.requests++;
  let settled = false;
  const finish = (): void => {
    if (!settled) {
      settled = true;
      lease?.release();
      call.signal?.removeEventListener('abort', onAbort);
    }
  };
  const exchange = new Exchange(finish, call.onRequestSent);
  // Whatever phase the attempt is in (queued, sending, reading), an abort stops it and frees its connection.
  const onAbort = (): void => exchange.destroy(new AbortError(`${call.what}: the request was aborted.`, { attempts: attempt }));
  call.signal?.addEventListener('abort', onAbort, { once: true });
  const options: Dispatcher.DispatchOptions & { [kAttemptTag]: AttemptTag } = {
    origin: ctx.origin,
    path: ctx.basePath + spec.path,
    method: spec.method,
    headers: buildHeaders({
      apiKey: key,
      appUrl: ctx.options.appUrl,
      appTitle: ctx.options.appTitle,
      json: spec.body !== undefined,
      stream: spec.stream,
    }),
    body: call.body,
    headersTimeout: ctx.timeouts.headersMs,
    bodyTimeout: ctx.timeouts.idleMs,
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
        error, phase: 'request', what: call.what, attempts: attempt, timeouts: ctx.timeouts, secrets: [key], mayHaveRun: mayHaveRun(transport),
      });
    fail(ctx, call, err, { attempt, started, tag, transport });
    throw err;
  }

  const ttfbMs = performance.now() - started;
  const generationId = firstHeader(res.headers['x-generation-id']);
  if (res.status >= 200 && res.status < 300) {
    return { status: res.status, headers: res.headers, exchange, started, ttfbMs, tag, attempt, generationId, release: finish };
  }
  let text: string;
  try {
    text = await readText(ctx, call, exchange, attempt);
  } catch (error) {
    const err = error instanceof OpenRouterError ? error : errorFromTransport({ error, phase: 'body', what: call.what, attempts: attempt, secrets: [key] });
    fail(ctx, call, err, { attempt, started, tag, status: res.status, ttfbMs });
    throw err;
  }
  const err = errorFromResponse({ status: res.status, headers: res.headers, body: text, attempts: attempt, generationId, secrets: [key] });
  fail(ctx, call, err, { attempt, started, tag, status: res.status, ttfbMs, headers: res.headers });
  throw err;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

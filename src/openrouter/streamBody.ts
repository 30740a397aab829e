// A streamed completion: its SSE events turned into chunks as they arrive, with one idle timer per stream.
import { sendAttempt } from './attempt';
import { newCall, record, run, type Call, type OpenResponse, type ProviderContext, type Spec } from './call';
import { AbortError, OpenRouterError, ParseError, StreamError, TimeoutError, errorFromTransport } from './errors';
import { SseDecoder } from './sse';
import type { ChatCompletionChunk, StreamCallOptions, TextCompletionChunk } from './types';

/** What a streamed chat or text completion sends per event. */
type StreamChunk = ChatCompletionChunk | TextCompletionChunk;

/** Decoded stream events held for a caller that is not pulling; beyond this the socket is paused. */
const MAX_PENDING_EVENTS = 1024;

export async function* readStream<C extends StreamChunk = ChatCompletionChunk>(ctx: ProviderContext, spec: Spec, opts: StreamCallOptions): AsyncGenerator<C, void, undefined> {
  const call = newCall(ctx, spec, opts);
  let open: OpenResponse;
  try {
    open = await run(ctx, call, (attempt) => sendAttempt(ctx, call, attempt));
  } catch (error) {
    call.end();
    throw error;
  }
  try {
    opts.onResponse?.({ generationId: open.generationId, status: open.status });
  } catch {
    // A caller's callback cannot break the stream.
  }
  const { exchange } = open;
  // Events of the latest read, taken from `next` on; the array is reused rather than shifted.
  const pending: string[] = [];
  let next = 0;
  let done = false;
  let timedOut = false;
  const idleMs = ctx.timeouts.idleMs;
  // One timer per stream: events only move the deadline; when the timer fires it re-arms for what is left.
  let deadline = performance.now() + idleMs;
  const check = (): void => {
    const left = deadline - performance.now();
    if (left > 0) {
      timer = setTimeout(check, left);
      return;
    }
    timedOut = true;
    exchange.destroy(new TimeoutError(`${call.what}: the stream was silent for more than ${idleMs} ms.`, { attempts: open.attempt }));
  };
  let timer = setTimeout(check, idleMs);
  const decoder = new SseDecoder({
    onEvent: (event) => {
      deadline = performance.now() + idleMs;
      if (!done) pending.push(event.data);
    },
    onComment: (comment) => {
      deadline = performance.now() + idleMs;
      try {
        opts.onKeepAlive?.(comment);
      } catch {
        // A caller's callback cannot break the stream.
      }
    },
  });
  let failure: OpenRouterError | undefined;
  let finished = false;
  let paused = false;
  // Bytes are decoded as undici hands them over; the loop below only turns decoded events into chunks.
  exchange.pipeTo((bytes) => {
    decoder.push(bytes);
    if (pending.length - next > MAX_PENDING_EVENTS && !paused) {
      paused = true;
      exchange.pause();
    }
  });
  try {
    for (;;) {
      while (next < pending.length && !done) {
        const data = pending[next++] as string;
        if (data === '[DONE]') {
          // Keep reading to the end of the body so the connection can be reused.
          done = true;
          break;
        }
        yield parseChunk<C>(call, open, data);
      }
      pending.length = 0;
      next = 0;
      if (paused) {
        paused = false;
        exchange.resume();
      }
      if (exchange.finished) break;
      await exchange.wait();
    }
    if (exchange.error) throw exchange.error;
    decoder.end();
    while (next < pending.length && !done) {
      const data = pending[next++] as string;
      if (data === '[DONE]') done = true;
      else yield parseChunk<C>(call, open, data);
    }
    if (!done) {
      throw new StreamError(`${call.what}: the stream ended before [DONE].`, { attempts: open.attempt, generationId: open.generationId });
    }
    finished = true;
  } catch (error) {
    // After [DONE] every chunk was delivered; a connection hiccup while the body closes changes nothing.
    if (done && !call.signal?.aborted) {
      finished = true;
      return;
    }
    failure = streamFailure(ctx, call, open, error, timedOut);
    throw failure;
  } finally {
    clearTimeout(timer);
    // Leaving the loop early (the caller broke out, or a chunk failed) lands here: closing the body tells the server to stop generating.
    if (!exchange.finished) exchange.destroy(new StreamError(`${call.what}: the stream was closed before it finished.`));
    open.release();
    call.end();
    const early = !finished && !failure ? new StreamError(`${call.what}: the stream was closed by the caller before it finished.`) : undefined;
    record(ctx, call, open, failure ?? early);
  }
}

function streamFailure(ctx: ProviderContext, call: Call, open: OpenResponse, error: unknown, timedOut: boolean): OpenRouterError {
  const meta = { attempts: open.attempt, generationId: open.generationId };
  if (call.signal?.aborted && !timedOut) {
    return error instanceof AbortError ? error : new AbortError(`${call.what}: the stream was aborted.`, meta);
  }
  if (error instanceof OpenRouterError) return error;
  return errorFromTransport({ error, phase: 'body', what: call.what, timeouts: ctx.timeouts, secrets: [call.apiKey], ...meta });
}

function parseChunk<C extends StreamChunk>(call: Call, open: OpenResponse, data: string): C {
  let chunk: C;
  try {
    chunk = JSON.parse(data) as C;
  } catch {
    throw new ParseError(`${call.what}: a stream event was not valid JSON.`, { status: open.status, attempts: open.attempt, generationId: open.generationId });
  }
  if (!chunk || typeof chunk !== 'object') {
    throw new ParseError(`${call.what}: a stream event was not a JSON object.`, { status: open.status, attempts: open.attempt, generationId: open.generationId });
  }
  if (chunk.error) {
    const { code, message, metadata } = chunk.error;
    throw new StreamError(message ?? 'The model failed mid-stream.', {
      status: typeof code === 'number' ? code : undefined,
      code,
      metadata,
      attempts: open.attempt,
      generationId: open.generationId ?? chunk.id,
      serverMessage: message,
      secrets: [call.apiKey],
    });
  }
  if (!Array.isArray(chunk.choices)) chunk.choices = [];
  return chunk;
}

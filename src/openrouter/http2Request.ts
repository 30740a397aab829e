// One request over HTTP/2, as undici's DispatchController: its handler across the streams it may need when a
// server refuses it, its timeouts, and the mark on errors of requests the server never processed.
import http2, { type ClientHttp2Stream } from 'node:http2';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { loadUndici } from './undici';

/** Set on errors of requests the server has certainly not processed: resending them cannot run anything twice. */
export const kNotProcessed = Symbol('openrouter.notProcessed');

export interface StreamHooks {
  headersMs?: number;
  bodyMs?: number;
  /** True when the server has certainly not processed this stream. */
  refused(): boolean;
  /** Sends the request again on another connection; false when it has been moved too often. */
  replay(): boolean;
  done(): void;
}

/** One request's handler, across the streams it may need when a server refuses it. */
export class Http2Request implements Dispatcher.DispatchController {
  replays = 0;
  private stream: ClientHttp2Stream | undefined;
  private isPaused = false;
  private abortReason: Error | null = null;
  private ended = false;
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private bodyMs: number | undefined;

  constructor(readonly handler: Dispatcher.DispatchHandler) {}

  get aborted(): boolean {
    return this.abortReason !== null;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  get reason(): Error | null {
    return this.abortReason;
  }

  abort(reason: Error): void {
    if (this.ended || this.abortReason) return;
    this.abortReason = reason;
    this.stream?.close(http2.constants.NGHTTP2_CANCEL);
    this.fail(reason);
  }

  pause(): void {
    this.isPaused = true;
    this.stream?.pause();
    clearTimeout(this.timer);
  }

  resume(): void {
    this.isPaused = false;
    this.stream?.resume();
    if (this.bodyMs) this.arm(this.bodyMs, () => new (loadUndici().errors.BodyTimeoutError)());
  }

  /** Reports a failure once; a request that never got a stream was never started (nothing was sent). */
  fail(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.handler.onResponseError?.(this, error);
  }

  attach(stream: ClientHttp2Stream, hooks: StreamHooks): void {
    this.stream = stream;
    let responded = false;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(this.timer);
      hooks.done();
    };
    if (hooks.headersMs) this.arm(hooks.headersMs, () => new (loadUndici().errors.HeadersTimeoutError)());
    stream.on('response', (headers) => {
      if (this.ended) return;
      const status = Number(headers[':status']);
      // 1xx: informational, the real answer follows.
      if (status < 200) return;
      responded = true;
      this.bodyMs = hooks.bodyMs;
      if (this.bodyMs) this.arm(this.bodyMs, () => new (loadUndici().errors.BodyTimeoutError)());
      else clearTimeout(this.timer);
      this.handler.onResponseStart?.(this, status, plainHeaders(headers), '');
    });
    stream.on('data', (chunk: Buffer) => {
      if (this.ended) return;
      if (this.bodyMs && !this.isPaused) this.timer?.refresh();
      this.handler.onResponseData?.(this, chunk);
    });
    stream.on('end', () => {
      if (this.ended) return;
      if (!responded) return;
      this.ended = true;
      finish();
      this.handler.onResponseEnd?.(this, {});
    });
    stream.on('error', () => {
      // Reported from 'close', where the reset code and GOAWAY are known.
    });
    stream.on('close', () => {
      finish();
      if (this.ended) return;
      if (!responded && hooks.refused() && !this.abortReason) {
        if (hooks.replay()) return;
        this.fail(markNotProcessed(new (loadUndici().errors.SocketError)('the server refused the HTTP/2 stream (it never processed it)')));
        return;
      }
      const code = stream.rstCode;
      const detail = code ? `the HTTP/2 stream was reset (code ${code})` : 'the connection closed before the answer ended';
      this.fail(new (loadUndici().errors.SocketError)(detail));
    });
  }

  /** Hands the handler its controller, once, as the request is first written. */
  begin(): void {
    if (this.started) return;
    this.started = true;
    this.handler.onRequestStart?.(this, {});
  }

  private arm(ms: number, error: () => Error): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const reason = error();
      this.stream?.close(http2.constants.NGHTTP2_CANCEL);
      this.fail(reason);
    }, ms);
    this.timer.unref?.();
  }
}

function plainHeaders(headers: http2.IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(':')) out[name] = value as string | string[] | undefined;
  }
  return out;
}

/** Marks an error as one whose request the server has certainly not processed. */
export function markNotProcessed<E extends Error>(error: E): E {
  (error as E & { [kNotProcessed]?: boolean })[kNotProcessed] = true;
  return error;
}

export function isNotProcessed(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { [kNotProcessed]?: boolean })[kNotProcessed] === true;
}

// One HTTP attempt read straight from undici's dispatch callbacks. A Node stream per response would
// cost every chunk of a long answer a trip through Readable's buffering and a promise of its async
// iterator; here the bytes are queued as they arrive and the reader takes them in batches.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export interface ResponseHead {
  status: number;
  headers: IncomingHttpHeaders;
}

/** Bytes held for a slow reader before undici is asked to stop reading the socket; taking them resumes it. */
const HIGH_WATER_BYTES = 1024 * 1024;

/**
 * The handler undici drives for one request. `head` settles when the status line and headers
 * arrive (or the request fails first); the body is then read with `take()` and `wait()`, or
 * handed as it arrives to a sink (`pipeTo()`), which can hold the socket with `pause()`.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  readonly head: Promise<ResponseHead>;
  private resolveHead!: (head: ResponseHead) => void;
  private rejectHead!: (error: Error) => void;
  private headArrived = false;
  private handedToConnection = false;
  private controller: Dispatcher.DispatchController | undefined;
  /** An abort asked for before undici handed over its controller; applied when it does. */
  private pendingAbort: Error | undefined;
  private queue: Buffer[] = [];
  private spare: Buffer[] = [];
  private queuedBytes = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private sink: ((chunk: Buffer) => void) | undefined;
  /** Bytes went to the sink since the last `wait()`. */
  private fresh = false;

  /**
   * `onSettle` runs once, when the exchange ends or fails: the moment its connection is free again.
   * `onStart` runs when the request starts going out on a connection.
   */
  constructor(
    private onSettle?: () => void,
    private readonly onStart?: () => void,
  ) {
    this.head = new Promise<ResponseHead>((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
    // A failure before the head is reported through `head`; a caller that stopped listening must not see it unhandled.
    this.head.catch(() => {});
  }

  /** True once every byte was taken and the response ended or failed. */
  get finished(): boolean {
    return this.queue.length === 0 && (this.ended || this.failure !== undefined);
  }

  /**
   * True once undici (or the HTTP/2 connection) started writing the request to a connection. A failure
   * before that means the server never saw it: connect errors, or a request still queued.
   */
  get requestStarted(): boolean {
    return this.handedToConnection;
  }

  /** Why the body stopped early, once it has (undefined while it runs or after a clean end). */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Every chunk that arrived since the last call, in order; the array is only valid until the next call. */
  take(): Buffer[] {
    const taken = this.queue;
    if (taken.length === 0) return taken;
    this.queue = this.spare;
    this.queue.length = 0;
    this.spare = taken;
    this.queuedBytes = 0;
    if (this.controller?.paused && !this.ended && !this.failure) this.controller.resume();
    return taken;
  }

  /** From now on every chunk goes to `sink` as it arrives (queued ones first); a throw from it fails the exchange. */
  pipeTo(sink: (chunk: Buffer) => void): void {
    const queued = this.take();
    this.sink = sink;
    try {
      for (const chunk of queued) sink(chunk);
    } catch (error) {
      this.destroy(error as Error);
      // Already ended: nothing left to abort, but the reader must still see why the body is bad.
      this.failure ??= error as Error;
    }
  }

  pause(): void {
    this.controller?.pause();
  }

  resume(): void {
    if (this.controller?.paused && !this.ended && !this.failure) this.controller.resume();
  }

  /** Resolves when more bytes, the end or a failure arrive (at once if some already have). */
  wait(): Promise<void> {
    if (this.fresh) {
      this.fresh = false;
      return Promise.resolve();
    }
    if (this.queue.length > 0 || this.ended || this.failure) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  /** Stops the request or its body (closing an HTTP/1.1 socket, resetting an HTTP/2 stream); no effect once it ended. */
  destroy(reason: Error): void {
    if (this.ended || this.failure) return;
    if (this.controller) this.controller.abort(reason);
    else this.pendingAbort ??= reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    this.handedToConnection = true;
    if (this.pendingAbort) {
      controller.abort(this.pendingAbort);
      return;
    }
    try {
      this.onStart?.();
    } catch {
      // A caller's callback cannot break the request.
    }
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    this.headArrived = true;
    this.resolveHead({ status, headers });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.sink) {
      try {
        this.sink(chunk);
      } catch (error) {
        controller.abort(error as Error);
        return;
      }
      this.fresh = true;
      this.notify();
      return;
    }
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > HIGH_WATER_BYTES) controller.pause();
    this.notify();
  }

  onResponseEnd(): void {
    this.ended = true;
    this.settle();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.ended) return;
    this.failure ??= error;
    if (!this.headArrived) this.rejectHead(error);
    this.settle();
  }

  private settle(): void {
    const onSettle = this.onSettle;
    this.onSettle = undefined;
    onSettle?.();
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    if (wake) {
      this.wake = undefined;
      wake();
    }
  }
}

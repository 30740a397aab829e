// One request/response pair over HTTP/1.1 or HTTP/2 (compat API), with the few socket-level moves the
// faults need: drop the connection (or reset the h2 stream), and know when the client went away.
import http2 from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { performance } from 'node:perf_hooks';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

export const connectionIdKey = Symbol('emulatorConnectionId');

export class Exchange {
  /** The client closed the connection or stream before the response finished. */
  clientGone = false;
  /** The server destroyed the connection on purpose (a fault), so the close is not the client's. */
  droppedByServer = false;
  /** The server sent the whole response. */
  private ended = false;
  readonly finished: Promise<void>;
  readonly url: URL;
  readonly connectionId: number;
  /** When the request's headers arrived (performance.now()). */
  readonly receivedAt = performance.now();
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    readonly req: AnyRequest,
    readonly res: AnyResponse,
  ) {
    this.url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const socket = req.socket as unknown as Record<symbol, unknown> | undefined;
    this.connectionId = typeof socket?.[connectionIdKey] === 'number' ? (socket[connectionIdKey] as number) : 0;
    this.finished = new Promise((resolve) => {
      res.once('close', () => {
        // Our own flag: the HTTP/2 compat response reports itself finished even after a client reset.
        if (!this.ended && !this.droppedByServer) this.clientGone = true;
        for (const listener of this.closeListeners.splice(0)) listener();
        resolve();
      });
    });
  }

  get isHttp2(): boolean {
    return this.req.httpVersion === '2.0';
  }

  /** Resolves when the response is closed (either side); used to stop timers. */
  onClose(listener: () => void): void {
    if (this.res.closed || this.res.destroyed) listener();
    else this.closeListeners.push(listener);
  }

  get alive(): boolean {
    return !this.clientGone && !this.droppedByServer && !this.res.destroyed && !this.res.closed;
  }

  async readBody(limit = 32 * 1024 * 1024): Promise<string> {
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new Error('request body too large');
      parts.push(chunk);
    }
    return Buffer.concat(parts).toString('utf8');
  }

  writeHead(status: number, headers: Record<string, string | number>): void {
    if (this.res.headersSent) return;
    (this.res as ServerResponse).writeHead(status, headers);
  }

  flushHeaders(): void {
    if (this.isHttp2) (this.res as Http2ServerResponse & { flushHeaders?: () => void }).flushHeaders?.();
    else (this.res as ServerResponse).flushHeaders();
  }

  /**
   * Writes and waits until the bytes are handed to the socket, so a following drop does not discard them.
   * Also settles when the response closes: an HTTP/2 stream reset by the client never calls back.
   */
  write(data: string | Buffer): Promise<void> {
    if (!this.alive) return Promise.resolve();
    const written = new Promise<void>((resolve) => {
      (this.res as ServerResponse).write(data, () => resolve());
    });
    return Promise.race([written, this.finished]);
  }

  end(data?: string | Buffer): void {
    if (!this.alive) return;
    this.ended = true;
    (this.res as ServerResponse).end(data);
  }

  json(status: number, body: unknown, headers: Record<string, string | number> = {}): void {
    const text = JSON.stringify(body);
    this.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    this.end(text);
  }

  /** Cuts the connection without a proper end: the TCP socket for HTTP/1.1, a stream reset for HTTP/2. */
  drop(): void {
    this.droppedByServer = true;
    if (this.isHttp2) {
      const stream = (this.res as Http2ServerResponse).stream;
      if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    } else {
      (this.req as IncomingMessage).socket.destroy();
    }
  }
}

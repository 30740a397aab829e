// One kept HTTP/2 connection, driven through node:http2 rather than undici's HTTP/2 client: on GOAWAY
// undici 7 destroys the socket at once, killing streams the server had accepted and is still answering
// (a completion that ran upstream, then failed here and was resent: billed twice). Here a GOAWAY only
// stops new streams: accepted ones finish, and streams the server refused (above its last-stream-id, or
// REFUSED_STREAM) go out again on a new connection, which is safe because the server never saw them.
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Dispatcher, buildConnector } from 'undici';
import { kAttemptTag, type AttemptTag } from './connections';
import { Http2Request } from './http2Request';
import { loadUndici } from './undici';

/** The part of undici's Dispatcher the provider uses. */
export interface RequestDispatcher {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
}

export interface Http2ConnectionOptions {
  origin: string;
  /** Opens the TLS socket, offering h2 by ALPN (the pool's connector: counting, DNS cache, proxy tunnel). */
  connect: buildConnector.connector;
  initialWindowSize: number;
  connectionWindowSize: number;
  /** Close the connection after this long without streams. */
  keepAliveMs: number;
  /**
   * A PING goes out this often; a connection whose previous PING is still unanswered is taken for dead
   * and destroyed, failing its streams, instead of leaving every call on it waiting for its timeout.
   * Keeps NAT and proxy mappings alive too. Default 60 s (as undici's HTTP/2 client).
   */
  pingIntervalMs?: number;
  /**
   * Returns the HTTP/1.1 dispatcher that takes over: given the socket when the server chose HTTP/1.1 by
   * ALPN; without one when the server chose h2 but never spoke it (then h2 must not be offered again).
   */
  http1(socket?: Socket): RequestDispatcher;
  /** A request went out on a connection that had carried one before. */
  onReuse?(): void;
  /** The connection became usable, or stopped being usable (GOAWAY, closed, failed to connect). */
  onState?(connected: boolean, h2: boolean): void;
}

/**
 * RST_STREAM or GOAWAY code by which a server declines to serve a request over HTTP/2 (RFC 9113 §7): it
 * is sent before the request is processed, and the request must go out again over HTTP/1.1.
 */
const HTTP_1_1_REQUIRED = http2.constants.NGHTTP2_HTTP_1_1_REQUIRED;

const DEFAULT_PING_INTERVAL_MS = 60_000;

/** How often one request is moved to a new connection after refusals before the refusal is reported. */
const MAX_REPLAYS = 3;

interface Pending {
  options: Dispatcher.DispatchOptions;
  handler: Dispatcher.DispatchHandler;
  request: Http2Request;
}

interface SessionState {
  session: ClientHttp2Session;
  socket: Socket;
  /** Set by GOAWAY: no new streams; streams above it were never processed. */
  lastStreamId?: number;
  /**
   * The server's SETTINGS arrived: it speaks HTTP/2. Until then it cannot have processed a stream, and a
   * connection that dies before them is a server or middlebox that offers h2 and mishandles it.
   */
  spoke: boolean;
  streams: number;
  used: boolean;
  idleTimer?: NodeJS.Timeout;
  pingTimer?: NodeJS.Timeout;
  pingPending: boolean;
}

export class Http2Connection implements RequestDispatcher {
  private current: SessionState | undefined;
  private connecting = false;
  private queue: Pending[] = [];
  private fallback: RequestDispatcher | undefined;
  private closed = false;
  private readonly sessions = new Set<SessionState>();
  private readonly url: URL;

  constructor(private readonly options: Http2ConnectionOptions) {
    this.url = new URL(options.origin);
  }

  /** Once the server chose HTTP/1.1, every request goes to the dispatcher that took the socket over. */
  get http1(): RequestDispatcher | undefined {
    return this.fallback;
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.fallback) return this.fallback.dispatch(options, handler);
    const request = new Http2Request(handler);
    if (this.closed) {
      request.fail(new (loadUndici().errors.ClientDestroyedError)());
      return false;
    }
    this.enqueue({ options, handler, request });
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = new (loadUndici().errors.ClientDestroyedError)();
    for (const pending of this.queue.splice(0)) pending.request.fail(error);
    await Promise.all([...this.sessions].map((state) => new Promise<void>((resolve) => {
      if (state.session.destroyed) return resolve();
      state.session.once('close', () => resolve());
      state.session.destroy();
    })));
  }

  private enqueue(pending: Pending): void {
    if (pending.request.aborted) return;
    if (this.fallback) {
      this.fallback.dispatch(pending.options, pending.request.handler);
      return;
    }
    const state = this.current;
    if (state && usable(state)) {
      this.start(state, pending);
      return;
    }
    this.queue.push(pending);
    if (!this.connecting) this.connect();
  }

  private connect(): void {
    this.connecting = true;
    const { hostname, host, protocol, port } = this.url;
    this.options.connect({ hostname, host, protocol, port, servername: null } as unknown as buildConnector.Options, (error, socket) => {
      this.connecting = false;
      if (error || !socket) {
        this.options.onState?.(false, false);
        // Nothing was sent; the provider's retry policy decides whether and when to try again.
        const failure = error ?? new Error('connect failed');
        for (const pending of this.queue.splice(0)) pending.request.fail(failure);
        return;
      }
      if (this.closed) {
        socket.destroy();
        return;
      }
      if ((socket as { alpnProtocol?: string | false }).alpnProtocol !== 'h2') {
        this.fallback = this.options.http1(socket as Socket);
        this.options.onState?.(true, false);
        for (const pending of this.queue.splice(0)) this.fallback.dispatch(pending.options, pending.request.handler);
        return;
      }
      this.open(socket as Socket);
    });
  }

  private open(socket: Socket): void {
    const session = http2.connect(this.options.origin, {
      createConnection: () => socket,
      settings: { enablePush: false, initialWindowSize: this.options.initialWindowSize },
    });
    const state: SessionState = { session, socket, streams: 0, used: false, spoke: false, pingPending: false };
    this.sessions.add(state);
    this.current = state;
    session.on('connect', () => {
      try {
        session.setLocalWindowSize(this.options.connectionWindowSize);
      } catch {
        // Only a larger window: the default still works.
      }
    });
    session.on('remoteSettings', () => {
      state.spoke = true;
    });
    session.on('goaway', (code: number, lastStreamId: number) => {
      state.lastStreamId = lastStreamId;
      if (code === HTTP_1_1_REQUIRED) this.abandonHttp2();
      this.retire(state);
    });
    // Errors reach the streams (each fails with its own error); the session only needs to be retired.
    session.on('error', () => this.retire(state));
    state.pingTimer = setInterval(() => this.ping(state), this.options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);
    state.pingTimer.unref();
    session.on('close', () => {
      this.sessions.delete(state);
      clearTimeout(state.idleTimer);
      clearInterval(state.pingTimer);
      if (!state.spoke) this.abandonHttp2();
      this.retire(state);
    });
    session.unref();
    this.options.onState?.(true, true);
    for (const pending of this.queue.splice(0)) this.enqueue(pending);
    this.armIdle(state);
  }

  /** The server offered h2 and did not speak it: from now on this connection is HTTP/1.1, without offering h2. */
  private abandonHttp2(): void {
    if (this.fallback || this.closed) return;
    this.fallback = this.options.http1();
    const state = this.current;
    this.current = undefined;
    // Streams the server accepted run on; the session closes when they are done.
    if (state && state.streams === 0 && !state.session.destroyed) state.session.close();
    this.options.onState?.(false, false);
    for (const pending of this.queue.splice(0)) this.fallback.dispatch(pending.options, pending.request.handler);
  }

  /** No new streams on this session; the next request opens a new connection. Accepted streams run on. */
  private retire(state: SessionState): void {
    if (this.current !== state) return;
    this.current = undefined;
    this.options.onState?.(false, true);
    if (state.streams === 0 && !state.session.destroyed) state.session.close();
    if (this.queue.length > 0 && !this.connecting && !this.closed) this.connect();
  }

  private ping(state: SessionState): void {
    const { session } = state;
    if (session.closed || session.destroyed) return;
    if (state.pingPending) {
      session.destroy(new (loadUndici().errors.SocketError)('the HTTP/2 connection stopped answering (PING unanswered)'));
      return;
    }
    state.pingPending = true;
    try {
      session.ping((error) => {
        if (!error) state.pingPending = false;
      });
    } catch {
      // Too many PINGs in flight or a closing session: the next tick decides.
    }
  }

  private armIdle(state: SessionState): void {
    clearTimeout(state.idleTimer);
    state.idleTimer = setTimeout(() => {
      if (state.streams === 0) {
        this.retire(state);
        state.session.close();
      }
    }, this.options.keepAliveMs);
    state.idleTimer.unref();
  }

  private start(state: SessionState, pending: Pending): void {
    const { options, request } = pending;
    const headers: http2.OutgoingHttpHeaders = {
      ':method': options.method,
      ':path': options.path,
      ':scheme': this.url.protocol.slice(0, -1),
      ':authority': this.url.host,
    };
    for (const [name, value] of Object.entries((options.headers ?? {}) as Record<string, string | string[] | undefined>)) {
      const lower = name.toLowerCase();
      if (value !== undefined && !CONNECTION_HEADERS.has(lower)) headers[lower] = value;
    }
    const body = options.body as string | Buffer | undefined | null;
    if (body != null) headers['content-length'] = Buffer.byteLength(body);
    // The handler learns the request is being written now; an abort it held back lands here, before any byte.
    request.begin();
    if (request.aborted) return;
    let stream: ClientHttp2Stream;
    try {
      stream = state.session.request(headers, { endStream: body == null });
    } catch {
      // The session closed between the check and the request: nothing was sent.
      this.retire(state);
      this.enqueue(pending);
      return;
    }
    const tag = (options as { [kAttemptTag]?: AttemptTag })[kAttemptTag];
    if (tag) {
      tag.httpVersion = '2';
      tag.newConnection = !state.used;
    }
    if (state.used && request.replays === 0) this.options.onReuse?.();
    state.used = true;
    state.streams++;
    clearTimeout(state.idleTimer);
    state.session.ref();
    request.attach(stream, {
      headersMs: options.headersTimeout ?? undefined,
      bodyMs: options.bodyTimeout ?? undefined,
      refused: () => !state.spoke
        || stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM
        || stream.rstCode === HTTP_1_1_REQUIRED
        || (state.lastStreamId !== undefined && stream.id !== undefined && stream.id > state.lastStreamId),
      replay: () => {
        if (!state.spoke || stream.rstCode === HTTP_1_1_REQUIRED) this.abandonHttp2();
        if (request.replays >= MAX_REPLAYS) return false;
        request.replays++;
        this.enqueue(pending);
        return true;
      },
      done: () => {
        state.streams--;
        if (state.streams === 0) {
          state.session.unref();
          if (this.current === state) this.armIdle(state);
          else if (!state.session.destroyed) state.session.close();
        }
      },
    });
    if (body != null) stream.end(body);
  }
}

/** Headers that belong to one HTTP/1.1 hop and are forbidden in HTTP/2. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

function usable(state: SessionState): boolean {
  return state.lastStreamId === undefined && !state.session.closed && !state.session.destroyed;
}

// The provider's own transport: up to poolSize kept-alive connections, plus throwaway ones for bursts.
import type { Client, Dispatcher, Pool, buildConnector } from 'undici';
import type { Socket } from 'node:net';
import { ConnectionTracker } from './connections';
import { Http2Connection, type RequestDispatcher } from './http2Connection';
import { raceAbort } from './retry';
import { NetworkRoute } from './route';
import type { ProxyOptions } from './types';
import { loadUndici } from './undici';

export interface ConnectionPoolOptions {
  /** `https://host:port` or `http://host:port`. */
  origin: string;
  poolSize: number;
  connectMs: number;
  headersMs: number;
  /** Longest silence while reading a body, ms. */
  idleMs: number;
  allowH2: boolean;
  ca?: string | string[];
  /** Loads the operating system's trusted CAs at the first connection (see NetworkRoute). */
  systemCertificates?: () => Promise<readonly string[]>;
  proxy?: ProxyOptions;
}

/** The dispatcher one attempt should use, and the hand-back once its response is finished. */
export interface Lease {
  dispatcher: RequestDispatcher;
  /** Close the socket after this response: it was opened beyond the pool's size. */
  reset: boolean;
  /** Set when the slot's idle connection was renewed for this lease, near the server's idle timeout (this many ms). */
  renewedBeforeServerIdleMs?: number;
  release(): void;
}

/** Streams per HTTP/2 connection; Node's h2 servers advertise 100 by default. */
const H2_MAX_STREAMS = 100;
/**
 * HTTP/2 flow-control windows the provider grants the server: per stream and per connection. undici's
 * defaults (256 KB, 512 KB) let a fast answer stall every 256 KB for a round trip while the window
 * update travels: over a 40 ms round trip a 4,000-chunk stream took 477 ms instead of 259. A 4,000-token
 * answer is about 1.1 MB of events: with a 1 MB stream window the server could not finish one without
 * the client's update, and waited a round trip for it whenever it ran half a window ahead. 4 MB per stream lets such an answer (and three at once on
 * the connection) go out whole, and the update sent at half the window reaches the server long before it
 * runs out. A window is only permission to send: a caller that stops reading still stops the stream, with
 * at most this much buffered per stream.
 */
export const H2_STREAM_WINDOW_BYTES = 4 * 1024 * 1024;
export const H2_CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;
/** Idle kept-alive sockets live this long unless the server's keep-alive hint says less. */
const KEEP_ALIVE_MS = 30_000;
/** A server closing a kept connection sooner than this after its last answer is not timing out an idle one. */
const MIN_LEARNED_IDLE_MS = 500;

function nextLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One kept connection (undici Client for HTTP/1.1, Http2Connection for h2) and how many of our requests it carries. */
interface Slot {
  client?: Client;
  h2conn?: Http2Connection;
  dispatcher: RequestDispatcher;
  busy: number;
  connected: boolean;
  h2: boolean;
  /** performance.now() when the slot last became idle (connected, no request of ours on it). */
  idleSince?: number;
}

/**
 * How long before a server's idle timeout a kept HTTP/1.1 connection is given up: a request written as the server
 * closes would be in doubt (sent, no answer, maybe run), so the margin covers a busy process's delay in writing.
 */
function idleRenewMargin(serverIdleMs: number): number {
  return Math.max(100, serverIdleMs / 10);
}

/** What every connection shares; made with the first one, so an unused provider holds almost nothing. */
interface Transport {
  clientOptions: Client.Options;
  overflowOptions: Pool.Options;
}

/**
 * Like urllib3's pool with `block=False`: a request never waits for a free connection. Up to
 * `poolSize` requests share kept-alive sockets; any beyond that get a socket of their own that
 * closes after its response (`connection: close`), so at most `poolSize` idle sockets remain.
 * Over HTTP/2 a kept connection carries many requests at once as streams.
 *
 * The kept slots are chosen here rather than by an undici Pool because a Pool marks a client
 * free only one event-loop turn after its response ends, so a call made right after another
 * would open a second socket instead of reusing the first.
 */
export class ConnectionPool {
  readonly tracker = new ConnectionTracker();
  private readonly slots: Slot[] = [];
  private readonly route: NetworkRoute;
  private shared: Transport | undefined;
  private overflowPool: Pool | undefined;
  private overflowDispatcher: Dispatcher | undefined;
  private closed = false;
  /** Set once a kept connection has told us (by ALPN) whether the origin speaks HTTP/2. */
  private protocolKnown = false;
  /** The origin answered ALPN with HTTP/1.1: new slots are plain undici Clients. */
  private originHttp1 = false;
  /** The origin (or a middlebox) offered h2 and did not speak it: new connections no longer offer h2. */
  private h2Broken = false;
  /** While the first allowH2 connection is being made: settles when its protocol is known or it failed. */
  private negotiating: Promise<void> | undefined;
  private endNegotiation: (() => void) | undefined;
  /**
   * How long the origin lets a kept HTTP/1.1 connection sit idle, learnt from the last one it closed while idle
   * (servers such as nginx do not announce it). Idle connections near that age are renewed, not reused.
   */
  private serverIdleMs: number | undefined;

  constructor(private readonly options: ConnectionPoolOptions) {
    // Checks an explicit proxy URL now, so a bad one fails when the provider is made, not at its first call.
    this.route = new NetworkRoute({ ...options, tracker: this.tracker });
  }

  private transport(): Transport {
    if (this.shared) return this.shared;
    const { options } = this;
    // The route (proxy or not, one TLS context with the trusted CAs) is settled by the first connection.
    const common = {
      headersTimeout: options.headersMs,
      bodyTimeout: options.idleMs,
      keepAliveTimeout: KEEP_ALIVE_MS,
    };
    this.shared = {
      clientOptions: {
        ...common,
        allowH2: options.allowH2,
        maxConcurrentStreams: H2_MAX_STREAMS,
        initialWindowSize: H2_STREAM_WINDOW_BYTES,
        connectionWindowSize: H2_CONNECTION_WINDOW_BYTES,
        connect: this.route.connector({ allowH2: options.allowH2 }),
      },
      // Throwaway sockets stay on HTTP/1.1: an HTTP/2 session would outlive its one request.
      overflowOptions: { ...common, connections: null, connect: this.route.connector({ allowH2: false }) },
    };
    return this.shared;
  }

  /** Made on the first burst beyond poolSize: an undici Pool holds ~18 KB (its request queue) even unused. */
  private get overflow(): Dispatcher {
    if (this.overflowDispatcher) return this.overflowDispatcher;
    this.overflowPool = new (loadUndici().Pool)(this.options.origin, this.transport().overflowOptions);
    this.overflowDispatcher = this.overflowPool.compose(this.tracker.interceptor);
    return this.overflowDispatcher;
  }

  /**
   * With allowH2, calls made while the first connection is still negotiating wait for its answer:
   * if it is h2 they all share it instead of each opening a socket. Otherwise this never waits.
   */
  async acquire(signal?: AbortSignal): Promise<Lease> {
    this.assertOpen();
    if (this.negotiating) await raceAbort(this.negotiating, signal);
    signal?.throwIfAborted();
    let slot = this.pickSlot();
    let renewedBeforeServerIdleMs: number | undefined;
    if (slot && slot.busy === 0 && slot.connected) {
      // An idle kept connection may have been closed by the server a moment ago (keep-alive timeout, restart):
      // its FIN or GOAWAY can sit unread while this process was busy. Writing a POST onto it would leave the
      // request in doubt (sent, no answer, maybe run). Two turns of the event loop include a poll of the
      // sockets, so such a close is seen first and the request goes out on a new connection instead.
      await nextLoopTurn();
      await nextLoopTurn();
      this.assertOpen();
      signal?.throwIfAborted();
      slot = this.pickSlot();
      if (slot && this.closesSoon(slot)) {
        this.renew(slot);
        renewedBeforeServerIdleMs = this.serverIdleMs;
      }
    }
    if (!slot) return { dispatcher: this.overflow, reset: true, release: () => {} };
    const taken = slot;
    taken.busy++;
    let released = false;
    return {
      dispatcher: taken.dispatcher,
      reset: false,
      ...(renewedBeforeServerIdleMs !== undefined ? { renewedBeforeServerIdleMs } : {}),
      release: () => {
        if (!released) {
          released = true;
          if (--taken.busy === 0) taken.idleSince = performance.now();
        }
      },
    };
  }

  /** The idle timeout the origin was seen to close kept HTTP/1.1 connections at, if any (ms). */
  get learnedServerIdleMs(): number | undefined {
    return this.serverIdleMs;
  }

  /** An idle HTTP/1.1 connection the server is about to drop, by the idle timeout it was seen to use. */
  private closesSoon(slot: Slot): boolean {
    if (!slot.client || slot.busy > 0 || !slot.connected || slot.idleSince === undefined || this.serverIdleMs === undefined) return false;
    return performance.now() - slot.idleSince >= this.serverIdleMs - idleRenewMargin(this.serverIdleMs);
  }

  /** Closes the slot's connection and gives it a new client, which connects for the request about to go out. */
  private renew(slot: Slot): void {
    const old = slot.client;
    slot.connected = false;
    slot.idleSince = undefined;
    this.useHttp1(slot, () => {});
    void old?.destroy().catch(() => {});
  }

  /** A kept connection the server closed after `idleMs` without a request: the origin's idle timeout. */
  private learnIdleClose(idleMs: number): void {
    if (idleMs >= MIN_LEARNED_IDLE_MS) this.serverIdleMs = idleMs;
  }

  private assertOpen(): void {
    if (this.closed) throw Object.assign(new Error('the connection pool is closed'), { code: 'UND_ERR_DESTROYED' });
  }

  /** True once a kept connection negotiated HTTP/2. */
  get http2(): boolean {
    return this.slots.some((slot) => slot.h2);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.endNegotiation?.();
    try {
      await Promise.all([
        ...this.slots.map((slot) => slot.client?.destroy()),
        ...this.slots.map((slot) => slot.h2conn?.close()),
        this.overflowPool?.destroy(),
        this.route.close(),
      ]);
    } finally {
      this.tracker.destroyAll();
      this.tracker.dispose();
    }
  }

  /** An idle connected slot, else an idle one, else a new one while under poolSize; over h2 a shared one. */
  private pickSlot(): Slot | undefined {
    // An h2 slot reconnects by itself after a GOAWAY, so it is used while it reconnects.
    const h2 = this.slots.find((slot) => slot.h2 && slot.busy < H2_MAX_STREAMS);
    if (h2) return h2;
    const idle = this.slots.find((slot) => slot.busy === 0 && slot.connected) ?? this.slots.find((slot) => slot.busy === 0);
    if (idle) return idle;
    if (this.slots.length < this.options.poolSize) return this.addSlot();
    return undefined;
  }

  private addSlot(): Slot {
    const slot: Slot = { dispatcher: { dispatch: () => false }, busy: 0, connected: false, h2: false };
    let settle: (() => void) | undefined;
    if (this.options.allowH2 && !this.protocolKnown && !this.negotiating) {
      this.negotiating = new Promise<void>((resolve) => {
        settle = () => {
          this.negotiating = undefined;
          this.endNegotiation = undefined;
          settle = undefined;
          resolve();
        };
      });
      this.endNegotiation = settle;
    }
    const negotiated = (): void => settle?.();
    if (this.options.allowH2 && !this.originHttp1) {
      const { clientOptions } = this.transport();
      const h2conn = new Http2Connection({
        origin: this.options.origin,
        connect: clientOptions.connect as buildConnector.connector,
        initialWindowSize: H2_STREAM_WINDOW_BYTES,
        connectionWindowSize: H2_CONNECTION_WINDOW_BYTES,
        keepAliveMs: KEEP_ALIVE_MS,
        // The server chose HTTP/1.1, or failed at HTTP/2: this slot and every later one are undici Clients.
        http1: (socket) => {
          this.originHttp1 = true;
          this.protocolKnown = true;
          if (!socket) this.h2Broken = true;
          this.useHttp1(slot, negotiated, socket);
          return slot.dispatcher;
        },
        onReuse: () => {
          this.tracker.reusedRequests++;
        },
        onState: (connected, h2) => {
          slot.connected = connected;
          // An h2 slot that lost its connection (GOAWAY) stays h2: it reconnects by itself.
          slot.h2 = h2;
          if (h2) this.protocolKnown = true;
          negotiated();
        },
      });
      slot.h2conn = h2conn;
      slot.dispatcher = h2conn;
    } else {
      this.useHttp1(slot, negotiated);
    }
    this.slots.push(slot);
    return slot;
  }

  /** Gives the slot an HTTP/1.1 undici Client; `socket`, when given, is an already connected first socket. */
  private useHttp1(slot: Slot, negotiated: () => void, socket?: Socket): void {
    const { clientOptions, overflowOptions } = this.transport();
    // Once h2 proved broken, new connections offer HTTP/1.1 alone by ALPN (as the throwaway ones always do).
    const connect = (this.h2Broken ? overflowOptions.connect : clientOptions.connect) as (o: unknown, cb: (err: Error | null, socket: unknown) => void) => void;
    let handed = socket;
    const client = new (loadUndici().Client)(this.options.origin, {
      ...clientOptions,
      // HTTP/2 is spoken by Http2Connection only: undici's h2 client drops accepted streams on GOAWAY.
      allowH2: false,
      connect: (connectOptions, callback) => {
        const first = handed;
        handed = undefined;
        // Handed over asynchronously, as a real connect would: undici ignores a resume from inside its own connect call.
        if (first) queueMicrotask(() => (callback as (e: Error | null, s: unknown) => void)(null, first));
        else connect(connectOptions, callback as (e: Error | null, s: unknown) => void);
      },
    });
    slot.client = client;
    slot.dispatcher = client.compose(this.tracker.interceptor);
    // A renewed slot has a new client: the old one's late events say nothing about the slot.
    client.on('connect', () => {
      if (slot.client !== client) return;
      slot.connected = true;
      slot.idleSince = performance.now();
      this.protocolKnown = true;
      negotiated();
    });
    client.on('disconnect', (_origin, _targets, error) => {
      if (slot.client !== client) return;
      // The server ended the connection while none of our requests was on it: it timed the connection out.
      if (slot.connected && slot.busy === 0 && slot.idleSince !== undefined && closedByServer(error)) this.learnIdleClose(performance.now() - slot.idleSince);
      slot.connected = false;
      negotiated();
    });
    client.on('connectionError', () => negotiated());
  }
}

/** undici's error for a socket the peer ended or reset (its own idle timeout is an informational one). */
function closedByServer(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
}

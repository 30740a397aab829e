// Counts what pooling saves: true sockets opened, DNS lookups made, and which request rode a fresh socket.
import diagnosticsChannel from 'node:diagnostics_channel';
import dns from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { buildConnector, Dispatcher } from 'undici';
import { loadUndici } from './undici';

/** Filled in while an attempt is sent: which socket it used. */
export interface AttemptTag {
  newConnection?: boolean;
  httpVersion?: string;
  /** The pool renewed the kept connection for this attempt, near the server's idle timeout (this many ms). */
  renewedBeforeServerIdleMs?: number;
}

/** The key under which an attempt's tag rides in undici dispatch options. */
export const kAttemptTag = Symbol('openrouter.attemptTag');

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

interface CachedLookup {
  addresses: LookupAddress[];
  expires: number;
}

const SEND_HEADERS = 'undici:client:sendHeaders';

export class ConnectionTracker {
  opened = 0;
  dnsLookups = 0;
  reusedRequests = 0;
  private readonly open = new Set<Socket>();
  private readonly used = new WeakSet<Socket>();
  private readonly dnsCache = new Map<string, CachedLookup>();
  private readonly pendingLookups = new Map<string, Array<(err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void>>();
  private sending: AttemptTag | undefined;
  private readonly onSendHeaders = (message: unknown): void => this.noteSendHeaders(message);

  constructor(private readonly dnsTtlMs = 30_000) {
    diagnosticsChannel.subscribe(SEND_HEADERS, this.onSendHeaders);
  }

  get openConnections(): number {
    return this.open.size;
  }

  /** A connector that counts every socket it opens and resolves names through the cache. */
  connector(options: buildConnector.BuildOptions, via?: (options: buildConnector.BuildOptions) => buildConnector.connector): buildConnector.connector {
    // `via` builds the underlying connector: direct by default, or a proxy tunnel.
    const build = via ?? loadUndici().buildConnector;
    const base = build({ ...options, lookup: this.lookup } as buildConnector.BuildOptions);
    return (connectOptions, callback) => {
      base(connectOptions, (err, socket) => {
        if (socket) {
          this.opened++;
          this.open.add(socket);
          socket.once('close', () => this.open.delete(socket));
          callback(null, socket);
        } else {
          callback(err ?? new Error('connect failed'), null);
        }
      });
    };
  }

  /** Interceptor marking the moment an attempt is written, so the next sendHeaders names its socket. */
  readonly interceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
    const tag = (opts as { [kAttemptTag]?: AttemptTag })[kAttemptTag];
    if (!tag) return dispatch(opts, handler);
    return dispatch(opts, new TaggingHandler(handler, () => { this.sending = tag; }));
  };

  /** A `dns.lookup` replacement with a short-lived cache; concurrent lookups of one name share one query. */
  readonly lookup = (hostname: string, options: LookupOneOptions | LookupAllOptions | number, callback: LookupCallback): void => {
    const opts: LookupOneOptions | LookupAllOptions = typeof options === 'number' ? { family: options } : options;
    const family = typeof opts.family === 'number' ? opts.family : opts.family === 'IPv6' ? 6 : opts.family === 'IPv4' ? 4 : 0;
    const key = `${hostname}/${family}`;
    const answer = (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]): void => {
      if (err) return callback(err, opts.all ? [] : '', undefined);
      if (opts.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '', undefined);
      callback(null, first.address, first.family);
    };
    const cached = this.dnsCache.get(key);
    if (cached && cached.expires > Date.now()) return answer(null, cached.addresses);
    const waiting = this.pendingLookups.get(key);
    if (waiting) {
      waiting.push(answer);
      return;
    }
    this.pendingLookups.set(key, [answer]);
    this.dnsLookups++;
    dns.lookup(hostname, { all: true, family }, (err, addresses) => {
      const waiters = this.pendingLookups.get(key) ?? [];
      this.pendingLookups.delete(key);
      if (!err) this.dnsCache.set(key, { addresses, expires: Date.now() + this.dnsTtlMs });
      for (const waiter of waiters) waiter(err, err ? [] : addresses);
    });
  };

  /** Destroys every socket this tracker opened (the pool's close() already ends the idle ones). */
  destroyAll(): void {
    for (const socket of this.open) socket.destroy();
  }

  dispose(): void {
    diagnosticsChannel.unsubscribe(SEND_HEADERS, this.onSendHeaders);
  }

  private noteSendHeaders(message: unknown): void {
    const { socket } = message as { socket?: Socket };
    const tag = this.sending;
    this.sending = undefined;
    // The channel is process-wide: other undici clients publish on it too.
    if (!socket || !tag || !this.open.has(socket)) return;
    const fresh = !this.used.has(socket);
    this.used.add(socket);
    tag.newConnection = fresh;
    tag.httpVersion = (socket as TLSSocket).alpnProtocol === 'h2' ? '2' : '1.1';
    if (!fresh) this.reusedRequests++;
  }
}

/** Delegates every callback, noting when the request is about to be written. */
class TaggingHandler implements Dispatcher.DispatchHandler {
  constructor(private readonly inner: Dispatcher.DispatchHandler, private readonly onStart: () => void) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.onStart();
    this.inner.onRequestStart?.(controller, context);
  }

  // Plain parameters rather than rest arguments: onResponseData runs once per body chunk.
  onRequestUpgrade(controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders, socket: Duplex): void {
    this.inner.onRequestUpgrade?.(controller, status, headers, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders, message: string): void {
    this.inner.onResponseStart?.(controller, status, headers, message);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.inner.onResponseError?.(controller, error);
  }
}

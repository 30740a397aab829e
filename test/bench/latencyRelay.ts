// A loopback TCP relay that gives a plain socket the timing of a real network path: every chunk waits
// a one-way latency in each direction (order kept), and a new connection is usable only after one
// round trip, as after a TCP handshake. TLS passes through untouched, so its handshake pays real RTTs.
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface LatencyRelayOptions {
  /** Where the relay forwards to (the emulator). */
  targetHost: string;
  targetPort: number;
  /** Delay added to every chunk in each direction, ms. Default 20 (so RTT 40). */
  oneWayMs?: number;
  host?: string;
  port?: number;
}

export interface LatencyRelay {
  readonly host: string;
  readonly port: number;
  readonly oneWayMs: number;
  /** Connections accepted since start or the last reset. */
  connections(): number;
  /** Connections open right now. */
  openConnections(): number;
  reset(): void;
  close(): Promise<void>;
}

// Timers fire up to ~1 ms late; waking this much early and finishing on the check queue keeps each
// hop within a fraction of a millisecond of its modelled delay.
const timerSlackMs = 1.5;

/** Delivers chunks to `sink` in order, each no earlier than its due time. */
class DelayedPipe {
  private readonly queue: Array<{ due: number; chunk: Buffer }> = [];
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private ended = false;
  private endDue = 0;
  private closed = false;

  constructor(
    private readonly sink: net.Socket,
    private readonly delayMs: number,
    /** Nothing leaves before this moment (the connection is still being set up). */
    private readonly notBefore: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.closed) return;
    this.queue.push({ due: Math.max(performance.now(), this.notBefore) + this.delayMs, chunk });
    this.schedule();
  }

  end(): void {
    if (this.closed || this.ended) return;
    this.ended = true;
    this.endDue = Math.max(performance.now(), this.notBefore) + this.delayMs;
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private nextDue(): number | undefined {
    if (this.queue.length > 0) return this.queue[0]!.due;
    return this.ended ? this.endDue : undefined;
  }

  private schedule(): void {
    if (this.timer || this.polling) return;
    const due = this.nextDue();
    if (due === undefined) return;
    const wait = due - performance.now() - timerSlackMs;
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.poll();
      }, wait);
    } else {
      this.poll();
    }
  }

  private poll(): void {
    if (this.closed) return;
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.due <= now) {
      const { chunk } = this.queue.shift()!;
      this.sink.write(chunk);
    }
    if (this.queue.length === 0 && this.ended && this.endDue <= now) {
      this.closed = true;
      this.sink.end();
      return;
    }
    const due = this.nextDue();
    if (due === undefined) return;
    if (due - now > timerSlackMs) {
      this.schedule();
    } else {
      this.polling = true;
      setImmediate(() => {
        this.polling = false;
        this.poll();
      });
    }
  }
}

export function startLatencyRelay(options: LatencyRelayOptions): Promise<LatencyRelay> {
  const oneWayMs = options.oneWayMs ?? 20;
  const host = options.host ?? '127.0.0.1';
  let accepted = 0;
  const open = new Set<net.Socket>();
  const clients = new Set<net.Socket>();

  // Half-open on both legs: a FIN travels through the delay like data, never cutting queued bytes.
  const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (client) => {
    accepted++;
    const connectedAt = performance.now();
    // The client's first bytes (its TLS ClientHello) go out after the handshake's ACK, one RTT in.
    const usableAt = connectedAt + 2 * oneWayMs;
    const upstream = net.connect({ host: options.targetHost, port: options.targetPort, noDelay: true, allowHalfOpen: true });
    open.add(client);
    open.add(upstream);
    clients.add(client);
    client.once('close', () => {
      open.delete(client);
      clients.delete(client);
    });
    upstream.once('close', () => open.delete(upstream));
    const toServer = new DelayedPipe(upstream, oneWayMs, usableAt);
    // The server's first bytes cannot leave before the client's first bytes reached it.
    const toClient = new DelayedPipe(client, oneWayMs, usableAt);
    client.on('data', (chunk: Buffer) => toServer.push(chunk));
    upstream.on('data', (chunk: Buffer) => toClient.push(chunk));
    client.on('end', () => toServer.end());
    upstream.on('end', () => toClient.end());
    let tornDown = false;
    const teardown = (): void => {
      if (tornDown) return;
      tornDown = true;
      toServer.close();
      toClient.close();
      client.destroy();
      upstream.destroy();
    };
    // An abrupt close (reset, error) reaches the other side one way later; a graceful one went through the pipes.
    const onClose = (graceful: () => boolean) => (hadError: boolean) => {
      if (hadError || !graceful()) setTimeout(teardown, oneWayMs);
      else if (client.destroyed && upstream.destroyed) teardown();
    };
    let clientEnded = false;
    let upstreamEnded = false;
    client.once('end', () => (clientEnded = true));
    upstream.once('end', () => (upstreamEnded = true));
    client.on('error', () => setTimeout(teardown, oneWayMs));
    upstream.on('error', () => setTimeout(teardown, oneWayMs));
    client.on('close', onClose(() => clientEnded));
    upstream.on('close', onClose(() => upstreamEnded));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        host,
        port: address.port,
        oneWayMs,
        connections: () => accepted,
        openConnections: () => clients.size,
        reset: () => {
          accepted = 0;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of open) socket.destroy();
            open.clear();
            server.close(() => done());
          }),
      });
    });
  });
}

// A real HTTP CONNECT proxy on loopback for tests: tunnels to loopback targets only, counts what it does,
// and can be told to refuse (403/407), to demand credentials, or to never answer.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ConnectProxyOptions {
  /** Serve the proxy itself over TLS (an `https://` proxy) with this certificate. */
  tls?: { cert: string; key: string };
  /** Refuse every CONNECT with this status (403 Forbidden, 407 Proxy Authentication Required). */
  refuseWith?: number;
  /** Tunnel only when `Proxy-Authorization` equals this; otherwise 407. */
  requireAuthorization?: string;
  /** Read CONNECT requests but never answer them. */
  silent?: boolean;
}

export interface ConnectProxy {
  readonly url: string;
  readonly port: number;
  /** CONNECT requests received, answered or not. */
  readonly connects: number;
  /** Tunnels established (answered 200). */
  readonly tunnels: number;
  /** Tunnels open now. */
  readonly openTunnels: number;
  /** CONNECT requests refused. */
  readonly refused: number;
  /** `host:port` of each CONNECT, in order. */
  readonly targets: readonly string[];
  /** `Proxy-Authorization` header of each CONNECT (undefined when absent). */
  readonly authorizations: ReadonlyArray<string | undefined>;
  options: ConnectProxyOptions;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

const REASONS: Record<number, string> = { 403: 'Forbidden', 407: 'Proxy Authentication Required', 502: 'Bad Gateway' };

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }) : http.createServer();
  const sockets = new Set<net.Socket>();
  const state = {
    connects: 0,
    tunnels: 0,
    refused: 0,
    targets: [] as string[],
    authorizations: [] as Array<string | undefined>,
    options,
  };
  const open = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  server.on('secureConnection', track);
  // A plain request to the proxy (not CONNECT) is not something the provider should ever send.
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(405, { 'content-type': 'text/plain' }).end('This test proxy only tunnels (CONNECT).\n');
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    state.connects++;
    const target = req.url ?? '';
    state.targets.push(target);
    const authorization = req.headers['proxy-authorization'];
    state.authorizations.push(authorization);
    client.on('error', () => client.destroy());
    const current = state.options;
    if (current.silent) return;
    const refuse = (status: number): void => {
      state.refused++;
      client.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Refused'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    };
    if (current.refuseWith) return refuse(current.refuseWith);
    if (current.requireAuthorization !== undefined && authorization !== current.requireAuthorization) return refuse(407);
    const { hostname, port } = new URL(`http://${target}`);
    // Tests must never reach beyond this machine, whatever a client asks for.
    if (!LOOPBACK.has(hostname) || !port) return refuse(403);
    const upstream = net.connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname.replace(/^\[|\]$/g, ''));
    track(upstream);
    upstream.on('error', () => {
      if (upstream.connecting) refuse(502);
      client.destroy();
    });
    upstream.once('connect', () => {
      state.tunnels++;
      open.add(upstream);
      upstream.once('close', () => open.delete(upstream));
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url,
    port,
    get connects() { return state.connects; },
    get tunnels() { return state.tunnels; },
    get openTunnels() { return open.size; },
    get refused() { return state.refused; },
    get targets() { return state.targets; },
    get authorizations() { return state.authorizations; },
    get options() { return state.options; },
    set options(next: ConnectProxyOptions) { state.options = next; },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }),
  };
}

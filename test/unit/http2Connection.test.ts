// The provider's HTTP/2 connection on its own, over real TLS sockets: PINGs keep a live connection and
// end a dead one quickly instead of leaving its calls to their (long) timeouts.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import type { Dispatcher } from 'undici';
import { makeServerCertificate } from '../emulator/tls';
import { Http2Connection } from '../../src/openrouter/http2Connection';
import { loadUndici } from '../../src/openrouter/undici';

interface Rig {
  origin: string;
  connection: Http2Connection;
  /** From now on nothing the server sends reaches the client, as on a connection a NAT forgot. */
  freeze(): void;
  close(): Promise<void>;
}

/** An h2 server answering `GET /slow?ms=N` after N ms, reached through a relay that can go silent. */
async function rig(pingIntervalMs: number): Promise<Rig> {
  const certificate = await makeServerCertificate('HTTP/2 connection test CA');
  const server = http2.createSecureServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    const ms = Number(new URL(req.url, 'https://x').searchParams.get('ms') ?? 0);
    const timer = setTimeout(() => res.end('done'), ms);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const serverPort = (server.address() as net.AddressInfo).port;
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect(serverPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (!frozen) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const origin = `https://localhost:${(relay.address() as net.AddressInfo).port}`;
  const connect = loadUndici().buildConnector({ ca: certificate.ca, allowH2: true } as Parameters<ReturnType<typeof loadUndici>['buildConnector']>[0]);
  const connection = new Http2Connection({
    origin,
    connect,
    initialWindowSize: 65_535,
    connectionWindowSize: 65_535,
    keepAliveMs: 30_000,
    pingIntervalMs,
    http1: () => {
      throw new Error('the test server speaks HTTP/2');
    },
  });
  return {
    origin,
    connection,
    freeze: () => {
      frozen = true;
    },
    close: async () => {
      await connection.close();
      for (const socket of sockets) socket.destroy();
      await Promise.all([new Promise((resolve) => relay.close(resolve)), new Promise((resolve) => server.close(resolve))]);
    },
  };
}

/** Sends a GET and settles with its status or its error. */
function get(connection: Http2Connection, origin: string, path: string): Promise<{ status?: number; error?: Error }> {
  return new Promise((resolve) => {
    let status = 0;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: () => {},
      onResponseStart: (_controller, code) => {
        status = code;
      },
      onResponseData: () => {},
      onResponseEnd: () => resolve({ status }),
      onResponseError: (_controller, error) => resolve({ error }),
    };
    connection.dispatch({ origin, path, method: 'GET', headersTimeout: 60_000, bodyTimeout: 60_000 }, handler);
  });
}

describe('HTTP/2 connection liveness', () => {
  it('keeps a living connection through many PINGs: a slow answer arrives', async () => {
    const { connection, origin, close } = await rig(50);
    try {
      assert.deepEqual(await get(connection, origin, '/slow?ms=600'), { status: 200 });
    } finally {
      await close();
    }
  });

  it('ends a connection that stopped answering within two PING intervals, failing its calls at once', async () => {
    const { connection, origin, freeze, close } = await rig(200);
    try {
      assert.deepEqual(await get(connection, origin, '/slow?ms=0'), { status: 200 });
      freeze();
      const started = performance.now();
      const outcome = await get(connection, origin, '/slow?ms=30000');
      const elapsed = performance.now() - started;
      assert.match(String(outcome.error?.message), /stopped answering|closed|reset/);
      assert.ok(elapsed < 5_000, `failed after ${Math.round(elapsed)} ms, not at the 60 s headers timeout`);
    } finally {
      await close();
    }
  });
});

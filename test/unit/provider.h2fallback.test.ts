// A server or middlebox that offers HTTP/2 by ALPN and then does not speak it: the provider must notice
// on the first connection and carry on over HTTP/1.1 by itself, sending each completion exactly once.
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { startEmulator } from '../emulator/index';
import { makeServerCertificate } from '../emulator/tls';
import type { Emulator } from '../emulator/types';
import type { RequestRecord } from '../../src/openrouter/index';
import { chat, makeProvider } from '../support/providerHarness';

interface BrokenFront {
  baseUrl: string;
  ca: string;
  counts: { h2: number; http1: number };
  close(): Promise<void>;
}

/** Listens on a free loopback port; closing ends every connection the front still holds. */
async function listening(server: net.Server, sockets: Set<net.Socket>, ca: string, counts: BrokenFront['counts']): Promise<BrokenFront> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    baseUrl: `https://localhost:${port}/api/v1`,
    ca,
    counts,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** TLS in front of the emulator: offers h2 and http/1.1; an h2 connection gets an HTTP/1.1 error line and is closed. */
async function brokenH2Front(emulator: Emulator): Promise<BrokenFront> {
  const certificate = await makeServerCertificate('Broken h2 front CA');
  const counts = { h2: 0, http1: 0 };
  const sockets = new Set<net.Socket>();
  const upstreamPort = Number(new URL(emulator.baseUrl).port);
  const server = tls.createServer({ key: certificate.key, cert: certificate.cert, ALPNProtocols: ['h2', 'http/1.1'] }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (socket.alpnProtocol === 'h2') {
      counts.h2++;
      socket.end('HTTP/1.1 505 HTTP Version Not Supported\r\nconnection: close\r\n\r\n');
      return;
    }
    counts.http1++;
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  return listening(server, sockets, certificate.ca, counts);
}

describe('provider with allowH2 against a server that offers HTTP/2 and does not speak it', () => {
  let emulator: Emulator;
  let front: BrokenFront;

  beforeEach(async () => {
    emulator = await startEmulator();
    front = await brokenH2Front(emulator);
  });

  afterEach(async () => {
    await front.close();
    await emulator.close();
  });

  it('falls back to HTTP/1.1 by itself on the first call, and sends every completion once', async () => {
    const provider = makeProvider(emulator, { baseUrl: front.baseUrl, ca: front.ca, allowH2: true, maxRetries: 0 });
    const records: RequestRecord[] = [];
    provider.onRequest((record) => records.push(record));
    try {
      const first = await provider.execute(chat('first'));
      assert.match(String(first.choices[0]?.message.content), /You said: first/);
      const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => provider.execute(chat(`burst ${i}`))));
      burst.forEach((completion, i) => assert.match(String(completion.choices[0]?.message.content), new RegExp(`burst ${i}`)));
      assert.ok((await provider.validateConfig()).ok);
      assert.equal(emulator.counters().requestsByPath['/chat/completions'], 9);
      assert.deepEqual([...new Set(records.map((r) => r.httpVersion))], ['1.1']);
      assert.equal(records.filter((r) => r.error).length, 0, 'no attempt failed');
      assert.equal(front.counts.h2, 1, 'HTTP/2 was tried once, then never offered again');
    } finally {
      await provider.close();
    }
  });
});

/**
 * An HTTP/2 server that resets every HTTP/2 stream with HTTP_1_1_REQUIRED (as servers that need HTTP/1.1
 * for a request do) and serves HTTP/1.1 by passing requests to the emulator.
 */
async function http1RequiredFront(emulator: Emulator): Promise<BrokenFront> {
  const certificate = await makeServerCertificate('HTTP/1.1-required front CA');
  const counts = { h2: 0, http1: 0 };
  const upstream = new URL(emulator.baseUrl);
  const server = http2.createSecureServer({ key: certificate.key, cert: certificate.cert, allowHTTP1: true }, (req, res) => {
    if (req.httpVersion === '2.0') {
      counts.h2++;
      req.stream.close(http2.constants.NGHTTP2_HTTP_1_1_REQUIRED);
      return;
    }
    counts.http1++;
    const headers = { ...req.headers, host: upstream.host };
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers as http.OutgoingHttpHeaders);
      answer.pipe(res as unknown as NodeJS.WritableStream);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return listening(server, sockets, certificate.ca, counts);
}

describe('provider with allowH2 against a server that answers HTTP/2 streams with HTTP_1_1_REQUIRED', () => {
  let emulator: Emulator;
  let front: BrokenFront;

  beforeEach(async () => {
    emulator = await startEmulator();
    front = await http1RequiredFront(emulator);
  });

  afterEach(async () => {
    await front.close();
    await emulator.close();
  });

  it('sends the refused request again over HTTP/1.1 and stays there, every completion once', async () => {
    const provider = makeProvider(emulator, { baseUrl: front.baseUrl, ca: front.ca, allowH2: true, maxRetries: 0 });
    const records: RequestRecord[] = [];
    provider.onRequest((record) => records.push(record));
    try {
      const first = await provider.execute(chat('needs 1.1'));
      assert.match(String(first.choices[0]?.message.content), /You said: needs 1\.1/);
      await Promise.all(Array.from({ length: 4 }, (_, i) => provider.execute(chat(`then ${i}`))));
      assert.equal(emulator.counters().requestsByPath['/chat/completions'], 5);
      assert.equal(front.counts.h2, 1, 'one HTTP/2 stream was refused, then HTTP/1.1 only');
      assert.equal(front.counts.http1, 5);
      assert.deepEqual([...new Set(records.map((r) => r.httpVersion))], ['1.1']);
      assert.equal(records.filter((r) => r.error).length, 0, 'no attempt failed');
    } finally {
      await provider.close();
    }
  });
});

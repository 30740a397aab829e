import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { startLatencyRelay } from '../bench/latencyRelay';
import type { LatencyRelay } from '../bench/latencyRelay';
import { startEmulator } from '../emulator/index';
import { OpenRouterProvider } from '../../src/openrouter/index';

/** Reads from the socket until `bytes` have arrived. */
function readBytes(socket: net.Socket, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= bytes) {
        socket.off('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

describe('the latency relay used by the connection-reuse measurements', () => {
  const oneWayMs = 15;
  let echo: net.Server;
  let relay: LatencyRelay;

  before(async () => {
    echo = net.createServer({ allowHalfOpen: true }, (socket) => socket.pipe(socket));
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    relay = await startLatencyRelay({ targetHost: '127.0.0.1', targetPort: (echo.address() as net.AddressInfo).port, oneWayMs });
  });
  after(async () => {
    await relay.close();
    echo.close();
  });
  beforeEach(() => relay.reset());

  async function connect(): Promise<net.Socket> {
    const socket = net.connect({ host: relay.host, port: relay.port, noDelay: true });
    await once(socket, 'connect');
    return socket;
  }

  it('makes a new connection cost one round trip before the first exchange, and each exchange one more', async () => {
    const started = performance.now();
    const socket = await connect();
    socket.write('ping');
    await readBytes(socket, 4);
    const first = performance.now() - started;
    const again = performance.now();
    socket.write('pong');
    await readBytes(socket, 4);
    const second = performance.now() - again;
    socket.destroy();
    assert.ok(first >= 4 * oneWayMs - 1, `handshake + exchange took ${first.toFixed(1)} ms, under two round trips`);
    assert.ok(second >= 2 * oneWayMs - 1, `an exchange took ${second.toFixed(1)} ms, under one round trip`);
  });

  it('keeps the byte order of many small writes', async () => {
    const socket = await connect();
    const parts = Array.from({ length: 300 }, (_, i) => `${i},`);
    const expected = parts.join('');
    const received = readBytes(socket, expected.length);
    for (const part of parts) socket.write(part);
    assert.equal((await received).toString(), expected);
    socket.destroy();
  });

  it('delivers everything queued before passing on an end of stream', async () => {
    const socket = await connect();
    const body = 'x'.repeat(64 * 1024);
    const received = readBytes(socket, body.length);
    socket.end(body);
    assert.equal((await received).length, body.length);
    await once(socket, 'close');
  });

  it('counts each connection it accepts', async () => {
    const sockets = [await connect(), await connect(), await connect()];
    assert.equal(relay.connections(), 3);
    for (const socket of sockets) socket.destroy();
  });

  it('passes TLS through untouched: the emulator certificate is verified end to end', async () => {
    const emulator = await startEmulator({ tls: true, modelCount: 20 });
    const tlsRelay = await startLatencyRelay({ targetHost: '127.0.0.1', targetPort: emulator.port, oneWayMs: 5 });
    const baseUrl = new URL(emulator.baseUrl);
    baseUrl.port = String(tlsRelay.port);
    const trusting = new OpenRouterProvider({ apiKey: 'sk-or-v1-test', baseUrl: baseUrl.href, ca: emulator.ca, maxRetries: 0 });
    const untrusting = new OpenRouterProvider({ apiKey: 'sk-or-v1-test', baseUrl: baseUrl.href, maxRetries: 0 });
    try {
      assert.ok((await trusting.listModels()).length > 0);
      await trusting.listModels();
      await assert.rejects(untrusting.listModels(), 'a client without the test CA is refused');
      assert.equal(tlsRelay.connections(), 2);
      assert.equal(emulator.counters().requestsByPath['/models'], 2);
    } finally {
      await trusting.close();
      await untrusting.close();
      await tlsRelay.close();
      await emulator.close();
    }
  });
});

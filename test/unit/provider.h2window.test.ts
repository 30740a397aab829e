import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { H2_STREAM_WINDOW_BYTES } from '../../src/openrouter/pool';
import { OpenRouterProvider } from '../../src/openrouter/index';
import { startEmulator } from '../emulator/index';
import { makeServerCertificate } from '../emulator/tls';
import type { Emulator } from '../emulator/types';
import { KEY, MODEL, makeProvider } from '../support/providerHarness';
import { writeUntilHeld } from './fixtures/writeUntilHeld';

/**
 * A loopback TCP hop between the provider and the emulator whose client-to-server direction can be shut.
 * Once shut, whatever the client sends is held here and reported: over HTTP/2, after the requests went
 * out, that can only be a WINDOW_UPDATE the server would be waiting for.
 */
class ClientGate {
  private shut = false;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private onHeld: ((bytes: number) => void) | undefined;
  /** Settles with the number of bytes as soon as the client sends any while the gate is shut. */
  readonly held: Promise<number>;

  private constructor(target: number) {
    this.held = new Promise((resolve) => (this.onHeld = resolve));
    this.server = net.createServer((client) => {
      const upstream = net.connect({ host: '127.0.0.1', port: target });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => this.sockets.delete(socket));
      }
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
      client.on('data', (chunk: Buffer) => {
        if (this.shut) this.onHeld?.(chunk.length);
        else upstream.write(chunk);
      });
      client.on('end', () => upstream.end());
      upstream.on('end', () => client.end());
    });
  }

  static async start(target: number): Promise<ClientGate> {
    const gate = new ClientGate(target);
    await new Promise<void>((resolve) => gate.server.listen(0, '127.0.0.1', resolve));
    return gate;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** From now on nothing the client sends reaches the server. */
  shutClientToServer(): void {
    this.shut = true;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const CHUNKS = 4000;
const prompt = (chunks: number): string => `Tell a long story. [[chunks:${chunks}]]`;

describe('provider over HTTP/2: flow control', () => {
  let emulator: Emulator;
  let gate: ClientGate;

  beforeEach(async () => {
    emulator = await startEmulator({ tls: true, serverDelayMs: 0 });
    gate = await ClientGate.start(emulator.port);
  });

  afterEach(async () => {
    await gate.close();
    await emulator.close();
  });

  function providerThroughGate(): ReturnType<typeof makeProvider> {
    const baseUrl = new URL(emulator.baseUrl);
    baseUrl.port = String(gate.port);
    return makeProvider(emulator, { apiKey: KEY, baseUrl: baseUrl.href.replace(/\/$/, ''), allowH2: true });
  }

  it('lets the server send three 4,000-token answers at once without waiting for a window update from the client', async () => {
    const provider = providerThroughGate();
    try {
      // The connection's set-up (the client acknowledges the server's SETTINGS when they arrive with the
      // first answer) is done before the gate can shut.
      assert.ok((await provider.listModels()).length > 0);
      let begun = 0;
      let ended = 0;
      const answer = async (): Promise<number> => {
        let content = 0;
        for await (const chunk of provider.streamExecute({ model: MODEL, messages: [{ role: 'user', content: prompt(CHUNKS) }] })) {
          if (!chunk.choices[0]?.delta.content) continue;
          // Every request has reached the server once every answer has begun: from here on the client only
          // reads. A server that must hear from it again (its window used up) would wait a round trip.
          if (content++ === 0 && ++begun === 3) gate.shutClientToServer();
        }
        ended++;
        return content;
      };
      const answers = Promise.all([answer(), answer(), answer()]);
      // Before any answer has ended, the only thing the client can send is a window update; once one has,
      // it closes that stream (RST_STREAM, NO_ERROR), which the server never waits for.
      const windowUpdate = gate.held.then((bytes) => (ended === 0 ? `the client had to send ${bytes} bytes (a window update) before the answers could end` : new Promise<never>(() => {})));
      const outcome = await Promise.race([answers, windowUpdate]);
      assert.deepEqual(outcome, [CHUNKS, CHUNKS, CHUNKS]);
      assert.equal(emulator.counters().tlsHandshakes, 1, 'the three answers shared one HTTP/2 connection');
    } finally {
      await provider.close();
    }
  });

  it('still reads an answer longer than the window whole, granting more as it reads', async () => {
    const provider = providerThroughGate();
    try {
      // About 4.5 MB of events: beyond the stream's window, so the client must grant more along the way.
      const chunks = 16_000;
      let content = 0;
      for await (const chunk of provider.streamExecute({ model: MODEL, messages: [{ role: 'user', content: prompt(chunks) }] })) {
        if (chunk.choices[0]?.delta.content) content++;
      }
      assert.equal(content, chunks);
    } finally {
      await provider.close();
    }
  });
});

describe('provider over HTTP/2: a caller that stops reading', () => {
  /** How long the server must stay unable to write before the test calls it held back (as in the HTTP/1.1 test). */
  const HELD_MS = 400;
  const EVENTS = 50_000;
  const event = (i: number): string => `data: ${JSON.stringify({ id: 'gen-h2bp', choices: [{ index: 0, delta: { content: `${i}:${'x'.repeat(1000)}` } }] })}\n\n`;

  it('holds the server at the stream window while nothing is read, then delivers every chunk in order', async () => {
    const certificate = await makeServerCertificate('HTTP/2 backpressure test CA');
    let sent = 0;
    let settle: (value: 'held' | 'finished') => void = () => {};
    const outcome = new Promise<'held' | 'finished'>((resolve) => (settle = resolve));
    const server = http2.createSecureServer({ cert: certificate.cert, key: certificate.key });
    server.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      writeUntilHeld(res, { events: EVENTS, event, heldMs: HELD_MS, onBytes: (bytes) => (sent += bytes), settle });
    });
    const sessions = new Set<http2.ServerHttp2Session>();
    server.on('session', (session) => sessions.add(session));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const provider = new OpenRouterProvider({ apiKey: 'sk-or-v1-h2backpressure', baseUrl: `https://localhost:${(server.address() as AddressInfo).port}/api/v1`, allowH2: true, ca: certificate.ca });
    try {
      const stream = provider.streamExecute({ model: 'm', messages: [{ role: 'user', content: 'long' }] });
      assert.equal((await stream.next()).done, false);
      // A wide window is permission to send, not an obligation to buffer: with the caller holding the first
      // chunk, the server gets no further than the stream's window (and what its own socket buffers hold).
      assert.equal(await outcome, 'held', 'the server could write the whole answer although nobody read it');
      assert.ok(sent < H2_STREAM_WINDOW_BYTES + 1024 * 1024, `sent ${sent} bytes with a ${H2_STREAM_WINDOW_BYTES}-byte window`);
      let expected = 1;
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta.content ?? '';
        assert.equal(content.slice(0, content.indexOf(':')), String(expected), 'chunks arrive in order, none lost');
        expected++;
      }
      assert.equal(expected, EVENTS);
    } finally {
      await provider.close();
      for (const session of sessions) session.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

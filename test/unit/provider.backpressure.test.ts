import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenRouterProvider } from '../../src/openrouter/index';
import { writeUntilHeld } from './fixtures/writeUntilHeld';

const EVENTS = 50_000;
const CONTENT = 'x'.repeat(1000);
const event = (i: number): string => `data: ${JSON.stringify({ id: 'gen-bp', choices: [{ index: 0, delta: { content: `${i}:${CONTENT}` } }] })}\n\n`;
const totalBytes = (() => {
  let bytes = 0;
  for (let i = 0; i < EVENTS; i++) bytes += Buffer.byteLength(event(i));
  return bytes;
})();

/** How long the server must stay unable to write before the test calls it held back. */
const HELD_MS = 400;

describe('provider streaming to a slow reader', () => {
  let server: http.Server;
  let sent = 0;
  /** Settles with 'held' once the server has waited HELD_MS for the client to read, or 'finished' when it wrote everything. */
  let outcome: Promise<'held' | 'finished'>;

  beforeEach(async () => {
    sent = 0;
    let settle: (value: 'held' | 'finished') => void = () => {};
    outcome = new Promise((resolve) => (settle = resolve));
    server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      writeUntilHeld(res, { events: EVENTS, event, heldMs: HELD_MS, onBytes: (bytes) => (sent += bytes), settle });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('stops reading the socket while the caller is not pulling, then delivers every chunk in order', async () => {
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    const provider = new OpenRouterProvider({ apiKey: 'sk-or-v1-backpressure', baseUrl });
    try {
      const stream = provider.streamExecute({ model: 'm', messages: [{ role: 'user', content: 'long' }] });
      const first = await stream.next();
      assert.equal(first.done, false);
      // The caller holds on to the first chunk; the answer keeps coming and must not pile up in memory.
      assert.equal(await outcome, 'held', 'the server could write the whole answer although nobody read it');
      assert.ok(sent < totalBytes / 4, `only what the socket buffers hold was sent while the caller waited: ${sent} of ${totalBytes} bytes`);
      let expected = 1;
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta.content ?? '';
        assert.equal(content.slice(0, content.indexOf(':')), String(expected), 'chunks arrive in order, none lost');
        expected++;
      }
      assert.equal(expected, EVENTS);
      assert.equal(provider.stats().inFlight, 0);
    } finally {
      await provider.close();
    }
  });
});

import assert from 'node:assert/strict';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { OpenRouterProvider } from '../../src/openrouter/index';
import { H2_CONNECTION_WINDOW_BYTES, H2_STREAM_WINDOW_BYTES } from '../../src/openrouter/pool';
import { makeServerCertificate } from '../emulator/tls';

describe('provider over HTTP/2: flow control', () => {
  it('lets the server send 1 MB per stream and 4 MB per connection before it must wait, and reads a 3 MB answer whole', async () => {
    const certificate = await makeServerCertificate('HTTP/2 window test CA');
    const models = Array.from({ length: 6000 }, (_, i) => ({ id: `vendor/model-${i}`, name: `Model ${i}`, description: 'x'.repeat(480) }));
    const body = JSON.stringify({ data: models });
    let session: http2.ServerHttp2Session | undefined;
    let granted: { stream?: number; connection?: number } = {};
    const server = http2.createSecureServer({ cert: certificate.cert, key: certificate.key });
    server.on('session', (s) => {
      session = s;
    });
    server.on('stream', (stream) => {
      // What the client allowed before this answer's first byte: its SETTINGS and its connection WINDOW_UPDATE.
      granted = { stream: session?.remoteSettings.initialWindowSize, connection: session?.state.remoteWindowSize };
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const provider = new OpenRouterProvider({ apiKey: 'sk-or-v1-h2window', baseUrl: `https://localhost:${(server.address() as AddressInfo).port}/api/v1`, allowH2: true, ca: certificate.ca });
    try {
      const list = await provider.listModels();
      assert.equal(list.length, models.length);
      assert.equal(list.at(-1)?.id, 'vendor/model-5999');
      assert.ok(body.length > 3 * 1024 * 1024);
      assert.equal(granted.stream, H2_STREAM_WINDOW_BYTES);
      assert.ok((granted.connection ?? 0) >= H2_CONNECTION_WINDOW_BYTES - 65_535, `connection window ${granted.connection}`);
    } finally {
      await provider.close();
      session?.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

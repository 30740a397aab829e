import assert from 'node:assert/strict';
import http2 from 'node:http2';
import https from 'node:https';
import type tls from 'node:tls';
import { Agent, request } from 'undici';
import { startEmulator, type Emulator } from '../index';
import { auth, send } from '../rawClient';
import { waitFor } from '../../support/waitFor';

/** One HTTP/2 request on a session; resolves with status, headers and body, or rejects on a stream error. */
function h2Request(session: http2.ClientHttp2Session, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': path, ':method': body === undefined ? 'GET' : 'POST', 'content-type': 'application/json', ...headers });
    let status = 0;
    let responseHeaders: http2.IncomingHttpHeaders = {};
    let text = '';
    req.setEncoding('utf8');
    req.on('response', (h) => ((status = Number(h[':status'])), (responseHeaders = h)));
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve({ status, headers: responseHeaders, body: text }));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('emulator over TLS', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ tls: true });
  });
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('serves HTTPS on an https base URL with a CA clients can trust', () => {
    assert.match(emulator.baseUrl, /^https:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    assert.match(emulator.ca ?? '', /^-----BEGIN CERTIFICATE-----/);
  });

  it('refuses clients that do not trust the CA (verification stays on)', async () => {
    await assert.rejects(send(emulator.origin, { path: '/api/v1/models' }), /self[- ]signed|unable to verify|certificate/i);
  });

  it('negotiates HTTP/1.1 by ALPN', async () => {
    const alpn = await new Promise<string | false>((resolve, reject) => {
      const options: https.RequestOptions & tls.ConnectionOptions = { ca: emulator.ca, ALPNProtocols: ['http/1.1'], agent: false };
      const req = https.get(`${emulator.baseUrl}/models`, options, (res) => {
        resolve((res.socket as tls.TLSSocket).alpnProtocol ?? false);
        res.resume();
      });
      req.on('error', reject);
    });
    assert.equal(alpn, 'http/1.1');
    await waitFor('the handshake to be counted', () => emulator.counters().tlsHandshakes === 1);
    assert.equal(emulator.requests()[0]?.httpVersion, '1.1');
  });

  it('negotiates HTTP/2 by ALPN, and the streams of one session share one connection', async () => {
    const session = http2.connect(emulator.origin, { ca: emulator.ca });
    try {
      const [a, b, c] = await Promise.all([
        h2Request(session, '/api/v1/models'),
        h2Request(session, '/api/v1/key', auth()),
        h2Request(session, '/api/v1/chat/completions', auth(), { model: 'openai/gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      ]);
      assert.equal(session.alpnProtocol, 'h2');
      assert.deepEqual([a.status, b.status, c.status], [200, 200, 200]);
      assert.ok(c.headers['x-generation-id']);
      assert.ok(c.body.endsWith('data: [DONE]\n\n'));
      const counters = emulator.counters();
      assert.equal(counters.connectionsAccepted, 1);
      assert.equal(counters.tlsHandshakes, 1);
      assert.equal(new Set(emulator.requests().map((r) => `${r.httpVersion}#${r.connectionId}`)).size, 1);
      assert.equal(emulator.requests()[0]?.httpVersion, '2.0');
    } finally {
      session.close();
    }
  });

  it('counts an HTTP/2 stream the client cancels, and resets a stream for a drop fault', async () => {
    const session = http2.connect(emulator.origin, { ca: emulator.ca });
    try {
      await new Promise<void>((resolve, reject) => {
        const req = session.request({ ':path': '/api/v1/chat/completions', ':method': 'POST', ...auth() });
        let events = 0;
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => {
          events += chunk.split('\n\n').length - 1;
          if (events >= 3 && !req.closed) req.close(http2.constants.NGHTTP2_CANCEL);
        });
        req.on('close', () => resolve());
        req.on('error', reject);
        req.end(JSON.stringify({ model: 'emulator/long', stream: true, messages: [{ role: 'user', content: 'go' }] }));
      });
      await waitFor('the cancelled stream to be counted', () => emulator.counters().streamsAbortedByClient === 1);
      emulator.addFault({ path: '/key', fault: { type: 'drop-before-response' } });
      await assert.rejects(h2Request(session, '/api/v1/key', auth()), /INTERNAL_ERROR|stream/i);
      const after = await h2Request(session, '/api/v1/key', auth());
      assert.equal(after.status, 200, 'other streams of the session survive a reset');
    } finally {
      session.close();
    }
  });

  it('works with undici over HTTP/2 (allowH2) trusting the CA', async () => {
    const dispatcher = new Agent({ allowH2: true, connect: { ca: emulator.ca } });
    try {
      const res = await request(`${emulator.baseUrl}/key`, { dispatcher, headers: auth() });
      assert.equal(res.statusCode, 200);
      assert.ok(((await res.body.json()) as { data: unknown }).data);
      assert.equal(emulator.requests()[0]?.httpVersion, '2.0');
    } finally {
      await dispatcher.close();
    }
  });

  it('closes promptly while HTTP/2 sessions are still open', async () => {
    const other = await startEmulator({ tls: true });
    const session = http2.connect(other.origin, { ca: other.ca });
    await h2Request(session, '/api/v1/models');
    const closed = new Promise((resolve) => session.once('close', resolve));
    await other.close();
    await closed;
  });
});

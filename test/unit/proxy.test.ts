import assert from 'node:assert/strict';
import { startEmulator } from '../emulator/index';
import { makeProxyCertificate } from '../support/proxy/certificate';
import type { Emulator } from '../emulator/types';
import { startConnectProxy, type ConnectProxy } from '../support/proxy/connectProxy';
import {
  ConfigError, ConnectionError, OpenRouterProvider, TimeoutError, type ChatCompletionChunk, type ProviderOptions,
} from '../../src/openrouter/index';
import { bypassesProxy, parseNoProxy, proxyFor } from '../../src/openrouter/proxy';
import { KEY, chat, rejectionOf } from '../support/providerHarness';
import { waitFor } from '../support/waitFor';

describe('proxy selection', () => {
  const origin = new URL('https://openrouter.ai/api/v1');

  it('reads NO_PROXY lists separated by commas or spaces', () => {
    assert.deepEqual(parseNoProxy(' localhost, .corp.example  10.0.0.1:8080 '), ['localhost', '.corp.example', '10.0.0.1:8080']);
    assert.deepEqual(parseNoProxy(['A.example', 'b.example,c.example']), ['a.example', 'b.example', 'c.example']);
    assert.deepEqual(parseNoProxy(undefined), []);
  });

  it('bypasses the proxy for exact hosts, domains and subdomains, ports and *', () => {
    assert.equal(bypassesProxy(origin, ['openrouter.ai']), true);
    assert.equal(bypassesProxy(origin, ['.openrouter.ai']), true);
    assert.equal(bypassesProxy(new URL('https://api.openrouter.ai'), ['openrouter.ai']), true);
    assert.equal(bypassesProxy(new URL('https://api.openrouter.ai'), ['*.openrouter.ai']), true);
    assert.equal(bypassesProxy(origin, ['OPENROUTER.AI:443']), true);
    assert.equal(bypassesProxy(origin, ['openrouter.ai:8443']), false);
    assert.equal(bypassesProxy(origin, ['*']), true);
    assert.equal(bypassesProxy(origin, ['notopenrouter.ai', 'router.ai', 'ai.openrouter']), false);
    assert.equal(bypassesProxy(new URL('http://[::1]:9000'), ['::1']), true);
    assert.equal(bypassesProxy(new URL('http://127.0.0.1:9000'), ['127.0.0.1:9000']), true);
  });

  it('uses no proxy without a URL, accepts host:port, and refuses other schemes clearly', () => {
    assert.equal(proxyFor(origin.origin, undefined), undefined);
    assert.equal(proxyFor(origin.origin, { url: '  ' }), undefined);
    assert.equal(proxyFor(origin.origin, { url: 'proxy.corp:3128' })?.href, 'http://proxy.corp:3128/');
    assert.equal(proxyFor(origin.origin, { url: 'http://proxy.corp:3128', noProxy: ['openrouter.ai'] }), undefined);
    assert.throws(() => proxyFor(origin.origin, { url: 'socks5://user:hunter2@proxy:1080' }), (error: unknown) =>
      error instanceof ConfigError && /socks5:\/\/proxy:1080/.test(error.message) && !error.message.includes('hunter2'));
    assert.throws(() => proxyFor(origin.origin, { url: 'http://user:hunter2@[bad' }), (error: unknown) =>
      error instanceof ConfigError && !error.message.includes('hunter2'));
  });
});

describe('provider through a real CONNECT proxy (TLS to the emulator)', function () {
  let emulator: Emulator;
  let proxy: ConnectProxy;
  const providers: OpenRouterProvider[] = [];

  const make = (options: Partial<ProviderOptions> = {}): OpenRouterProvider => {
    const provider = new OpenRouterProvider({
      apiKey: KEY,
      baseUrl: emulator.baseUrl,
      ca: emulator.ca,
      retryBaseDelayMs: 5,
      retryMaxDelayMs: 20,
      proxy: { url: proxy.url },
      ...options,
    });
    providers.push(provider);
    return provider;
  };

  beforeEach(async () => {
    emulator = await startEmulator({ tls: true });
    proxy = await startConnectProxy();
  });

  afterEach(async () => {
    await Promise.all(providers.splice(0).map((provider) => provider.close()));
    await proxy.close();
    await emulator.close();
  });

  it('sends every call through the proxy and keeps one tunnel alive for sequential calls', async () => {
    const provider = make();
    await provider.listModels();
    await provider.validateConfig();
    await provider.execute(chat('through the proxy'));
    let text = '';
    for await (const chunk of provider.streamExecute(chat('[[chunks:5]] streamed')) as AsyncIterable<ChatCompletionChunk>) {
      text += chunk.choices[0]?.delta.content ?? '';
    }
    assert.match(text, /You said/);
    assert.equal(proxy.connects, 1, 'four sequential calls opened one tunnel');
    assert.deepEqual(proxy.targets, [`127.0.0.1:${emulator.port}`]);
    assert.equal(emulator.counters().connectionsAccepted, 1, 'the emulator saw one connection: the tunnel');
    assert.equal(emulator.counters().tlsHandshakes, 1, 'TLS ran end to end inside the tunnel');
    assert.equal(provider.stats().connectionsOpened, 1);
    assert.equal(provider.stats().reusedRequests, 3);
    assert.deepEqual(proxy.authorizations, [undefined], 'the proxy saw no credentials: the key travels inside the TLS tunnel only');
  });

  it('runs a burst through parallel tunnels and keeps at most poolSize of them', async () => {
    const provider = make({ poolSize: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => provider.execute(chat(`burst ${i}`))));
    assert.equal(proxy.connects, 6);
    await waitFor('the extra tunnels to close', () => proxy.openTunnels <= 2);
    await provider.listModels();
    assert.equal(proxy.connects, 6, 'the next call reused a kept tunnel');
    await provider.close();
    await waitFor('every tunnel to close after close()', () => proxy.openTunnels === 0);
  });

  it('shares one tunnel over HTTP/2 when negotiated inside it', async () => {
    const provider = make({ allowH2: true });
    await provider.listModels();
    await Promise.all(Array.from({ length: 5 }, () => provider.validateConfig()));
    assert.equal(proxy.connects, 1);
    assert.equal(emulator.requests().at(-1)?.httpVersion, '2.0');
  });

  it('connects directly to hosts listed in noProxy', async () => {
    const provider = make({ proxy: { url: proxy.url, noProxy: ['localhost', `127.0.0.1:${emulator.port}`] } });
    await provider.listModels();
    assert.equal(proxy.connects, 0);
    assert.equal(emulator.counters().connectionsAccepted, 1);
  });

  it('sends the proxy credentials from the URL and never shows them', async () => {
    proxy.options = { requireAuthorization: `Basic ${Buffer.from('alice:s3cret pass').toString('base64')}` };
    const ok = make({ proxy: { url: `http://alice:s3cret%20pass@127.0.0.1:${proxy.port}` } });
    await ok.listModels();
    assert.equal(proxy.tunnels, 1);
    const wrong = make({ proxy: { url: `http://alice:wrong-password@127.0.0.1:${proxy.port}` } });
    const error = await rejectionOf(wrong.listModels());
    assert.ok(error instanceof ConnectionError);
    assert.match(error.message, /407/);
    assert.ok(!JSON.stringify(error).includes('wrong-password') && !String(error.stack).includes('wrong-password'));
  });

  for (const status of [403, 407]) {
    it(`fails at once with a clear error when the proxy refuses with ${status}`, async () => {
      proxy.options = { refuseWith: status };
      const provider = make({ maxRetries: 3 });
      const records: unknown[] = [];
      provider.onRequest((record) => records.push(record));
      const error = await rejectionOf(provider.execute(chat('refused')));
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, new RegExp(`proxy http://127\\.0\\.0\\.1:${proxy.port}.*HTTP ${status}`));
      assert.equal(error.attempts, 1, 'a refusal is not retried');
      assert.equal(proxy.connects, 1);
      assert.equal(emulator.counters().requests, 0);
      assert.equal(records.length, 1);
    });
  }

  it('names the proxy when it cannot be reached', async () => {
    const port = proxy.port;
    await proxy.close();
    const provider = make({ maxRetries: 1, proxy: { url: `http://127.0.0.1:${port}` } });
    const error = await rejectionOf(provider.listModels());
    assert.ok(error instanceof ConnectionError);
    assert.match(error.message, new RegExp(`proxy http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    assert.equal(error.attempts, 2, 'an unreachable proxy is retried like a refused connection');
  });

  it('gives up on a proxy that never answers CONNECT within the connect timeout', async () => {
    proxy.options = { silent: true };
    const provider = make({ maxRetries: 0, timeouts: { connectMs: 300 } });
    const started = performance.now();
    const error = await rejectionOf(provider.listModels());
    const elapsed = performance.now() - started;
    assert.ok(error instanceof TimeoutError, String(error));
    assert.match(error.message, /did not open a tunnel within 300 ms/);
    assert.ok(elapsed < 4_000, `took ${Math.round(elapsed)} ms: the connect timeout, not a hang`);
  });

  it('still verifies the origin certificate inside the tunnel', async () => {
    const provider = make({ ca: undefined });
    const error = await rejectionOf(provider.listModels());
    assert.ok(error instanceof ConnectionError);
    assert.match(error.message, /TLS certificate was not accepted/);
    assert.equal(proxy.tunnels, 1, 'the tunnel opened; the origin was refused');
    assert.equal(emulator.counters().requests, 0);
  });

  describe('an https proxy with its own certificate', () => {
    let secureProxy: ConnectProxy;
    let proxyCa: string;

    beforeEach(async () => {
      const certificate = await makeProxyCertificate();
      proxyCa = certificate.ca;
      secureProxy = await startConnectProxy({ tls: { cert: certificate.cert, key: certificate.key } });
    });

    afterEach(async () => {
      await secureProxy.close();
    });

    it('works when the proxy CA is trusted', async () => {
      const provider = make({ ca: [emulator.ca as string, proxyCa], proxy: { url: secureProxy.url } });
      await provider.listModels();
      assert.equal(secureProxy.tunnels, 1);
    });

    it('refuses an untrusted proxy certificate with proxyStrictSSL on, naming the setting', async () => {
      const provider = make({ proxy: { url: secureProxy.url } });
      const error = await rejectionOf(provider.listModels());
      assert.ok(error instanceof ConnectionError);
      assert.match(error.message, /proxy https:\/\/127\.0\.0\.1:\d+ presented a TLS certificate that was not accepted.*proxyStrictSSL/);
      assert.equal(error.attempts, 1);
    });

    it('with proxyStrictSSL off accepts the proxy certificate but still verifies the origin', async () => {
      const provider = make({ proxy: { url: secureProxy.url, strictSSL: false } });
      await provider.listModels();
      assert.equal(secureProxy.tunnels, 1);
      const untrustingOrigin = make({ ca: proxyCa, proxy: { url: secureProxy.url, strictSSL: false } });
      const error = await rejectionOf(untrustingOrigin.listModels());
      assert.ok(error instanceof ConnectionError);
      assert.match(error.message, /^OpenRouter at https:\/\/127\.0\.0\.1:\d+ through the proxy https:\/\/127\.0\.0\.1:\d+: the TLS certificate was not accepted/);
      assert.doesNotMatch(error.message, /proxyStrictSSL/, 'the origin’s certificate failed, not the proxy’s');
    });
  });
});

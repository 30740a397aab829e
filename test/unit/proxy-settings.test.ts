import assert from 'node:assert/strict';
import { certificateChoice, proxyChoice, type HttpConfiguration } from '../../src/host/proxySettings';
import { ConfigError } from '../../src/openrouter/index';
import { startEmulator } from '../emulator/index';
import { TRANSPORTS, makeProvider, rejectionOf } from '../support/providerHarness';

function http(values: Record<string, unknown>): HttpConfiguration {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

const HTTPS = 'https://openrouter.ai/api/v1';

describe('proxy settings', () => {
  it('connects directly when nothing is configured', () => {
    assert.deepEqual(proxyChoice(HTTPS, http({}), {}), {});
  });

  it('takes http.proxy, http.noProxy and http.proxyStrictSSL', () => {
    const choice = proxyChoice(HTTPS, http({ proxy: ' http://proxy.corp:3128 ', noProxy: ['intranet.corp'], proxyStrictSSL: false }), {});
    assert.deepEqual(choice, { source: 'http.proxy', proxy: { url: 'http://proxy.corp:3128', noProxy: ['intranet.corp'], strictSSL: false } });
  });

  it('prefers http.proxy over the environment, and keeps NO_PROXY', () => {
    const choice = proxyChoice(HTTPS, http({ proxy: 'http://setting:1' }), { HTTPS_PROXY: 'http://env:2', NO_PROXY: 'a.corp, b.corp' });
    assert.equal(choice.proxy?.url, 'http://setting:1');
    assert.deepEqual(choice.proxy?.noProxy, ['a.corp', 'b.corp']);
    assert.equal(choice.proxy?.strictSSL, true, 'strict unless turned off');
  });

  it('uses HTTPS_PROXY (then HTTP_PROXY) for https, HTTP_PROXY for http, lower-case names too', () => {
    assert.equal(proxyChoice(HTTPS, http({}), { https_proxy: 'http://lower:1', HTTP_PROXY: 'http://plain:2' }).proxy?.url, 'http://lower:1');
    assert.equal(proxyChoice(HTTPS, http({}), { HTTP_PROXY: 'http://plain:2' }).proxy?.url, 'http://plain:2');
    assert.equal(proxyChoice('http://localhost:9/api/v1', http({}), { HTTPS_PROXY: 'http://secure:1' }).proxy, undefined);
    assert.equal(proxyChoice('http://gateway.lan/api/v1', http({}), { http_proxy: 'http://plain:2' }).source, 'environment');
  });

  it('never sends loopback traffic to a proxy inherited from the environment', () => {
    const choice = proxyChoice(HTTPS, http({}), { HTTPS_PROXY: 'http://env:2' });
    assert.deepEqual(choice.proxy?.noProxy, ['localhost', '127.0.0.1', '::1']);
    const explicit = proxyChoice(HTTPS, http({ proxy: 'http://setting:1' }), {});
    assert.deepEqual(explicit.proxy?.noProxy, [], 'an explicit http.proxy is used for every host not in noProxy');
  });

  it('turns off with http.proxySupport "off"', () => {
    assert.deepEqual(proxyChoice(HTTPS, http({ proxy: 'http://setting:1', proxySupport: 'off' }), { HTTPS_PROXY: 'http://env:2' }), {});
  });

  it('fails closed on an unusable proxy: an error for every connection, never a direct one', () => {
    const choice = proxyChoice(HTTPS, http({ proxy: 'socks5://bob:hunter2@proxy:1080' }), {});
    assert.match(choice.proxy?.unusable ?? '', /^http\.proxy: .*socks5:\/\/proxy:1080.*OpenRouter is not contacted until you correct or clear the http\.proxy setting\.$/);
    assert.equal(choice.problem, choice.proxy?.unusable);
    assert.ok(!choice.problem?.includes('hunter2'));
    const env = proxyChoice(HTTPS, http({}), { HTTPS_PROXY: 'http://bob:hunter2@[oops' });
    assert.match(env.proxy?.unusable ?? '', /HTTPS_PROXY.*unset HTTPS_PROXY\/HTTP_PROXY and restart VS Code/);
    assert.ok(!env.problem?.includes('hunter2'));
  });

  it('never shows the password of a malformed http.proxy, whatever characters it holds', () => {
    for (const proxy of ['bob:hunter2@proxy.corp:99999', 'http://bob:hun/ter2@proxy.corp:3128', 'http://bob:p@ss hunter2@proxy.corp:31 28', 'https://bob:hunter2@proxy.corp:port']) {
      const choice = proxyChoice(HTTPS, http({ proxy }), {});
      assert.ok(!/hunter2|hun\/ter2|p@ss/.test(choice.problem ?? ''), `${proxy} → ${choice.problem}`);
      assert.ok(choice.proxy?.unusable, proxy);
      assert.match(choice.problem ?? '', /proxy\.corp/, 'the address is still named');
    }
  });

  for (const transport of TRANSPORTS) {
    it(`sends nothing to OpenRouter while http.proxy is malformed (${transport.name})`, async () => {
      const emulator = await startEmulator(transport.emulator);
      const choice = proxyChoice(emulator.baseUrl, http({ proxy: 'http://bob:hunter2@proxy.corp:port' }), {});
      const provider = makeProvider(emulator, { ...transport.provider, maxRetries: 2, ...(choice.proxy ? { proxy: choice.proxy } : {}) });
      try {
        const error = await rejectionOf(provider.listModels());
        assert.ok(error instanceof ConfigError, String(error));
        assert.match(error.message, /http\.proxy: .*proxy\.corp.*is not a valid URL.*not contacted/);
        assert.ok(!error.message.includes('hunter2'));
        assert.equal(error.attempts ?? 1, 1, 'a configuration error is not retried');
        assert.deepEqual([emulator.counters().connectionsAccepted, emulator.counters().requests], [0, 0], 'no direct connection around the proxy');
      } finally {
        await provider.close();
        await emulator.close();
      }
    });
  }

  it('sends http.proxyAuthorization to the proxy', () => {
    const choice = proxyChoice(HTTPS, http({ proxy: 'http://proxy.corp:3128', proxyAuthorization: ' Basic YWxpY2U6cw== ' }), {});
    assert.equal(choice.proxy?.authorization, 'Basic YWxpY2U6cw==');
    assert.equal(proxyChoice(HTTPS, http({ proxy: 'http://proxy.corp:3128', proxyAuthorization: null }), {}).proxy?.authorization, undefined);
  });

  it('leaves the choice to VS Code’s resolver when neither http.proxy nor the environment names a proxy', async () => {
    const resolve = async (origin: string): Promise<string | undefined> => (origin === 'https://openrouter.ai' ? 'http://pac.corp:8080' : undefined);
    const choice = proxyChoice(HTTPS, http({ noProxy: ['intranet.corp'], proxyAuthorization: 'Basic eA==' }), {}, resolve);
    assert.equal(choice.source, 'system');
    assert.equal(choice.proxy?.url, undefined);
    assert.deepEqual(choice.proxy?.noProxy, ['intranet.corp']);
    assert.equal(choice.proxy?.authorization, 'Basic eA==');
    assert.equal(await choice.proxy?.resolve?.('https://openrouter.ai'), 'http://pac.corp:8080');
    assert.equal(proxyChoice(HTTPS, http({ proxy: 'http://setting:1' }), {}, resolve).proxy?.resolve, undefined, 'an explicit proxy is not second-guessed');
    assert.deepEqual(proxyChoice(HTTPS, http({ proxySupport: 'off' }), {}, resolve), {}, 'proxySupport off: direct');
  });

  it('trusts the operating system’s certificates unless http.systemCertificates is off', () => {
    assert.deepEqual(certificateChoice(http({})), { system: true, fromNode: true });
    assert.deepEqual(certificateChoice(http({ systemCertificates: false })), { system: false, fromNode: true });
    assert.deepEqual(certificateChoice(http({ systemCertificatesNode: false })), { system: true, fromNode: false });
  });
});

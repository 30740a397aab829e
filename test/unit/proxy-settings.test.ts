import assert from 'node:assert/strict';
import { certificateChoice, proxyChoice, type HttpConfiguration } from '../../src/host/proxySettings';

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

  it('reports an unusable proxy and connects directly, without echoing its password', () => {
    const choice = proxyChoice(HTTPS, http({ proxy: 'socks5://bob:hunter2@proxy:1080' }), {});
    assert.equal(choice.proxy, undefined);
    assert.match(choice.problem ?? '', /^http\.proxy: .*socks5:\/\/proxy:1080.*Connecting directly\.$/);
    assert.ok(!choice.problem?.includes('hunter2'));
    const env = proxyChoice(HTTPS, http({}), { HTTPS_PROXY: 'http://bob:hunter2@[oops' });
    assert.match(env.problem ?? '', /HTTPS_PROXY/);
    assert.ok(!env.problem?.includes('hunter2'));
  });
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

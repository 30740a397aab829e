import assert from 'node:assert/strict';
import { redactDeep, redactSecrets, withoutCredentials } from '../../src/openrouter/redact';
import { OpenRouterError } from '../../src/openrouter/errors';

describe('secret redaction', () => {
  it('removes sk-or- keys wherever they appear', () => {
    const text = 'key=sk-or-v1-abcDEF_123-456, again:sk-or-v1-abcDEF_123-456.';
    const out = redactSecrets(text);
    assert.ok(!out.includes('abcDEF'), out);
    assert.match(out, /key=\[REDACTED\], again:\[REDACTED\]\./);
  });

  it('removes Bearer credentials of any shape', () => {
    const out = redactSecrets('Authorization: Bearer my-proxy-token.with.dots; next');
    assert.equal(out, 'Authorization: Bearer [REDACTED]; next');
    assert.equal(redactSecrets('authorization: bearer abc'), 'authorization: Bearer [REDACTED]');
  });

  it('removes an explicitly named secret that matches no pattern', () => {
    const out = redactSecrets('gateway rejected token corp-gw-9f8e7d6c5b4a', ['corp-gw-9f8e7d6c5b4a']);
    assert.equal(out, 'gateway rejected token [REDACTED]');
  });

  it('removes the user name and password of a URL in running text, up to its last @', () => {
    assert.equal(redactSecrets('via http://bob:hunter2@proxy.corp:3128 failed'), 'via http://[REDACTED]@proxy.corp:3128 failed');
    assert.equal(redactSecrets('proxy https://bob:p@ss@proxy.corp/'), 'proxy https://[REDACTED]@proxy.corp/');
    assert.equal(redactSecrets('see https://openrouter.ai/models?q=a@b'), 'see https://openrouter.ai/models?q=a@b', 'an @ after the host is not a credential');
  });

  it('drops the credentials of one address given whole, even a malformed one', () => {
    assert.equal(withoutCredentials('bob:hun/ter2@proxy.corp:99999'), 'proxy.corp:99999');
    assert.equal(withoutCredentials('http://bob:p@ss w/rd@proxy.corp:port'), 'http://proxy.corp:port');
    assert.equal(withoutCredentials('http://proxy.corp:3128'), 'http://proxy.corp:3128');
  });

  it('leaves ordinary text and very short "secrets" alone', () => {
    assert.equal(redactSecrets('Rate limit exceeded', ['a', '', undefined]), 'Rate limit exceeded');
  });

  it('redacts every string inside nested metadata', () => {
    const out = redactDeep({ a: ['Bearer xyz', { b: 'sk-or-v1-secret' }], n: 3, nil: null });
    assert.deepEqual(out, { a: ['Bearer [REDACTED]', { b: '[REDACTED]' }], n: 3, nil: null });
  });

  it('is applied by every error of the family', () => {
    const err = new OpenRouterError('failed with sk-or-v1-leaky and Bearer sk-or-v1-leaky', { serverMessage: 'sk-or-v1-leaky' });
    assert.ok(!err.message.includes('leaky'));
    assert.ok(!String(err.serverMessage).includes('leaky'));
    assert.ok(!(err.stack ?? '').includes('leaky'));
  });
});

import assert from 'node:assert/strict';
import { redactDeep, redactSecrets } from '../../src/openrouter/redact';
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

import assert from 'node:assert/strict';
import { apiKeyProblem, checkApiKey, normalizeApiKey } from '../../src/openrouter/apiKeyFormat';

const KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';

describe('API key format', () => {
  it('keeps a clean key and trims what a paste brings along', () => {
    assert.deepEqual(checkApiKey(KEY), { key: KEY, problem: undefined });
    assert.deepEqual(checkApiKey(`  "${KEY}"\r\n`), { key: KEY, problem: undefined });
    assert.equal(normalizeApiKey('\t \n'), undefined);
  });

  it('calls an empty paste empty', () => {
    for (const raw of [undefined, '', '   ', '\r\n', '""']) assert.deepEqual(checkApiKey(raw), { problem: 'The API key is empty.' }, JSON.stringify(raw));
  });

  it('refuses a line break, tab or space inside the key, asking for a new paste, without quoting it', () => {
    for (const raw of [`${KEY.slice(0, 12)}\n${KEY.slice(12)}`, `${KEY.slice(0, 12)}\r\n${KEY.slice(12)}`, `${KEY.slice(0, 12)} ${KEY.slice(12)}`, `${KEY}\tX`, `${KEY}\u00a0x`]) {
      const { problem } = checkApiKey(raw);
      assert.equal(problem, 'The OpenRouter API key contains a line break or space — paste it again.', JSON.stringify(raw));
      assert.ok(!problem.includes('0123456789'));
    }
  });

  it('refuses control and non-ASCII characters (a header cannot carry them)', () => {
    for (const raw of [`${KEY}\u0000`, `${KEY}\u0007x`, `${KEY}\u007f`, `${KEY}\u200b`, `${KEY}…`, `“${KEY}”`, 'sk-or-v1-ключ']) {
      assert.match(apiKeyProblem(raw) ?? '', /control or non-ASCII character — paste it again/, JSON.stringify(raw));
    }
  });
});

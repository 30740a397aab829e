import assert from 'node:assert/strict';
import { MessageRole } from '../../src/lm/messages';
import { estimateMessageTokens } from '../../src/lm/messageTokens';
import { estimateTextTokens } from '../../src/models/tokenEstimate';

describe('token estimate', () => {
  it('counts about four characters per token for English and code', () => {
    assert.equal(estimateTextTokens(''), 0);
    assert.equal(estimateTextTokens('abcd'.repeat(100)), 100);
    assert.equal(estimateTextTokens('const retry = (n) => n * 2;'), 7);
  });

  it('counts CJK characters as a token each instead of a quarter', () => {
    assert.equal(estimateTextTokens('你好世界'), 4);
    assert.equal(estimateTextTokens('日本語のテキスト'), 8);
  });

  it('counts a message’s text, tool calls, tool results and images, plus framing', () => {
    const plain = estimateMessageTokens({ role: MessageRole.User, content: [{ value: 'abcd'.repeat(10) }] });
    assert.equal(plain, 4 + 10);
    const withImage = estimateMessageTokens({ role: MessageRole.User, content: [{ value: 'abcd'.repeat(10) }, { mimeType: 'image/png', data: new Uint8Array(10) }] });
    assert.equal(withImage, plain + 765);
    const withTools = estimateMessageTokens({ role: MessageRole.Assistant, content: [{ callId: 'c', name: 'read', input: { path: 'a' } }] });
    assert.ok(withTools > 4);
    const withResult = estimateMessageTokens({ role: MessageRole.User, content: [{ callId: 'c', content: [{ value: 'abcd'.repeat(25) }] }] });
    assert.equal(withResult, 4 + 25 + 4);
  });
});

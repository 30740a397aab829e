import assert from 'node:assert/strict';
import { errorNotice } from '../../src/chat/errorNotice';
import { quoteSelection } from '../../src/chat/selectionQuote';
import { createMarkdownRenderer } from '../../src/webview/markdown';
import { APIError, ConnectionError, StreamError, TimeoutError } from '../../src/openrouter/errors';

describe('Ask About Selection quote', () => {
  it('quotes the selection as a fenced block with the file, lines and language', () => {
    const text = quoteSelection({ path: 'src/app.ts', languageId: 'typescript', text: 'const a = 1;\nconst b = 2;\n', startLine: 3, endLine: 4 });
    assert.equal(text, 'From `src/app.ts` (lines 3–4):\n\n```typescript\nconst a = 1;\nconst b = 2;\n```\n\n');
  });

  it('uses a longer fence when the code itself contains backtick fences, so the quote stays whole', () => {
    const code = 'Docs:\n```js\nx()\n```\n';
    const text = quoteSelection({ path: 'README.md', languageId: 'markdown', text: code, startLine: 1, endLine: 4 });
    assert.match(text, /^From `README.md` \(lines 1–4\):\n\n````markdown\n/);
    const html = createMarkdownRenderer().render(text);
    assert.equal((html.match(/<pre>/g) ?? []).length, 1, 'one code block, not several');
    assert.match(html, /x\(\)/);
  });

  it('maps VS Code language ids the markdown renderer knows by another name', () => {
    assert.match(quoteSelection({ path: 'a.tsx', languageId: 'typescriptreact', text: 'x', startLine: 1, endLine: 1 }), /```tsx\n/);
    assert.match(quoteSelection({ path: 'a.txt', languageId: 'plaintext', text: 'x', startLine: 7, endLine: 7 }), /\(line 7\):\n\n```\n/);
  });
});

describe('inline error notices', () => {
  it('a mid-stream error keeps the text and suggests retry or another model', () => {
    const notice = errorNotice(new StreamError('Provider returned error', { code: 502 }));
    assert.equal(notice.kind, 'stream');
    assert.match(notice.message, /Provider returned error/);
    assert.match(notice.advice, /kept/);
  });

  it('402 says out of credits and offers to add some', () => {
    const notice = errorNotice(new APIError('Insufficient credits', { status: 402 }));
    assert.equal(notice.kind, 'credits');
    assert.equal(notice.action?.action, 'openCredits');
  });

  it('429 carries the wait OpenRouter asked for, rounded up to seconds', () => {
    const notice = errorNotice(new APIError('Rate limit exceeded', { status: 429, retryAfterMs: 2500 }));
    assert.equal(notice.retryAfterSeconds, 3);
    assert.match(notice.advice, /3 s/);
  });

  it('401 offers to set the key; network and timeout say what to check', () => {
    assert.equal(errorNotice(new APIError('No auth', { status: 401 })).action?.action, 'setApiKey');
    assert.equal(errorNotice(new ConnectionError('ECONNREFUSED')).kind, 'network');
    assert.equal(errorNotice(new TimeoutError('stream idle 60 s')).kind, 'timeout');
  });
});

import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { errorNotice } from '../../src/answer/errorNotice';
import { OpenRouterProvider } from '../../src/openrouter';

import type { ProviderOptions } from '../../src/openrouter/types';
import { startEmulator, type Emulator } from '../emulator';
import { TEST_KEY } from '../emulator/accounts';
import { quoteSelection } from '../../src/chat/selectionQuote';
import { createMarkdownRenderer } from '../../src/webview/shared/markdown';
import { highlighter } from '../../src/webview/shared/highlight';
import { AbortError, APIError, ConfigError, ConnectionError, ParseError, StreamError, TimeoutError } from '../../src/openrouter/errors';

describe('Ask About Selection quote', () => {
  it('quotes the selection as a fenced block with the file, lines and language', () => {
    const text = quoteSelection({ path: 'src/app.ts', languageId: 'typescript', text: 'const a = 1;\nconst b = 2;\n', startLine: 3, endLine: 4 });
    assert.equal(text, 'From `src/app.ts` (lines 3–4):\n\n```typescript\nconst a = 1;\nconst b = 2;\n```\n\n');
  });

  it('uses a longer fence when the code itself contains backtick fences, so the quote stays whole', () => {
    const code = 'Docs:\n```js\nx()\n```\n';
    const text = quoteSelection({ path: 'README.md', languageId: 'markdown', text: code, startLine: 1, endLine: 4 });
    assert.match(text, /^From `README.md` \(lines 1–4\):\n\n````markdown\n/);
    const html = createMarkdownRenderer({ highlighter, request: () => {} }).render(text);
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

describe('error notices from real failures (loopback sockets)', () => {
  let emulator: Emulator;
  let closedPort: number;

  before(async () => {
    emulator = await startEmulator({ tls: true });
    // A port with nothing listening: bound, then released.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
  });

  after(() => emulator.close());

  async function failureOf(options: Partial<ProviderOptions>): Promise<unknown> {
    const provider = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl: emulator.baseUrl, ca: emulator.ca, maxRetries: 0, ...options });
    try {
      await provider.execute({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      return undefined;
    } catch (error) {
      return error;
    } finally {
      await provider.close();
    }
  }

  it('an unreachable proxy is named, with its address, and the notice offers the proxy settings', async () => {
    const notice = errorNotice(await failureOf({ proxy: { url: `http://127.0.0.1:${closedPort}` } }));
    assert.equal(notice.kind, 'network');
    assert.match(notice.message, new RegExp(`proxy http://127\\.0\\.0\\.1:${closedPort}`));
    assert.match(notice.message, /ECONNREFUSED/);
    assert.doesNotMatch(notice.message, /^Could not reach OpenRouter\.$/);
    assert.equal(notice.action?.action, 'openProxySettings');
  });

  it('an untrusted certificate says so and tells how to trust it', async () => {
    const notice = errorNotice(await failureOf({ ca: undefined }));
    assert.equal(notice.kind, 'network');
    assert.match(notice.message, /certificate.* was not accepted \((SELF_SIGNED|UNABLE_TO|DEPTH_ZERO)/);
    assert.match(notice.advice, /trusted certificates/);
  });

  it('a refused connection gives the socket error, not only "could not reach"', async () => {
    const notice = errorNotice(await failureOf({ baseUrl: `http://127.0.0.1:${closedPort}/api/v1` }));
    assert.match(notice.message, /ECONNREFUSED/);
  });

  it('a missing key is a configuration error that offers Set API Key', async () => {
    const notice = errorNotice(await failureOf({ apiKey: () => undefined }));
    assert.equal(notice.kind, 'config');
    assert.match(notice.message, /no OpenRouter API key is set/);
    assert.equal(notice.action?.action, 'setApiKey');
  });

  it('a request that may have run is not presented as a plain network failure', () => {
    const notice = errorNotice(new ConnectionError('POST /chat/completions: the connection closed after the request was sent, before any answer (ECONNRESET). It was not sent again because OpenRouter may have run it.'));
    assert.match(notice.message, /^the connection closed after the request was sent/);
    assert.match(notice.advice, /activity before you retry/);
  });

  it('every kind of provider error has a notice of its own', () => {
    const made = [
      new APIError('x', { status: 500 }),
      new ConnectionError('x'),
      new TimeoutError('x'),
      new AbortError(),
      new StreamError('x'),
      new ParseError('x'),
      new ConfigError('x'),
    ].map((error) => errorNotice(error));
    assert.equal(new Set(made.map((n) => `${n.kind}|${n.advice}`)).size, made.length, 'no two kinds share a text');
    assert.equal(made.find((n) => n.kind === 'cancelled')?.message, 'The request was cancelled before the answer came.');
  });
});

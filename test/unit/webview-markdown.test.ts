import assert from 'node:assert/strict';
import type { AnswerStats } from '../../src/protocols/chat';
import { modelOptionLabel, statsParts } from '../../src/webview/chat/format';
import { createMarkdownRenderer } from '../../src/webview/shared/markdown';
import { highlighter } from '../../src/webview/shared/highlight';
import { StableBlockScanner } from '../../src/webview/shared/stableBlocks';

const md = createMarkdownRenderer({ highlighter, request: () => {} });

describe('webview markdown rendering (before sanitising)', () => {
  it('shows raw HTML from the model as text, never as markup', () => {
    const html = md.render('Hello <script>window.__pwned=1</script> <img src=x onerror="alert(1)">');
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.match(html, /&lt;script&gt;/);
  });

  it('refuses javascript:, vbscript: and data: links', () => {
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:msgbox(1)', 'data:text/html,<b>x</b>', 'javascript&#58;alert(1)']) {
      const html = md.render(`[click](${href})`);
      assert.doesNotMatch(html, /<a /, `${href} became a link: ${html}`);
    }
  });

  it('turns markdown images into links, so model output cannot load remote images', () => {
    const html = md.render('![tracker](https://evil.example/pixel.png)');
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /<a href="https:\/\/evil\.example\/pixel\.png">image: tracker<\/a>/);
  });

  it('aligns a table column with a class, never an inline style the CSP would refuse', () => {
    const html = md.render('| left | centre | right | plain |\n| :-- | :-: | --: | --- |\n| a | b | c | d |\n');
    assert.doesNotMatch(html, /style=/);
    assert.match(html, /<th class="align-left">left<\/th>/);
    assert.match(html, /<th class="align-center">centre<\/th>/);
    assert.match(html, /<td class="align-right">c<\/td>/);
    assert.match(html, /<td>d<\/td>/);
  });

  it('linkifies bare URLs', () => {
    assert.match(md.render('see https://openrouter.ai/docs now'), /<a href="https:\/\/openrouter\.ai\/docs">/);
  });

  it('highlights a closed code block in a known language with highlight.js classes', () => {
    const html = md.render('```typescript\nconst answer: number = 42;\n```\n');
    assert.match(html, /<code class="hljs language-typescript">/);
    assert.match(html, /<span class="hljs-keyword">const<\/span>/);
  });

  it('maps VS Code language ids to highlight.js grammars (typescriptreact, shellscript)', () => {
    assert.match(md.render('```typescriptreact\nconst a = 1;\n```\n'), /hljs-keyword/);
    assert.match(md.render('```shellscript\necho "hi"\n```\n'), /hljs-built_in|hljs-string/);
  });

  it('escapes code in an unknown language instead of guessing', () => {
    const html = md.render('```klingon\n<b>qapla</b>\n```\n');
    assert.match(html, /<code class="hljs">&#60;b&#62;qapla&#60;\/b&#62;/);
  });

  it('leaves a still-open code block unhighlighted while streaming', () => {
    const html = md.render('```typescript\nconst a = 1;\n', { openFence: true });
    assert.doesNotMatch(html, /hljs-keyword/);
    assert.match(html, /const a = 1;/);
  });

  it('before highlight.js has loaded: shows the block escaped and labelled, marked for the swap, and asks for highlight.js', () => {
    let requests = 0;
    const early = createMarkdownRenderer({ highlighter: undefined, request: () => requests++ });
    const html = early.render('```ts\nconst a = <b>1</b>;\n```\n\n```klingon\nqapla\n```\n');
    assert.match(html, /<code class="hljs language-ts hljs-pending">const a = &#60;b&#62;1&#60;\/b&#62;;/);
    assert.match(html, /<code class="hljs">qapla/, 'an unknown language is never pending');
    assert.ok(requests >= 1, 'a block in a known language asks for highlight.js');
    assert.equal(md.render('```ts\nconst a = 1;\n```\n').includes('class="hljs language-ts"'), true, 'the same label once it has loaded');
  });

  it('asks for highlight.js as soon as a fence in a known language opens, before it closes', () => {
    let requests = 0;
    createMarkdownRenderer({ highlighter: undefined, request: () => requests++ }).render('```python\nprint(1)\n', { openFence: true });
    assert.ok(requests >= 1);
  });

  it('keeps the class of a fence info string to a safe language name', () => {
    const html = md.render('```"><script>x</script>\ncode\n```\n');
    assert.doesNotMatch(html, /<script/);
  });
});

describe('stable block boundaries while streaming', () => {
  it('cuts after a blank line followed by an unindented line', () => {
    const scanner = new StableBlockScanner();
    const text = 'First paragraph.\n\nSecond';
    assert.equal(scanner.stableEnd(text), 0, 'the line after the blank one is not complete yet');
    assert.equal(scanner.stableEnd(`${text} paragraph.\n`), 'First paragraph.\n\n'.length);
  });

  it('never cuts inside a code fence, even across blank lines', () => {
    const scanner = new StableBlockScanner();
    const text = 'Intro\n\n```python\ndef f():\n\n    return 1\n\nx = 2\n';
    const cut = scanner.stableEnd(text);
    assert.equal(cut, 'Intro\n\n'.length);
    assert.equal(scanner.inFence, true);
    const closed = `${text}\`\`\`\n\nAfter\n`;
    assert.equal(scanner.stableEnd(closed), closed.indexOf('After'));
    assert.equal(scanner.inFence, false);
  });

  it('does not cut before an indented continuation (list item paragraphs, indented code)', () => {
    const scanner = new StableBlockScanner();
    assert.equal(scanner.stableEnd('- item\n\n  continued\n'), 0);
  });

  it('only grows, and gives the same cut when fed token by token as when fed whole', () => {
    const text = 'A\n\n```js\nlet x;\n\n```\n\nB\n\n- c\n\nD\n';
    const whole = new StableBlockScanner().stableEnd(text);
    const scanner = new StableBlockScanner();
    let last = 0;
    for (let i = 1; i <= text.length; i++) {
      const cut = scanner.stableEnd(text.slice(0, i));
      assert.ok(cut >= last);
      last = cut;
    }
    assert.equal(last, whole);
    assert.equal(whole, text.indexOf('D'));
  });
});

describe('the line under an answer', () => {
  it('shows model, provider, tokens, cost, time to first token and speed', () => {
    const stats: AnswerStats = { source: 'usage', model: 'openai/gpt-4o', provider: 'OpenAI', promptTokens: 12, completionTokens: 340, costUsd: 0.00421, timeToFirstTokenMs: 350, tokensPerSecond: 61.25 };
    assert.deepEqual(statsParts(stats), ['answered by openai/gpt-4o via OpenAI', '12 in / 340 out tokens', '$0.0042', 'first token 350 ms', '61.3 tok/s']);
  });

  it('names the model once: only the provider when the model asked for (or a dated snapshot of it) answered, the model when a fallback did', () => {
    const stats: AnswerStats = { source: 'usage', model: 'openai/gpt-4o-2024-08-06', provider: 'OpenAI' };
    assert.deepEqual(statsParts(stats, 'openai/gpt-4o'), ['via OpenAI']);
    assert.deepEqual(statsParts({ source: 'usage', model: 'openai/gpt-4o' }, 'openai/gpt-4o'), []);
    assert.deepEqual(statsParts({ source: 'usage', model: 'anthropic/claude-sonnet-4.5', provider: 'Anthropic' }, 'openai/gpt-4o'), ['answered by anthropic/claude-sonnet-4.5 via Anthropic']);
  });

  it('labels a model in the chooser with a compact price, and a free model as free once', () => {
    assert.equal(modelOptionLabel({ name: 'Anthropic: Claude 3.5 Sonnet', free: false, priceLabel: '$3/$15' }), 'Anthropic: Claude 3.5 Sonnet · $3/$15');
    assert.equal(modelOptionLabel({ name: 'Meta: Llama 3.3 70B (free)', free: true }), 'Meta: Llama 3.3 70B (free)');
    assert.equal(modelOptionLabel({ name: 'Some Model', free: true }), 'Some Model · free');
  });

  it('says when the numbers are still being fetched or could not be had', () => {
    assert.deepEqual(statsParts({ source: 'pending', timeToFirstTokenMs: 1500 }), ['first token 1.5 s', 'fetching cost…']);
    assert.deepEqual(statsParts({ source: 'unavailable' }), ['cost not available yet']);
  });
});

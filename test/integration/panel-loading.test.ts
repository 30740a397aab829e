import assert from 'node:assert/strict';
import { assertLockedDown, pageLockdownExpression, type PageLockdown } from './pageLockdown';
import * as vscode from 'vscode';
import { internalCommandIds } from '../../src/commands/commandIds';
import type { CompareSnapshot } from '../../src/protocols/compare';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { inPanel, prepareChat, reloadChatView, screenshot, sendAndWait, startNewChat } from './chat-ui';
import { waitFor } from '../support/waitFor';

interface LoadingRecord {
  violations: string[];
  scripts: string[];
  media: string;
  firstSeen: Array<{ pending: boolean; coloured: boolean; style: string }>;
  pendingLeft: number;
  styleNow: string;
}

describe('panels load markdown and highlighting when first needed', function () {
  this.timeout(120_000);

  before(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
    await prepareChat({ fresh: true });
  });

  it('the chat takes input from a small module script; a code block that arrives later ends coloured, styled as code from its first frame, under the nonce-only CSP', async () => {
    await startNewChat();
    // A fresh page showing an empty chat: nothing has asked for highlight.js yet.
    await reloadChatView();
    const before = await inPanel<{ type: string; inline: boolean; nonce: boolean; ownFiles: string[]; highlightLoaded: boolean; icons: { font: string; fontReady: boolean } }>(`(() => {
      const icon = document.querySelector('#send .codicon, button .codicon');
      const own = [...document.scripts].find((s) => s.type === 'module');
      return {
        type: own?.type ?? '',
        inline: !!own && !own.src && own.textContent.length > 1000,
        nonce: (own?.nonce ?? '').length > 0,
        ownFiles: performance.getEntriesByType('resource').map((e) => e.name.replace(/^.*\\//, '')).filter((name) => /^chat[.]|codicon/.test(name)),
        // The icons' font comes in the page's sheet: loaded by the time the page shows.
        icons: { font: icon ? getComputedStyle(icon, '::before').fontFamily : '', fontReady: document.fonts.check('16px codicon') },
        highlightLoaded: performance.getEntriesByType('resource').some((e) => /lazy-highlight/.test(e.name)),
      };
    })()`);
    // The script and its sheet come written into the page: it fetches neither (nor highlight.js before a code block).
    assert.deepEqual(before, { type: 'module', inline: true, nonce: true, ownFiles: [], highlightLoaded: false, icons: { font: 'codicon', fontReady: true } });
    // From here the page notes CSP refusals and how each code block looks when it first appears.
    await inPanel(`(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
      window.__firstSeen = [];
      const look = (code) => { const s = getComputedStyle(code.closest('pre')); const c = getComputedStyle(code); return [s.backgroundColor, s.paddingTop, c.fontFamily, c.fontSize].join('|'); };
      window.__look = look;
      const seen = new WeakSet();
      new MutationObserver(() => {
        for (const code of document.querySelectorAll('#messages pre > code')) {
          if (seen.has(code)) continue;
          seen.add(code);
          window.__firstSeen.push({ pending: code.classList.contains('hljs-pending'), coloured: !!code.querySelector('[class^="hljs-"]'), style: look(code) });
        }
      }).observe(document.getElementById('messages'), { childList: true, subtree: true });
    })()`);
    const answer = await sendAndWait('[[echo]]Here:\n\n```typescript\nconst answer: number = 42;\n```\n\nDone.');
    assert.equal(answer.status, 'done');
    const block = `article[data-turn-id="${answer.id}"] .code-block`;
    await browserAction('webviewWaitFor', { selector: `${block} code:not(.hljs-pending) .hljs-keyword` });
    const seen = await inPanel<LoadingRecord>(`(() => {
      const code = document.querySelector(${JSON.stringify(`${block} code`)});
      return {
        violations: window.__violations,
        scripts: performance.getEntriesByType('resource').map((e) => e.name).filter((name) => /\\.js(\\?|$)/.test(name)),
        media: document.documentElement.dataset.media,
        firstSeen: window.__firstSeen,
        pendingLeft: document.querySelectorAll('code.hljs-pending').length,
        styleNow: window.__look(code),
      };
    })()`);
    assert.deepEqual(seen.violations, [], 'no script or chunk was refused by the CSP');
    for (const chunk of ['lazy-markdown.js', 'lazy-highlight.js']) {
      assert.ok(seen.scripts.includes(new URL(chunk, seen.media).href), `${chunk} came from media/ (${seen.media}): ${JSON.stringify(seen.scripts)}`);
    }
    assert.equal(seen.pendingLeft, 0, 'every code block ended coloured');
    assert.ok(seen.firstSeen.length > 0);
    for (const first of seen.firstSeen) assert.equal(first.style, seen.styleNow, 'a block looks like code (background, padding, monospace font) before its colours arrive');
    await screenshot('chat-code-block-after-lazy-highlight');
  });

  it('a reopened long chat draws the answers on screen at once, the earlier turns after, and an early answer when it is scrolled to', async () => {
    await startNewChat();
    const paragraphs = Array.from({ length: 8 }, (_, i) => `Paragraph ${i} of a long answer, long enough to take a few lines in the narrow panel.`).join('\n\n');
    let first = '';
    let last = '';
    for (let i = 0; i < 24; i++) {
      const answer = await sendAndWait(`[[chunksize:4000]][[echo]]Answer ${i}.\n\n${paragraphs}\n\n\`\`\`ts\nconst turn${i} = ${i};\n\`\`\`\n`);
      if (i === 0) first = answer.id;
      last = answer.id;
    }
    await reloadChatView();
    const answer = (id: string) => `article[data-turn-id="${id}"] .answer`;
    await browserAction('webviewWaitFor', { selector: `${answer(last)} .code-block code:not(.hljs-pending) .hljs-keyword` });
    // The earlier turns come onto the page after the last ones, a few per task.
    await browserAction('webviewWaitFor', { selector: answer(first) });
    const early = await inPanel<{ deferred: boolean; text: string }>(`(() => { const a = document.querySelector(${JSON.stringify(answer(first))}); return { deferred: !!a.querySelector('.md-deferred'), text: a.textContent }; })()`);
    assert.equal(early.deferred, true, 'an answer a few screens up waits as plain text');
    assert.match(early.text, /Answer 0\.[\s\S]*const turn0 = 0;/, 'its text is there (searchable) before it is rendered');
    await inPanel(`void document.querySelector(${JSON.stringify(answer(first))}).scrollIntoView()`);
    await browserAction('webviewWaitFor', { selector: `${answer(first)} .code-block code:not(.hljs-pending) .hljs-keyword` });
    assert.equal(await inPanel<number>(`document.querySelectorAll(${JSON.stringify(`${answer(first)} .md-deferred`)}).length`), 0);
    // Far from the viewport again, it goes back to plain text (the page keeps a few screens rendered, not the whole
    // chat), still all there; brought back, it is rendered again.
    await inPanel(`void document.querySelector(${JSON.stringify(answer(last))}).scrollIntoView()`);
    await browserAction('webviewWaitFor', { selector: `${answer(first)} .md-deferred` });
    const released = await inPanel<{ text: string; lastRendered: boolean }>(`(() => ({ text: document.querySelector(${JSON.stringify(answer(first))}).textContent, lastRendered: !!document.querySelector(${JSON.stringify(`${answer(last)} .code-block .hljs-keyword`)}) }))()`);
    assert.match(released.text, /Answer 0\.[\s\S]*const turn0 = 0;/);
    assert.equal(released.lastRendered, true, 'what is on screen stays rendered');
    await inPanel(`void document.querySelector(${JSON.stringify(answer(first))}).scrollIntoView()`);
    await browserAction('webviewWaitFor', { selector: `${answer(first)} .code-block code:not(.hljs-pending) .hljs-keyword` });
  });

  it('Compare Models colours a code block from its lazily loaded chunks too', async () => {
    const within = '#compare-app';
    const models = ['openai/gpt-4o', 'mistralai/mistral-nemo'];
    await vscode.commands.executeCommand('openrouter.compareModels', { models, prompt: '' });
    const compareState = async () => vscode.commands.executeCommand<CompareSnapshot | undefined>(internalCommandIds.compareState);
    await waitFor('the panel to take the models', compareState, { accept: (s) => s !== undefined && s.models.map((m) => m.id).join() === models.join() });
    assertLockedDown((await browserAction('webviewEvaluate', { within, expression: pageLockdownExpression })) as PageLockdown);
    await browserAction('webviewFill', { within, selector: '#prompt', text: '[[echo]]```python\ndef answer():\n    return 42\n```\n' });
    await browserAction('webviewClick', { within, selector: '#send' });
    await waitFor('both columns to end', compareState, { accept: (s) => s !== undefined && !s.running && s.columns.length === 2 });
    await browserAction('webviewWaitFor', { within, selector: '.column:nth-child(2) code.language-python:not(.hljs-pending) .hljs-keyword' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

import assert from 'node:assert/strict';
import { assertLockedDown, pageLockdownExpression, type PageLockdown } from './pageLockdown';
import * as vscode from 'vscode';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import type { ChatRequest } from '../../src/openrouter/types';
import { answerCount, chooseModelInPanel, emulator, inPanel, lastAnswer, openChatPanel, prepareChat, reloadChatView, screenshot, sendAndWait, sendMessage, startNewChat, toggleSection } from './chat-ui';
import { waitFor } from '../support/waitFor';

const model = 'openai/gpt-4o-mini';

async function lastChatRequest(): Promise<ChatRequest> {
  const seen = (await emulator.requests()).filter((r) => r.path === '/chat/completions');
  assert.ok(seen.length > 0, 'a chat request reached the emulator');
  return seen[seen.length - 1]!.body as ChatRequest;
}

describe('sidebar chat in the real VS Code', function () {
  this.timeout(120_000);

  before(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
    await prepareChat({ fresh: false });
  });

  afterEach(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) return;
    await emulator.clearFaults();
    if (this.currentTest?.state === 'failed') await screenshot(`chat-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  it('is locked down: CSP with default-src none and a nonce script, no inline handlers', async () => {
    assertLockedDown(await inPanel<PageLockdown>(pageLockdownExpression));
  });

  it('streams an answer in pieces from the model chosen in the panel, then shows its cost line', async () => {
    await chooseModelInPanel(model);
    await waitFor('the extension to take the model chosen in the panel', async () => vscode.commands.executeCommand<{ selectedModelId: string }>('openrouter.internal.state'), { accept: (state) => state.selectedModelId === model });
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 80 } });
    // The panel records each length the streaming answer shows, as it changes (the browser is faster than polling it).
    await inPanel(`(() => {
      window.__growth = [];
      window.__growthObserver = new MutationObserver(() => {
        const a = [...document.querySelectorAll('article.turn.assistant')].pop();
        if (!a || a.dataset.status !== 'streaming') return;
        const n = a.querySelector('.answer').textContent.length;
        if (n > 0 && window.__growth[window.__growth.length - 1] !== n) window.__growth.push(n);
      });
      window.__growthObserver.observe(document.getElementById('messages'), { subtree: true, childList: true, characterData: true });
    })()`);
    const before = await answerCount();
    await sendMessage('[[chunks:40]] How do pools work?');
    let shot = false;
    await waitFor('the answer to finish', async () => {
        const a = (await answerCount()) > before ? await lastAnswer() : null;
        if (!shot && a?.status === 'streaming' && a.text.length > 0) {
          shot = true;
          await screenshot('chat-streaming');
        }
        return a;
      }, { accept: (a) => a !== null && a.status !== 'streaming' });
    const growth = await inPanel<number[]>(`(() => { window.__growthObserver.disconnect(); return window.__growth; })()`);
    assert.ok(growth.length >= 5, `the answer appeared in pieces (lengths shown while streaming: ${growth.join(', ')})`);
    const answer = await waitFor('the cost line', lastAnswer, { accept: (a) => /\$\d/.test(a?.stats ?? '') });
    assert.equal(answer!.status, 'done');
    assert.match(answer!.text, /You said: How do pools work\?/);
    assert.match(answer!.stats, /^via \S+/, 'the provider (the answer’s header names the model)');
    assert.match(answer!.stats, /\d+ in \/ \d+ out tokens/);
    assert.match(answer!.stats, /first token \d+/);
    assert.match(answer!.stats, /tok\/s/);
    assert.equal((await lastChatRequest()).model, model);
    assert.equal(await inPanel<string>(`document.getElementById('input').value`), '', 'the sent text left the input');
    await screenshot('chat-answer-with-cost');
  });

  it('Stop ends the answer at once, keeps the partial text marked stopped, and the emulator sees the stream closed', async () => {
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 150 } });
    const abortedBefore = (await emulator.counters()).streamsAbortedByClient;
    const before = await answerCount();
    await sendMessage('[[chunks:200]] Write a long essay');
    await waitFor('the first tokens', async () => ((await answerCount()) > before ? lastAnswer() : null), { accept: (a) => (a?.text.length ?? 0) > 0 });
    await browserAction('webviewClick', { selector: '#stop' });
    const stopped = await waitFor('the answer to show as stopped', lastAnswer, { accept: (a) => a?.status === 'stopped', timeoutMs: 5_000 });
    assert.match(stopped!.notice, /Stopped/);
    assert.ok(stopped!.text.length > 0, 'the partial answer is kept');
    await waitFor('the emulator to count the stream aborted by the client', () => emulator.counters(), { accept: (c) => c.streamsAbortedByClient === abortedBefore + 1, timeoutMs: 5_000 });
    const costed = await waitFor('the cost of the stopped answer from /generation', lastAnswer, { accept: (a) => /\$\d/.test(a?.stats ?? '') });
    assert.match(costed!.stats, /\d+ in \/ \d+ out tokens/);
    assert.ok((await emulator.requests()).some((r) => r.path === '/generation'), 'asked /generation for the numbers');
    await screenshot('chat-stopped');
  });

  it('shows a mid-stream error chunk inline, keeps the text, and Retry resends', async () => {
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'error-chunk', afterChunks: 4, message: 'Upstream provider crashed' } });
    const failed = await sendAndWait('[[chunks:30]] Tell me more');
    assert.equal(failed.status, 'error');
    assert.match(failed.notice, /Upstream provider crashed/);
    assert.match(failed.notice, /Retry/);
    assert.ok(failed.text.length > 0, 'text before the error is kept');
    await screenshot('chat-error-mid-stream');
    await browserAction('webviewClick', { selector: `article[data-turn-id="${failed.id}"] button[data-action="retry"]` });
    const retried = await waitFor('the retried answer', lastAnswer, { accept: (a) => a !== null && a.id !== failed.id && a.status === 'done' });
    assert.match(retried!.text, /You said/);
  });

  it('shows 402 out of credits inline with what to do, and keeps the message in the input', async () => {
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 402, message: 'Insufficient credits' } });
    const failed = await sendAndWait('Will this cost money?');
    assert.equal(failed.status, 'error');
    assert.match(failed.notice, /Out of credits/);
    assert.match(failed.notice, /free model/);
    assert.match(failed.notice, /Add Credits/);
    assert.equal(await inPanel<string>(`document.getElementById('input').value`), 'Will this cost money?');
    await screenshot('chat-error-402');
    await browserAction('webviewFill', { selector: '#input', text: '' });
  });

  it('history survives a reload of the view, and an old chat reopens from the list', async () => {
    await startNewChat();
    const first = await sendAndWait('Remember the word pelican');
    assert.equal(first.status, 'done');
    const turnsBefore = await inPanel<number>(`document.querySelectorAll('article.turn').length`);
    await reloadChatView('article.turn.assistant');
    assert.equal(await inPanel<number>(`document.querySelectorAll('article.turn').length`), turnsBefore, 'the conversation is back after the reload');

    await startNewChat();
    await toggleSection('history', true);
    await browserAction('webviewWaitFor', { selector: '#history-panel .history-open', text: 'Remember the word pelican' });
    await screenshot('chat-history');
    await browserAction('webviewClick', { selector: '#history-panel .history-open:has-text("Remember the word pelican")' });
    const reopened = await waitFor('the old chat to reopen', lastAnswer, { accept: (a) => a !== null && /pelican/.test(a.text) });
    assert.equal(reopened!.status, 'done');
    await toggleSection('history', false);
  });

  it('copies a code block and inserts it at the cursor of the active editor', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: '// before\n' });
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await openChatPanel();
    const code = 'const answer = 42;';
    const answer = await sendAndWait(`[[echo]]Here:\n\n\`\`\`typescript\n${code}\n\`\`\`\n`);
    assert.equal(answer.status, 'done');
    const block = `article[data-turn-id="${answer.id}"] .code-block`;
    await browserAction('webviewWaitFor', { selector: `${block} .hljs-keyword` });

    await vscode.env.clipboard.writeText('');
    await browserAction('webviewClick', { selector: `${block} button[data-action="copy-code"]` });
    await waitFor('the code on the clipboard', () => Promise.resolve(vscode.env.clipboard.readText()), { accept: (text) => text === `${code}\n` });

    await browserAction('webviewClick', { selector: `${block} button[data-action="insert-code"]` });
    await waitFor('the code inserted at the cursor', () => Promise.resolve(document.getText()), { accept: (text) => text === `// before\n${code}\n` });
    await screenshot('chat-code-block');
  });

  it('"Ask About Selection" opens the chat with the selection quoted as a code block with the file name', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'def add(a, b):\n    return a + b\n' });
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    editor.selection = new vscode.Selection(0, 0, 1, 16);
    // The palette lists this command only while an editor with a selection has the focus (its `when` clause), as after a click into it.
    await browserAction('runCommandFromPalette', { title: 'OpenRouter: Ask About Selection', focus: 'editor' });
    const draft = await waitFor('the quoted selection in the input', () => inPanel<string>(`document.getElementById('input').value`), { accept: (v) => v.includes('```python') });
    assert.match(draft, /\(lines 1–2\)/);
    assert.match(draft, /```python\ndef add\(a, b\):\n {4}return a \+ b\n```/);
    assert.match(draft, /Untitled|untitled/);
    assert.equal(await inPanel<string>(`document.activeElement?.id ?? ''`), 'input', 'the input has the focus, ready for the question');
    await screenshot('chat-ask-about-selection');
    await browserAction('webviewFill', { selector: '#input', text: '' });
  });

  it('Shift+Enter adds a line without sending; Enter sends; the panel can be used from the keyboard with labels', async () => {
    const before = await answerCount();
    await browserAction('webviewFill', { selector: '#input', text: 'line one' });
    await browserAction('webviewPress', { selector: '#input', key: 'Shift+Enter' });
    await browserAction('webviewPress', { selector: '#input', key: 'l' });
    assert.equal(await inPanel<string>(`document.getElementById('input').value`), 'line one\nl');
    assert.equal(await answerCount(), before, 'nothing was sent');
    await browserAction('webviewPress', { selector: '#input', key: 'Enter' });
    await waitFor('the two-line message to be answered', lastAnswer, { accept: (a) => a !== null && a.status === 'done' && /You said: line one/.test(a.text) });
    const unlabelled = await inPanel<string[]>(`[...document.querySelectorAll('button, select, textarea')]
      .filter((el) => !el.hidden && !(el.getAttribute('aria-label') || el.textContent.trim()))
      .map((el) => el.outerHTML.slice(0, 80))`);
    assert.deepEqual(unlabelled, [], 'every control has a name for screen readers');
    const focusable = await inPanel<number>(`[...document.querySelectorAll('button, select, textarea')].filter((el) => el.tabIndex < 0).length`);
    assert.equal(focusable, 0, 'no control is taken out of the tab order');
  });

  it('hidden mid-answer and shown again, shows the answer so far as it opens and streams it on to its end', async () => {
    await startNewChat();
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 80 } });
    await sendMessage('[[chunks:60]] Keep talking while the chat is hidden');
    const before = await waitFor('the first tokens', lastAnswer, { accept: (a) => a?.status === 'streaming' && a.text.length > 0 });
    // The side bar shows the Explorer: the chat's page is dropped while the answer streams on.
    await inPanel(`void (document.documentElement.dataset.replaced = 'true')`);
    await vscode.commands.executeCommand('workbench.view.explorer');
    await vscode.commands.executeCommand('openrouter.openChat');
    await browserAction('webviewWaitFor', { selector: 'html:not([data-replaced]) body[data-ready="true"] article.turn.assistant', timeoutMs: 30_000 });
    const shown = await lastAnswer();
    assert.equal(shown!.id, before!.id, 'the same answer, not a new one');
    assert.ok(shown!.text.startsWith(before!.text.trim()) && shown!.text.length >= before!.text.trim().length, 'the answer so far is on the page as it opens');
    const done = await waitFor('the answer to end', lastAnswer, { accept: (a) => a?.status === 'done', timeoutMs: 30_000 });
    assert.equal(done!.id, before!.id);
    assert.ok(done!.text.length > shown!.text.length && done!.text.startsWith(before!.text.trim()), 'it streamed on after the panel was shown again');
  });

  it('Ask About Selection is in the editor’s context menu for a selection; the OpenRouter activity bar entry opens the chat', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'const x = 1;\nconsole.log(x);\n' });
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    editor.selection = new vscode.Selection(1, 0, 1, 15);
    await browserAction('editorContextMenu', { pick: 'Ask About Selection' });
    const draft = await waitFor('the selection quoted from the context menu', () => inPanel<string>(`document.getElementById('input').value`), { accept: (v) => v.includes('console.log(x);') });
    assert.match(draft, /```javascript\nconsole\.log\(x\);\n```/);
    await browserAction('webviewFill', { selector: '#input', text: '' });

    // Without a selection the menu does not offer it.
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const { items } = await browserAction('editorContextMenu', { on: 'first-line' });
    assert.ok(items.length > 0 && !items.includes('Ask About Selection'), `entries without a selection: ${items.join(' | ')}`);

    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await browserAction('clickActivityBarItem', { label: 'OpenRouter' });
    await browserAction('webviewWaitFor', { selector: 'body[data-ready="true"] #input', timeoutMs: 30_000 });
  });
});

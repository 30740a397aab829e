// The chat's context in the real VS Code: `@` and the attach button pick files (the emulator receives their
// text), chips are removed by keyboard or mouse (and then not sent), pasted images go to vision models and are
// refused for text-only ones before anything is sent, the estimate before sending, and the caching footer.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { estimateTextTokens, MESSAGE_OVERHEAD } from '../../src/models/tokenEstimate';
import type { ChatContentPart, ChatRequest } from '../../src/openrouter/types';
import { formatUsd } from '../../src/util/usd';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { chooseModelInPanel, emulator, inPanel, lastAnswer, prepareChat, screenshot, sendAndWait, startNewChat } from './chat-ui';
import { apiGet } from './openrouterKit';
import { internalCommandIds } from '../../src/commands/commandIds';
import type { CompareSnapshot } from '../../src/protocols/compare';
import { waitFor } from '../support/waitFor';

const textModel = 'openai/gpt-4o-mini';
const visionModel = 'anthropic/claude-sonnet-4.5';
const smallContextModel = 'openai/gpt-5-mini';
const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

interface CatalogModel {
  id: string;
  context_length: number;
  pricing: Record<string, string>;
}

async function chatRequests(): Promise<ChatRequest[]> {
  return (await emulator.requests()).filter((r) => r.path === '/chat/completions').map((r) => r.body as ChatRequest);
}

async function lastUserContent(): Promise<ChatContentPart[]> {
  const requests = await chatRequests();
  const messages = requests.at(-1)!.messages;
  const content = messages.filter((m) => m.role === 'user').at(-1)!.content;
  return typeof content === 'string' ? [{ type: 'text', text: content }] : (content as ChatContentPart[]);
}

async function writeWorkspaceFile(name: string, text: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite opens a workspace folder');
  const uri = vscode.Uri.joinPath(folder.uri, name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

function chips(): Promise<string[]> {
  return inPanel<string[]>(`[...document.querySelectorAll('#composer-chips li.chip .chip-label')].map((c) => c.textContent)`);
}

async function useModel(id: string): Promise<void> {
  await chooseModelInPanel(id);
  await waitFor(`the extension to take ${id}`, async () => vscode.commands.executeCommand<{ selectedModelId: string }>('openrouter.internal.state'), { accept: (s) => s.selectedModelId === id });
}

/**
 * Waits until no quick input shows: a picker just used stays on screen while it closes, and keys typed for the
 * next one would reach it (or the chat input) instead.
 */
async function noQuickInput(): Promise<void> {
  await waitFor('the previous picker to close', () => browserAction('quickInputValue', {}), { accept: (q) => !q.visible });
}

/** Types `@` in the input as a user does, and picks `file` in the picker that opens. */
async function attachWithAt(file: string): Promise<void> {
  const before = (await chips()).length;
  await noQuickInput();
  await browserAction('webviewPress', { selector: '#input', key: '@' });
  // Filter first: with many files in the workspace the row may be outside the list's drawn part.
  await browserAction('quickPickItems', {});
  await browserAction('typeInQuickInput', { text: file });
  await browserAction('quickPickItems', { waitFor: file });
  await browserAction('pickQuickPickItem', { label: file });
  await waitFor(`the chip for ${file}`, chips, { accept: (c) => c.length === before + 1 });
}

/** Pastes a PNG into the input, as from the clipboard. */
async function pasteImage(name: string): Promise<void> {
  await inPanel(`(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(pixel)}), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], ${JSON.stringify(name)}, { type: 'image/png' }));
    document.getElementById('input').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);
  await waitFor(`the chip for the pasted ${name}`, chips, { accept: (c) => c.includes(name) });
}

function estimateShown(): Promise<{ text: string; tokens: number | null; cost: number | null; warning: boolean }> {
  return inPanel(`(() => {
    const e = document.getElementById('composer-estimate');
    return { text: e.textContent, tokens: e.dataset.tokens ? Number(e.dataset.tokens) : null, cost: e.dataset.costUsd ? Number(e.dataset.costUsd) : null, warning: e.classList.contains('warning') };
  })()`);
}

describe('sidebar chat: context (attachments, images, estimate, caching)', function () {
  this.timeout(120_000);
  let catalog: Map<string, CatalogModel>;

  before(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
    await prepareChat({ fresh: true });
    catalog = new Map((await apiGet<{ data: CatalogModel[] }>('/models')).data.map((m) => [m.id, m]));
  });

  beforeEach(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) return;
    await startNewChat();
  });

  afterEach(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) return;
    await browserAction('closeQuickInput', {});
    if (this.currentTest?.state === 'failed') await screenshot(`context-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
    // Leftover chips would ride along with the next test's question.
    for (let left = (await chips()).length; left > 0; left = (await chips()).length) {
      await browserAction('webviewClick', { selector: '#composer-chips li.chip .chip-remove' });
      await waitFor('a chip to go', chips, { accept: (c) => c.length < left });
    }
    await browserAction('webviewFill', { selector: '#input', text: '' });
  });

  it('@ attaches workspace files as chips; a chip removed with the keyboard is not sent, the kept file’s text is', async () => {
    await useModel(textModel);
    await writeWorkspaceFile('context-kept.ts', 'export const keptMarker = "alpha-kept";\n');
    await writeWorkspaceFile('context-dropped.ts', 'export const droppedMarker = "beta-dropped";\n');
    await browserAction('webviewFill', { selector: '#input', text: 'Explain ' });
    await attachWithAt('context-kept.ts');
    await attachWithAt('context-dropped.ts');
    assert.deepEqual(await chips(), ['context-kept.ts', 'context-dropped.ts']);
    assert.equal(await inPanel<string>(`document.getElementById('input').value`), 'Explain ', 'the @ that opened the picker is gone from the text');
    await screenshot('chat-context-chips');

    // Keyboard only: Backspace at the start of the input goes to the last chip, Delete removes it.
    await inPanel(`(() => { const i = document.getElementById('input'); i.focus(); i.setSelectionRange(0, 0); })()`);
    await browserAction('webviewPress', { selector: '#input', key: 'Backspace' });
    assert.equal(await inPanel<string>(`document.activeElement?.closest('li.chip')?.querySelector('.chip-label')?.textContent ?? ''`), 'context-dropped.ts');
    await browserAction('webviewPress', { selector: '#composer-chips li.chip:focus', key: 'Delete' });
    await waitFor('the removed chip to go', chips, { accept: (c) => c.length === 1 });

    const answer = await sendAndWait('Explain these');
    assert.equal(answer.status, 'done');
    const parts = await lastUserContent();
    const sent = JSON.stringify(parts);
    assert.match(sent, /File: context-kept\.ts\\n```typescript\\nexport const keptMarker = \\"alpha-kept\\";/, 'the emulator received the file with its path');
    assert.doesNotMatch(sent, /beta-dropped/, 'the removed attachment was not sent');
    assert.deepEqual(await chips(), [], 'the chips went with the question');
    assert.deepEqual(await inPanel<string[]>(`[...document.querySelectorAll('article.turn.user .turn-attachments .chip-label')].map((c) => c.textContent)`), ['context-kept.ts'], 'the question shows what it was sent with');
  });

  it('@ offers the editor’s selection and the active file first; the selection is sent with its lines', async () => {
    await useModel(textModel);
    // Another open editor, and a file VS Code's search leaves out (search.exclude has node_modules).
    await vscode.window.showTextDocument(await writeWorkspaceFile('context-open.ts', 'export {};\n'), { viewColumn: vscode.ViewColumn.Two, preview: false });
    await writeWorkspaceFile('node_modules/left-out/context-hidden.js', 'module.exports = 1;\n');
    await writeWorkspaceFile('context-listed.ts', 'export const listed = true;\n');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: 'def area(r):\n    return 3.14159 * r * r\n\nprint(area(2))\n' });
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    editor.selection = new vscode.Selection(0, 0, 1, 26);
    await browserAction('webviewFill', { selector: '#input', text: '' });
    await noQuickInput();
    await browserAction('webviewPress', { selector: '#input', key: '@' });
    const items = await browserAction('quickPickItems', { waitFor: 'Active file' });
    const labels = items.map((i) => i.label);
    assert.ok(labels.indexOf('Selection') === 0 && labels.indexOf('Active file') === 1, `the selection, then the active file, first: ${labels.slice(0, 4).join(' | ')}`);
    const open = items.find((i) => i.label === 'context-open.ts');
    assert.ok(open && /open editor/.test(open.description), `the other open editor is offered: ${JSON.stringify(items.slice(0, 6))}`);
    await browserAction('typeInQuickInput', { text: 'context-' });
    const found = await browserAction('quickPickItems', { waitFor: 'context-listed.ts' });
    assert.ok(!found.some((i) => i.label === 'context-hidden.js'), 'files under node_modules are not listed');
    await browserAction('typeInQuickInput', { text: '', replace: true });
    await browserAction('pickQuickPickItem', { label: 'Selection', exact: true });
    const [chip] = await waitFor('the selection chip', chips, { accept: (c) => c.length === 1 });
    assert.match(chip!, /^Untitled-\d+:1-2$/);
    await sendAndWait('What does area do?');
    const text = (await lastUserContent())[0] as { text: string };
    assert.match(text.text, /^Selection: Untitled-\d+ \(lines 1–2\)\n```python\ndef area\(r\):\n {4}return 3\.14159 \* r \* r\n```$/);
    assert.doesNotMatch(text.text, /print\(area/, 'only the selected lines');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    // Back to one editor group, as the suite's other tests expect.
    await vscode.commands.executeCommand('workbench.action.closeAllGroups');
  });

  it('shows the estimated tokens and cost for the chosen model, and warns when an attachment exceeds its context', async () => {
    await useModel(textModel);
    const question = 'How much does this question cost to send?';
    await browserAction('webviewFill', { selector: '#input', text: question });
    const expectedTokens = MESSAGE_OVERHEAD + estimateTextTokens(question);
    const price = Number(catalog.get(textModel)!.pricing.prompt);
    const shown = await waitFor('the estimate for the typed question', estimateShown, { accept: (e) => e.tokens === expectedTokens });
    assert.equal(shown.cost, expectedTokens * price, 'catalog prompt price × estimated tokens');
    assert.match(shown.text, new RegExp(`≈ ${expectedTokens} tokens · ${formatUsd(expectedTokens * price).replace('$', '\\$')} · 1% of context`));
    assert.equal(shown.warning, false);

    await useModel(smallContextModel);
    const context = catalog.get(smallContextModel)!.context_length;
    await writeWorkspaceFile('context-large.md', `${'A long design note that goes on and on. '.repeat(1200)}\n`);
    // The attach button opens the same picker.
    await noQuickInput();
    await browserAction('webviewClick', { selector: '#attach' });
    await browserAction('quickPickItems', {});
    await browserAction('typeInQuickInput', { text: 'context-large.md' });
    await browserAction('quickPickItems', { waitFor: 'context-large.md' });
    await browserAction('pickQuickPickItem', { label: 'context-large.md' });
    const warned = await waitFor('the context warning', estimateShown, { accept: (e) => e.warning });
    assert.ok(warned.tokens! > context, `${warned.tokens} tokens > ${context}`);
    assert.match(warned.text, new RegExp(`more than .+ reads \\(${context.toLocaleString('en-US')}-token context\\)`));
    await screenshot('chat-context-warning');
  });

  it('a file over the size limit is refused with its size and what to do; nothing is attached', async () => {
    await writeWorkspaceFile('context-huge.log', `${'x'.repeat(299)}\n`.repeat(1000));
    await noQuickInput();
    await browserAction('webviewClick', { selector: '#attach' });
    await browserAction('quickPickItems', {});
    await browserAction('typeInQuickInput', { text: 'context-huge.log' });
    await browserAction('quickPickItems', { waitFor: 'context-huge.log' });
    await browserAction('pickQuickPickItem', { label: 'context-huge.log' });
    const problem = await browserAction('webviewWaitFor', { selector: '.attach-problem', text: 'context-huge.log' });
    assert.match(problem.text, /context-huge\.log is 293 KB; the chat attaches text files up to 256 KB\. Select the part you need/);
    assert.deepEqual(await chips(), []);
  });

  it('pasted, dropped and picked images go to a vision model as image parts', async () => {
    await useModel(visionModel);
    await pasteImage('diagram.png');
    // Dropped on the composer, as from the file manager.
    await inPanel(`(() => {
      const bytes = Uint8Array.from(atob(${JSON.stringify(pixel)}), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
      document.querySelector('footer.composer').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    await waitFor('the chip for the dropped image', chips, { accept: (c) => c.includes('dropped.png') });
    // Picked as a file: an image in the workspace is attached as an image.
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'context-picked.png'), Buffer.from(pixel, 'base64'));
    await attachWithAt('context-picked.png');
    const answer = await sendAndWait('What does the diagram show?');
    assert.equal(answer.status, 'done');
    const parts = await lastUserContent();
    const image = { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } };
    assert.deepEqual(parts.slice(-3), [image, image, image], 'the pasted, dropped and picked images arrive as image parts');
    await screenshot('chat-context-image-sent');
  });

  it('“Image from file…” opens VS Code’s file dialog; the image chosen there is attached and sent', async () => {
    await useModel(visionModel);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const picked = vscode.Uri.joinPath(folder, 'dialog-pictures', 'context-dialog.png');
    await vscode.workspace.fs.writeFile(picked, Buffer.from(pixel, 'base64'));
    await noQuickInput();
    await browserAction('webviewClick', { selector: '#attach' });
    await browserAction('quickPickItems', { waitFor: 'Image from file' });
    await browserAction('pickQuickPickItem', { label: 'Image from file' });
    // VS Code's own open dialog (the workbench's, as in VS Code for the Web and remote windows): a path to type.
    await waitFor('the dialog’s path box', () => browserAction('quickInputValue', {}), { accept: (v) => v.visible && v.value.startsWith('/') });
    await browserAction('typeInQuickInput', { text: `${picked.path.slice(0, picked.path.lastIndexOf('/') + 1)}`, replace: true });
    await browserAction('quickPickItems', { waitFor: 'context-dialog.png' });
    await browserAction('typeInQuickInput', { text: picked.path, replace: true });
    await browserAction('pressKey', { key: 'Enter' });
    await waitFor('the chip for the image chosen in the dialog', chips, { accept: (c) => c.includes('context-dialog.png') });
    const answer = await sendAndWait('What is in this picture?');
    assert.equal(answer.status, 'done');
    const parts = await lastUserContent();
    assert.deepEqual(parts.at(-1), { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } }, 'the chosen file arrives as an image part');
  });

  it('an image for a text-only model is refused before sending, naming the model; the question and chip stay', async () => {
    await useModel(textModel);
    const before = (await chatRequests()).length;
    await pasteImage('screen.png');
    const warned = await waitFor('the refusal in the estimate', estimateShown, { accept: (e) => e.warning });
    assert.match(warned.text, /reads text only/);
    await browserAction('webviewFill', { selector: '#input', text: 'Describe the screen' });
    await browserAction('webviewPress', { selector: '#input', key: 'Enter' });
    const error = await browserAction('webviewWaitFor', { selector: '#composer-error', text: 'cannot take images' });
    assert.match(error.text, new RegExp(`\\(${textModel.replace('/', '\\/')}\\) reads text only, so it cannot take images\\.`));
    assert.match(error.text, /Choose a model that reads images, or remove the image/);
    assert.equal(await inPanel<string>(`document.getElementById('input').value`), 'Describe the screen', 'the question stays');
    assert.deepEqual(await chips(), ['screen.png'], 'the image stays');
    assert.equal((await chatRequests()).length, before, 'nothing was sent');
    await screenshot('chat-context-image-refused');
  });

  it('marks a large attachment cacheable for Anthropic, and the follow-up’s footer shows the cached tokens and the saving', async () => {
    await useModel(visionModel);
    await writeWorkspaceFile('context-cached.ts', 'export function handler(request: Request): Response { return new Response("ok"); }\n'.repeat(80));
    await browserAction('webviewFill', { selector: '#input', text: 'Summarise ' });
    await attachWithAt('context-cached.ts');
    await waitFor('the estimate to say the file is cacheable', estimateShown, { accept: (e) => /1 cacheable/.test(e.text) });
    const first = await sendAndWait('Summarise this file');
    assert.equal(first.status, 'done');
    assert.deepEqual((await lastUserContent())[0]!.cache_control, { type: 'ephemeral' });
    await waitFor('the first footer: written to the cache', lastAnswer, { accept: (a) => /written to cache/.test(a?.stats ?? '') });

    await sendAndWait('Which status does it return?');
    const footer = await waitFor('the follow-up footer: cached tokens and the saving', lastAnswer, { accept: (a) => /\d+ cached, saved \$\d/.test(a?.stats ?? '') });
    assert.match(footer!.stats, /\d+ in \/ \d+ out tokens/);
    await screenshot('chat-context-cache-footer');
  });

  it('Compare Models starts from the chat composer: its draft as the prompt and its attachments sent to every model', async () => {
    await writeWorkspaceFile('context-compare.ts', 'export const compareMarker = "gamma-compared";\n');
    await browserAction('webviewFill', { selector: '#input', text: 'Which is clearer? ' });
    await attachWithAt('context-compare.ts');
    // The panel tells the extension its draft a moment after the last edit (the @ taken out).
    await waitFor('the extension to have the draft and the attachment', async () => (await vscode.commands.executeCommand<{ chatComposer: { draft: string; attachments: string[] } }>('openrouter.internal.state')).chatComposer, { accept: (composer) => composer.draft.trim() === 'Which is clearer?' && composer.attachments.length === 1 });
    const models = ['openai/gpt-4o', 'mistralai/mistral-nemo'];
    // As the chat's title-bar button does, minus the model pick: the draft and the attachments come from the chat.
    const compareState = async (): Promise<CompareSnapshot | undefined> => await vscode.commands.executeCommand<CompareSnapshot | undefined>(internalCommandIds.compareState);
    await vscode.commands.executeCommand('openrouter.compareModels', { models });
    try {
    const shown = await waitFor('the comparison panel', compareState, { accept: (snap) => snap !== undefined && snap.models.length === 2 });
    assert.equal(shown!.prompt.trim(), 'Which is clearer?');
    assert.deepEqual(shown!.attachments.map((a) => a.name), ['context-compare.ts']);
    await browserAction('webviewWaitFor', { within: '#compare-app', selector: '#estimate', text: 'Estimated cost' });
    await browserAction('webviewClick', { within: '#compare-app', selector: '#send' });
    // Only the comparison's requests carry the attached file's text.
    const sent = await waitFor('the attachment in one request per compared model', async () => (await emulator.requests()).filter((r) => r.path === '/chat/completions' && JSON.stringify(r.body).includes('gamma-compared')), { accept: (requests) => requests.length === 2 });
    assert.deepEqual(sent.map((r) => (r.body as ChatRequest).model).sort(), [...models].sort());
    await waitFor('the comparison to end', compareState, { accept: (snap) => snap !== undefined && !snap.running });
    } finally {
      // The chat's tests drive the first webview on the page: the comparison's must be gone.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await waitFor('the comparison panel to close', compareState, { accept: (snap) => snap === undefined });
      // The chat's helpers read the only webview on the page: wait until the panel's is gone from it.
      await waitFor('one webview on the page', () => inPanel<boolean>('true').catch(() => false), { accept: (one) => one });
    }
    assert.deepEqual(await chips(), ['context-compare.ts'], 'the chat keeps its attachment');
  });
});

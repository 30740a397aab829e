// What is never sent, in the real VS Code: completions in a `.env` file send nothing and the status item names the
// pattern; a secret near the cursor is cut from the prompt; a link to a file outside the workspace and an
// excluded file are refused as attachments; Compare Models drops excluded attachments and cuts secrets.
import assert from 'node:assert/strict';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { internalCommandIds } from '../../src/commands/commandIds';
import type { CompletionsFeature } from '../../src/completions';
import type { ChatRequest } from '../../src/openrouter/types';
import type { CompareSnapshot } from '../../src/protocols/compare';
import { dotEnv, everySecret, samples } from '../unit/exclusionSamples';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { inPanel, prepareChat, startNewChat } from './chat-ui';
import { TEST_KEY, emulator, logTail, resetWorld } from './openrouterKit';
import { waitFor } from '../support/waitFor';

type CompletionsState = ReturnType<CompletionsFeature['state']>;
const completionsState = async (): Promise<CompletionsState> => (await vscode.commands.executeCommand(internalCommandIds.completionsState)) as CompletionsState;

async function workspaceFile(name: string, text: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite opens a workspace folder');
  const uri = vscode.Uri.joinPath(folder.uri, name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** Resolves once VS Code has asked the inline completion providers (the test's own is asked with the extension's). */
function providersAsked(): Promise<void> {
  return new Promise((resolve) => {
    const registration = vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, {
      provideInlineCompletionItems: () => {
        registration.dispose();
        resolve();
        return [];
      },
    });
  });
}

/** Opens the file with the cursor at the end of `line`, types a character (unless told not to) and asks for suggestions. */
async function typeIn(uri: vscode.Uri | vscode.TextDocument, line: number, language?: string, typing = true): Promise<void> {
  let document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : uri;
  // .env has no language of its own in every VS Code; shell is how many users see it.
  if (language && document.languageId === 'plaintext') document = await vscode.languages.setTextDocumentLanguage(document, language);
  const editor = await vscode.window.showTextDocument(document);
  const cursor = new vscode.Position(line, document.lineAt(line).text.length);
  editor.selection = new vscode.Selection(cursor, cursor);
  const asked = providersAsked();
  if (typing) await vscode.commands.executeCommand('type', { text: 'x' });
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  await asked;
}

const sentBodies = async (path: string): Promise<string> => JSON.stringify((await emulator.requests()).filter((r) => r.path === path).map((r) => r.body));

describe('exclusion: what completions never send', function () {
  this.timeout(60_000);

  before(async () => {
    await resetWorld({ key: TEST_KEY });
    await vscode.workspace.getConfiguration('openrouter.completions').update('debounceMs', 0, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('openrouter.completions').update('enabled', true, vscode.ConfigurationTarget.Global);
    await waitFor('completions registered', async () => (await completionsState()).registered);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      for (const line of (await logTail()).slice(-30)) console.log(`  log: ${line.component} ${line.level} ${line.message}`);
    }
    while (vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('openrouter.completions').update('enabled', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('openrouter.completions').update('debounceMs', undefined, vscode.ConfigurationTarget.Global);
  });

  it('typing in .env sends nothing, and the status item names the pattern that excludes it', async () => {
    const uri = await workspaceFile('.env', `${dotEnv}DEBUG=`);
    await emulator.reset();
    await typeIn(uri, dotEnv.split('\n').length - 1, 'shellscript');
    const status = await waitFor('the status item to say why', async () => ((await completionsState()).status.tooltip.includes('`.env*`') ? (await completionsState()).status : undefined));
    assert.match(status.tooltip, /Not for this file: \.env is never sent to a model: it matches `\.env\*` in openrouter\.exclusion\.patterns/);
    assert.match(status.text, /eye-closed/);
    assert.equal((await emulator.counters()).requestsByPath['/completions'] ?? 0, 0, 'no completion request left');
    for (const secret of everySecret) assert.ok(!(await sentBodies('/completions')).includes(secret));
  });

  it('an untitled buffer gets no completions by default, and the status item says which setting decides', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: `// [[fim:return 1;]]\nconst key = "${samples.stripe}";\nfunction one() {\n  \n}\n` });
    await emulator.reset();
    await typeIn(document, 3);
    const status = await waitFor('the status item to say why', async () => ((await completionsState()).status.tooltip.includes('untitled buffer') ? (await completionsState()).status : undefined));
    assert.match(status.tooltip, /it is an untitled buffer \(openrouter\.exclusion\.untitled\)/);
    assert.equal((await emulator.counters()).requestsByPath['/completions'] ?? 0, 0);
  });

  it('VS Code’s own settings.json gets no completions (its proxy password stays home)', async () => {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    // `vscode-userdata:` in the desktop app; a file in the server's user data folder in a browser.
    const editor = await waitFor('the user settings editor', () => (vscode.window.activeTextEditor?.document.uri.path.endsWith('/User/settings.json') ? vscode.window.activeTextEditor : undefined));
    await emulator.reset();
    // Asked without typing: the user's settings must stay as they are for the rest of the suite.
    await typeIn(editor.document, 0, undefined, false);
    const status = await waitFor('the status item to say why', async () => ((await completionsState()).status.tooltip.includes('Not for this file') ? (await completionsState()).status : undefined));
    assert.match(status.tooltip, /settings\.json is never sent to a model: (VS Code settings and state are never sent|it matches `\*\*\/User\/settings\.json`)/);
    assert.equal((await emulator.counters()).requestsByPath['/completions'] ?? 0, 0);
  });

  it('in an ordinary file the prompt stops short of a token above the cursor, and the log and status item say so without it', async () => {
    const text = `const token = "${samples.github}";\n\n// [[fim:return a + b;]]\nexport function add(a: number, b: number) {\n  \n}\n`;
    const uri = await workspaceFile('exclusion-add.ts', text);
    await emulator.reset();
    await typeIn(uri, 4);
    const request = await waitFor('the completion request', async () => (await emulator.requests()).find((r) => r.path === '/completions'));
    const body = JSON.stringify(request.body);
    assert.ok(body.includes('export function add'), 'the code around the cursor is sent');
    assert.ok(!body.includes(samples.github), 'the token never reaches the emulator');
    const status = await waitFor('the status item to say the prompt was cut', async () => ((await completionsState()).status.tooltip.includes('Cut short') ? (await completionsState()).status : undefined));
    assert.match(status.tooltip, /Cut short of a secret \(github GITHUB_TOKEN\)/);
    const logged = (await logTail()).map((l) => l.message).join('\n');
    assert.match(logged, /completion prompt cut short: a secret \(github GITHUB_TOKEN\)/);
    assert.ok(!logged.includes(samples.github));
  });
});

describe('exclusion: attachments and Compare Models', function () {
  this.timeout(120_000);

  before(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
    await prepareChat({ fresh: true });
  });

  beforeEach(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) return;
    await startNewChat();
  });

  afterEach(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) return;
    await browserAction('closeQuickInput', {});
  });

  const chips = (): Promise<string[]> => inPanel<string[]>(`[...document.querySelectorAll('#composer-chips li.chip .chip-label')].map((c) => c.textContent)`);

  /** Picks `file` with the attach button; resolves with the problem shown, if any. */
  async function attach(file: string): Promise<void> {
    await waitFor('the previous picker to close', () => browserAction('quickInputValue', {}), { accept: (q) => !q.visible });
    await browserAction('webviewClick', { selector: '#attach' });
    // Filter first: with many files in the workspace the row may be outside the list's visible part.
    await browserAction('quickPickItems', {});
    await browserAction('typeInQuickInput', { text: file });
    await browserAction('quickPickItems', { waitFor: file });
    await browserAction('pickQuickPickItem', { label: file });
  }

  it('a link to a file outside the workspace is refused, saying where it leads; nothing is attached', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'openrouter-outside-'));
    const target = path.join(outside, 'credentials');
    writeFileSync(target, `[default]\naws_secret_access_key = ${samples.awsSecret}\n`);
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    symlinkSync(target, path.join(folder, 'linked-credentials.txt'));
    await attach('linked-credentials.txt');
    const problem = await browserAction('webviewWaitFor', { selector: '.attach-problem', text: 'linked-credentials.txt' });
    assert.match(problem.text, /linked-credentials\.txt is not sent to a model: it is a link to a file outside the workspace folders/);
    assert.ok(problem.text.includes(target));
    assert.deepEqual(await chips(), []);
  });

  it('an excluded file is refused naming its pattern; a file with a token is attached without it', async () => {
    await workspaceFile('deploy.pem', 'not really a certificate\n');
    await attach('deploy.pem');
    const problem = await browserAction('webviewWaitFor', { selector: '.attach-problem', text: 'deploy.pem' });
    assert.match(problem.text, /deploy\.pem is never sent to a model: it matches `\*\.pem` in openrouter\.exclusion\.patterns/);
    assert.deepEqual(await chips(), []);

    await workspaceFile('exclusion-client.ts', `export const stripeKey = "${samples.stripe}";\nexport const marker = "delta-attached";\n`);
    await attach('exclusion-client.ts');
    await waitFor('the chip', chips, { accept: (c) => c.includes('exclusion-client.ts') });
    await emulator.reset();
    await browserAction('webviewFill', { selector: '#input', text: 'Explain this' });
    await browserAction('webviewPress', { selector: '#input', key: 'Enter' });
    const body = await waitFor('the question with the attachment', () => sentBodies('/chat/completions'), { accept: (sent) => sent.includes('delta-attached') });
    assert.ok(!body.includes(samples.stripe), 'the key never reaches the emulator');
    assert.match(body, /\[secret removed: stripe STRIPE_SECRET_KEY_LIVE\]/);
  });

  it('Compare Models drops an excluded attachment and cuts secrets from the prompt and the attachments', async () => {
    const models = ['openai/gpt-4o', 'mistralai/mistral-nemo'];
    const compareState = async (): Promise<CompareSnapshot | undefined> => await vscode.commands.executeCommand<CompareSnapshot | undefined>(internalCommandIds.compareState);
    await vscode.commands.executeCommand('openrouter.compareModels', {
      models,
      prompt: `Why does ${samples.openrouter} fail?`,
      attachments: [
        { kind: 'text', name: 'config/.env.production', text: dotEnv },
        { kind: 'text', name: 'src/db.ts', text: `export const url = "postgres://admin:${samples.postgresPassword}@db:5432/app"; // epsilon-compared\n` },
      ],
    });
    try {
      const shown = await waitFor('the comparison panel', compareState, { accept: (snap) => snap !== undefined && snap.models.length === 2 });
      assert.deepEqual(shown!.attachments.map((a) => a.name), ['src/db.ts']);
      await emulator.reset();
      await browserAction('webviewWaitFor', { within: '#compare-app', selector: '#estimate', text: 'Estimated cost' });
      await browserAction('webviewClick', { within: '#compare-app', selector: '#send' });
      const sent = await waitFor('one request per compared model', async () => (await emulator.requests()).filter((r) => r.path === '/chat/completions' && JSON.stringify(r.body).includes('epsilon-compared')), { accept: (requests) => requests.length === 2 });
      const bodies = JSON.stringify(sent.map((r) => r.body as ChatRequest));
      for (const secret of everySecret) assert.ok(!bodies.includes(secret), 'a secret reached the emulator');
      assert.ok(bodies.includes('[secret removed: openrouter API key]'));
      await waitFor('the comparison to end', compareState, { accept: (snap) => snap !== undefined && !snap.running });
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await waitFor('the comparison panel to close', compareState, { accept: (snap) => snap === undefined });
      await waitFor('one webview on the page', () => inPanel<boolean>('true').catch(() => false), { accept: (one) => one });
    }
  });
});

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from '../../src/commands/commandIds';
import type { CompletionsFeature } from '../../src/completions';
import type { CreditsSnapshot } from '../../src/credits/creditsStatusItem';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { TEST_KEY, emulator, logTail, resetWorld } from './openrouterKit';
import { waitFor } from '../support/waitFor';

type CompletionsState = ReturnType<CompletionsFeature['state']>;

const completionsState = async (): Promise<CompletionsState> => (await vscode.commands.executeCommand(internalCommandIds.completionsState)) as CompletionsState;
const completionRequests = async (): Promise<number> => (await emulator.counters()).requestsByPath['/completions'] ?? 0;

async function setCompletionSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('openrouter.completions').update(key, value, vscode.ConfigurationTarget.Global);
}

async function setEnabled(enabled: boolean): Promise<void> {
  await setCompletionSetting('enabled', enabled);
  await waitFor(`completions ${enabled ? 'registered' : 'unregistered'}`, async () => (await completionsState()).registered === enabled);
}

/** A TypeScript file whose first line tells the emulator the middle to answer, the cursor inside the function. */
async function openFunction(middle: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: `// [[fim:${middle}]]\nfunction add(a: number, b: number) {\n  \n}\n` });
  const editor = await vscode.window.showTextDocument(document);
  const cursor = new vscode.Position(2, 2);
  editor.selection = new vscode.Selection(cursor, cursor);
  return editor;
}

/**
 * Resolves once VS Code has asked the inline completion providers for a suggestion: the test's own
 * provider, registered next to the extension's, is asked at the same moment.
 */
function providersAsked(): Promise<void> {
  return new Promise((resolve) => {
    const registration = vscode.languages.registerInlineCompletionItemProvider({ language: 'typescript' }, {
      provideInlineCompletionItems: () => {
        registration.dispose();
        resolve();
        return [];
      },
    });
  });
}

/** Types into a fresh function and asks VS Code for inline suggestions, after the emulator forgot earlier requests. */
async function typeAndAskForSuggestions(middle = 'return a + b;'): Promise<void> {
  await openFunction(middle);
  await emulator.reset();
  const asked = providersAsked();
  await vscode.commands.executeCommand('type', { text: 'r' });
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  await asked;
}

describe('inline completions in the editor', function () {
  this.timeout(60_000);

  before(async () => {
    await resetWorld({ key: TEST_KEY });
    await setCompletionSetting('debounceMs', 0);
    // These tests type in untitled buffers, which by default get no completions (openrouter.exclusion.untitled).
    await vscode.workspace.getConfiguration('openrouter.exclusion').update('untitled', 'allow', vscode.ConfigurationTarget.Global);
  });

  afterEach(async function () {
    // A failure shows what the extension logged (requests, completions) right before it.
    if (this.currentTest?.state === 'failed') {
      for (const line of (await logTail()).slice(-30)) console.log(`  log: ${line.component} ${line.level} ${line.message}`);
    }
    await emulator.clearFaults();
    // Untitled files are reverted, not saved: closing them must not ask.
    while (vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  after(async () => {
    await setCompletionSetting('enabled', undefined);
    await setCompletionSetting('debounceMs', undefined);
    await vscode.workspace.getConfiguration('openrouter.exclusion').update('untitled', undefined, vscode.ConfigurationTarget.Global);
  });

  it('is off by default: no provider is registered and typing sends no request', async () => {
    const state = await completionsState();
    assert.equal(state.enabled, false);
    assert.equal(state.registered, false);
    assert.equal(state.status.text, '$(circle-slash) Complete');
    await typeAndAskForSuggestions();
    assert.equal(await completionRequests(), 0);
    assert.equal((await emulator.counters()).requests, 0, 'no request of any kind');
  });

  it('shows the ghost text at the cursor, turned on from the status bar, and Tab accepts it', async function () {
    if (!hasBrowserDriver()) this.skip();
    await browserAction('clickStatusBarItem', { id: 'openrouter.completions' });
    await waitFor('completions registered', async () => (await completionsState()).registered);
    await browserAction('waitForStatusBarText', { id: 'openrouter.completions', pattern: 'Complete' });
    const editor = await openFunction('return a + b;');
    await emulator.reset();
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const ghost = await browserAction('editorGhostText', { text: 'return a + b;' });
    assert.match(ghost.text, /return a \+ b;/);
    await browserAction('screenshot', { name: 'completions-ghost-text' });
    await browserAction('pressKey', { key: 'Tab' });
    await waitFor('the completion in the document', () => editor.document.lineAt(2).text === '  return a + b;');
    const sent = (await emulator.requests()).find((r) => r.path === '/completions')?.body as { model: string; prompt: string; suffix: string; stream: boolean };
    assert.equal(sent.model, 'mistralai/codestral-2508');
    assert.equal(sent.stream, true);
    assert.match(sent.prompt, /^\/\/ Path: Untitled-\d+\n\/\/ \[\[fim:return a \+ b;\]\]\nfunction add/);
    assert.equal(sent.suffix, '\n}\n');
    // The cost reaches the credits tooltip's usage figures.
    const credits = (await vscode.commands.executeCommand(commandIds.refreshCredits)) as CreditsSnapshot;
    assert.match(credits.tooltip, /Completions in this window: [1-9]\d* requests?/);
    assert.ok((await completionsState()).spend.costUsd > 0);
  });

  it('typing on cancels the request in flight, and the emulator sees its stream closed', async () => {
    await setEnabled(true);
    await emulator.reset();
    // The first answer trickles in slowly enough for the next keystroke to catch it mid-stream.
    await emulator.addFault({ path: '/completions', fault: { type: 'slow-chunks', delayMs: 1_000 } });
    const editor = await openFunction('return b + a;');
    // The trigger command resolves once the suggestion is settled: not awaited until the end.
    const triggered = vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor('the first request at the emulator', async () => (await completionRequests()) === 1);
    const before = (await completionsState()).spend;
    await vscode.commands.executeCommand('type', { text: 'r' });
    await waitFor('the emulator to see the stream closed', async () => (await emulator.counters()).streamsAbortedByClient === 1);
    await waitFor('the cancellation counted', async () => (await completionsState()).spend.cancelled === before.cancelled + 1);
    assert.equal(editor.document.lineAt(2).text, '  r', 'the stale answer was not inserted');
    // The keystroke asked again for the new position; that answer streams to its end.
    await waitFor('the second answer streamed to its end', async () => (await emulator.counters()).streamsCompleted === 1);
    assert.equal(await completionRequests(), 2);
    await triggered;
  });

  it('past a budget completions send nothing, never ask, and the status item says why; raising the budget resumes them', async () => {
    await setEnabled(true);
    const budget = vscode.workspace.getConfiguration('openrouter');
    await budget.update('budget.daily', 0.000001, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the daily budget to be over', async () => ((await vscode.commands.executeCommand('openrouter.internal.usageState', { forgetRaises: true })) as { budget: { level: string } }).budget.level === 'over');
      // A prompt no earlier test asked for: an answer from the cache would cost nothing and ask no budget.
      await typeAndAskForSuggestions('return a * b; // over budget');
      await waitFor('the status item to say completions stopped', async () => /Stopped: your OpenRouter budget is spent/.test((await completionsState()).status.tooltip));
      assert.equal((await completionsState()).status.text, '$(debug-pause) Complete');
      assert.equal(await completionRequests(), 0, 'nothing sent past the budget');
      if (hasBrowserDriver()) assert.equal((await browserAction('quickInputValue', {})).visible, false, 'and nothing asked');

      await budget.update('budget.daily', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('the status item to resume', async () => (await completionsState()).status.text === '$(sparkle) Complete');
      await typeAndAskForSuggestions('return a * b; // budget raised');
      await waitFor('a completion request once the budget allows it', async () => (await completionRequests()) >= 1);
    } finally {
      await budget.update('budget.daily', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('turned off, the provider is gone and typing sends no request', async () => {
    await setEnabled(true);
    const toggled = (await vscode.commands.executeCommand(commandIds.toggleCompletions)) as boolean;
    assert.equal(toggled, false);
    await waitFor('completions unregistered', async () => !(await completionsState()).registered);
    assert.equal((await completionsState()).status.text, '$(circle-slash) Complete');
    await typeAndAskForSuggestions();
    assert.equal(await completionRequests(), 0);
  });
});

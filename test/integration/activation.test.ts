import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds } from '../../src/commands/commandIds';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { TEST_KEY, activateExtension, emulatorBaseUrl, logTail, resetWorld, state } from './openrouterKit';
import { waitFor } from '../support/waitFor';

describe('activation', () => {
  it('activates against the emulator the environment names', async () => {
    await activateExtension();
    const current = await state();
    assert.equal(current.settings.baseUrl, emulatorBaseUrl().replace(/\/+$/, ''));
    const lines = await logTail();
    assert.ok(lines.some((l) => l.component === 'main' && l.message.startsWith('Features loaded')), 'a "Features loaded" line in the log');
  });

  it('in a focused window the features load by themselves: the status bar shows the model and the credits with no command run', async function () {
    if (!hasBrowserDriver()) this.skip();
    // Start-up registers only stand-ins; the status items exist once the features have loaded on their own.
    await activateExtension();
    const model = await browserAction('readStatusBarItem', { id: 'openrouter.model' });
    assert.ok(model.text.length > 0, 'the model status item is shown');
    const credits = await browserAction('readStatusBarItem', { id: 'openrouter.credits' });
    assert.ok(credits.text.length > 0, 'the credits status item is shown');
  });

  it('without a key, the credits item says how to add one and runs the set-key command', async () => {
    await resetWorld({ key: undefined });
    const credits = await waitFor('the no-key state', async () => ((await state()).credits.state === 'no-key' ? (await state()).credits : undefined));
    assert.equal(credits.text, '$(key) Set OpenRouter key');
    assert.match(credits.tooltip, /No OpenRouter API key is set/);
    assert.equal(credits.command, commandIds.setApiKey);
    const current = await state();
    assert.equal(current.keySource, undefined);
  });

  it('without a key, validating says how to add one instead of failing', async () => {
    await resetWorld({ key: undefined });
    const result = (await vscode.commands.executeCommand(commandIds.validateApiKey)) as { outcome: string; message: string };
    assert.equal(result.outcome, 'no-key');
    assert.match(result.message, /Set API Key/);
  });

  it('without a key, the model list still loads (it needs no key)', async () => {
    await resetWorld({ key: undefined });
    const count = (await vscode.commands.executeCommand(commandIds.refreshModels)) as number | undefined;
    assert.ok(count && count > 100, `models loaded: ${count}`);
  });

  it('with a key, the credits item shows what the key can spend', async () => {
    await resetWorld({ key: TEST_KEY });
    const credits = await waitFor('the ok state', async () => ((await state()).credits.state === 'ok' ? (await state()).credits : undefined));
    assert.equal(credits.text, '$(credit-card) $7.50 left');
  });
});

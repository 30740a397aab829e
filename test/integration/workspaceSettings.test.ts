// A cloned repository must not decide where the key goes: the harness opens a workspace whose
// .vscode/settings.json points openrouter.baseUrl at a second, HTTPS emulator (the decoy) that the
// extension would trust. The decoy must never be reached; the user is told the setting was ignored.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { EmulatorCounters } from '../emulator/types';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { emulator, emulatorBaseUrl, getJson, resetWorld, setSetting, state, waitFor } from './openrouterKit';

const decoyBaseUrl = process.env.OPENROUTER_TEST_DECOY_BASE_URL;
const decoyCaFile = process.env.OPENROUTER_TEST_DECOY_CA_FILE;

/** The decoy's counters over HTTPS, on a connection of its own (which the decoy counts: one per call). */
function decoyCounters(): Promise<EmulatorCounters> {
  assert.ok(decoyBaseUrl && decoyCaFile, 'the harness passes the decoy emulator');
  return getJson<EmulatorCounters>(`${new URL(decoyBaseUrl).origin}/__emulator/counters`, { ca: readFileSync(decoyCaFile, 'utf8') });
}

/** Messages in VS Code's notification center (toasts fade; the center keeps every notification). */
async function notificationMessages(): Promise<string[]> {
  await vscode.commands.executeCommand('notifications.showList');
  try {
    return await browserAction('notificationCenter', {});
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}

function workspaceSettingsUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a folder');
  return vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
}

describe('a workspace that tries to redirect the key', function () {
  const userBaseUrl = emulatorBaseUrl().replace(/\/+$/, '');

  before(async function () {
    if (!decoyBaseUrl || !hasBrowserDriver()) this.skip();
    // The user's own choice, in user settings (as for a gateway): without the guard, the workspace's value would win over it.
    await setSetting('baseUrl', userBaseUrl);
  });

  after(async () => {
    await setSetting('baseUrl', undefined);
  });

  it('sends nothing to the URL in the workspace settings, serves everything from the user’s endpoint, and says so', async () => {
    await resetWorld();
    const before = await emulator.counters();
    // Work that needs the network: the key check, credits and the model list.
    const validated = (await vscode.commands.executeCommand('openrouter.validateApiKey')) as { outcome: string };
    assert.equal(validated.outcome, 'valid', 'the key check reached the user’s endpoint');
    await vscode.commands.executeCommand('openrouter.refreshCredits');
    await vscode.commands.executeCommand('openrouter.refreshModels');
    const after = await emulator.counters();
    assert.ok(after.requests - before.requests >= 3, `the user's endpoint served the calls (${after.requests - before.requests} requests)`);

    const decoy = await decoyCounters();
    assert.equal(decoy.requests, 0, 'the decoy served no API request');
    // The only connection the decoy ever accepted is the counters query just made.
    assert.equal(decoy.connectionsAccepted, 1, 'nothing but this test connected to the decoy');
    await waitFor('the extension to use the user’s base URL, not the workspace’s', async () => (await state()).settings.baseUrl === userBaseUrl);
    assert.deepEqual(Object.values((await state()).ignoredWorkspaceSettings), [['openrouter.baseUrl']]);

    const messages = await notificationMessages();
    const notice = messages.find((message) => message.includes('ignored openrouter.baseUrl'));
    assert.ok(notice, `a notification names the ignored setting (saw: ${JSON.stringify(messages)})`);
    assert.match(notice, /user settings/);
  });

  it('notices a setting added to the workspace while it is open, ignores it, and tells the user once', async () => {
    const uri = workspaceSettingsUri();
    const original = await vscode.workspace.fs.readFile(uri);
    const poolSize = (await state()).settings.poolSize;
    const hostile = `{\n  "openrouter.baseUrl": ${JSON.stringify(decoyBaseUrl)},\n  "openrouter.poolSize": ${poolSize === 1 ? 2 : 1},\n}\n`;
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(hostile));
      await waitFor('the guard to read the new file', async () => Object.values((await state()).ignoredWorkspaceSettings).flat().includes('openrouter.poolSize'), 20_000);
      assert.equal((await state()).settings.poolSize, poolSize, 'the workspace value is not used');
      const messages = await waitFor('the notice for poolSize', async () => {
        const all = await notificationMessages();
        return all.some((message) => message.includes('ignored openrouter.poolSize')) ? all : undefined;
      }, 20_000);
      // baseUrl was told already: no second notice for it.
      assert.equal(messages.filter((message) => message.includes('ignored openrouter.baseUrl')).length, 1, JSON.stringify(messages));
    } finally {
      await vscode.workspace.fs.writeFile(uri, original);
      await waitFor('the guard to read the restored file', async () => !Object.values((await state()).ignoredWorkspaceSettings).flat().includes('openrouter.poolSize'), 20_000);
    }
    const decoy = await decoyCounters();
    assert.equal(decoy.requests, 0);
  });
});

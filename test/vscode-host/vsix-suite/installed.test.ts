import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sep } from 'node:path';
import * as vscode from 'vscode';
import { browserAction, hasBrowserDriver } from '../browser';
import { getJson } from '../../integration/openrouterKit';

const EXTENSION_ID = 'openrouter-community.openrouter-vscode';

describe('the packaged VSIX, installed into VS Code', () => {
  it('is loaded from the extensions folder, not from the source tree', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    assert.match(ext.extensionPath, new RegExp(`\\${sep}extensions\\${sep}${EXTENSION_ID.replace('.', '\\.')}-[\\d.]+$`));
  });

  it('activates and registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.equal(ext.isActive, true);
    const contributed = ((ext.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), [], 'contributed but not registered');
  });

  it('asks the user instead of taking a key that another extension or a link passes to Set API Key', async function () {
    if (!hasBrowserDriver()) this.skip();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const planted = `sk-or-v1-${'ab'.repeat(32)}`;
    const pending = vscode.commands.executeCommand<{ outcome: string }>('openrouter.setApiKey', planted);
    // The input box opens (quickInputTitle waits for it) and says why it is asking.
    const box = await browserAction('quickInputTitle', {});
    assert.equal(box.title, 'OpenRouter API Key');
    assert.match(box.message, /its key was ignored/);
    await browserAction('closeQuickInput', {});
    assert.equal((await pending).outcome, 'cancelled');
    const check = await vscode.commands.executeCommand<{ outcome: string }>('openrouter.validateApiKey');
    assert.equal(check.outcome, 'no-key', 'the planted key was not stored');
  });

  it('reaches OpenRouter from the installed copy: the network code, a file of its own, loads on first use', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    // The model list needs no key: one real request to the emulator through the pooled provider.
    const count = await vscode.commands.executeCommand<number | undefined>('openrouter.refreshModels');
    assert.ok(typeof count === 'number' && count > 0, `the model list loaded (${String(count)} models)`);
  });
  it('ignores OPENROUTER_BASE_URL and OPENROUTER_CA_FILE: the host they name gets no request, the CA they name is not trusted', async function () {
    const decoyBaseUrl = process.env.OPENROUTER_TEST_DECOY_BASE_URL;
    const decoyCaFile = process.env.OPENROUTER_TEST_DECOY_CA_FILE;
    if (!decoyBaseUrl || !decoyCaFile) this.skip();
    assert.equal(process.env.OPENROUTER_CA_FILE, decoyCaFile, 'the harness names the decoy’s CA in the environment');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const config = vscode.workspace.getConfiguration('openrouter');
    const userBaseUrl = config.inspect<string>('baseUrl')?.globalValue;
    const decoyRequests = async (): Promise<number> => (await getJson<{ requests: number }>(`${new URL(decoyBaseUrl).origin}/__emulator/counters`, { ca: readFileSync(decoyCaFile, 'utf8') })).requests;
    const before = await decoyRequests();
    try {
      // Even pointed at the decoy by the user, its certificate is refused: only OPENROUTER_CA_FILE would make it trusted.
      await config.update('baseUrl', decoyBaseUrl, vscode.ConfigurationTarget.Global);
      const count = await vscode.commands.executeCommand<number | undefined>('openrouter.refreshModels').then((n) => n, () => undefined);
      assert.equal(count, undefined, 'the model list did not load from the decoy');
      assert.equal(await decoyRequests(), before, 'the decoy served no request');
    } finally {
      await config.update('baseUrl', userBaseUrl, vscode.ConfigurationTarget.Global);
    }
  });
});

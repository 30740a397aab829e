import assert from 'node:assert/strict';
import { sep } from 'node:path';
import * as vscode from 'vscode';

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
});

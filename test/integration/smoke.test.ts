import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';

const EXTENSION_ID = 'openrouter-community.openrouter-vscode';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} is not installed in this VS Code`);
  return found;
}

function contributedCommands(): ContributedCommand[] {
  const packageJson = extension().packageJSON as { contributes?: { commands?: ContributedCommand[] } };
  return packageJson.contributes?.commands ?? [];
}

describe('smoke: the extension in a real VS Code', () => {
  it('is installed and activates', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command it contributes', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributedCommands()
      .map((c) => c.command)
      .filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered');
  });

  it('lists its commands in the command palette', async function () {
    if (!hasBrowserDriver()) this.skip();
    await extension().activate();
    const first = contributedCommands()[0];
    // Before any command is contributed, the palette still has to find a command by its title.
    const title = first ? (first.category ? `${first.category}: ${first.title}` : first.title) : 'Developer: Show Running Extensions';
    await browserAction('openCommandPalette', {});
    try {
      await browserAction('typeInQuickInput', { text: title });
      const items = await browserAction('quickPickItems', { waitFor: title });
      await browserAction('screenshot', { name: 'smoke-command-palette' });
      assert.ok(
        items.some((item) => item.label === title || item.ariaLabel.startsWith(title)),
        `"${title}" not among: ${items.map((item) => item.label).join(' | ')}`,
      );
    } finally {
      await browserAction('closeQuickInput', {});
    }
  });
});

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from '../../src/commands/commandIds';
import { TEST_KEY, emulator, resetWorld, state } from './openrouterKit';
import { waitFor } from '../support/waitFor';

describe('lifecycle', () => {
  before(async () => {
    await resetWorld({ key: TEST_KEY });
  });

  it('closing the provider host (what deactivate does) leaves no socket open', async () => {
    await vscode.commands.executeCommand(commandIds.refreshCredits);
    assert.ok((await state()).providerStats.openConnections > 0);
    await vscode.commands.executeCommand(internalCommandIds.closeConnections);
    // The only socket left is the control call asking.
    await waitFor('every client socket to close', async () => (await emulator.counters()).openConnections === 1);
  });

  it('works again after that with a fresh pool', async () => {
    const snap = (await vscode.commands.executeCommand(commandIds.refreshCredits)) as { state: string };
    assert.equal(snap.state, 'ok');
  });
});

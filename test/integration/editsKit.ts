// What the Apply and Undo suites share: workspace files by name, their bytes on disk, and pressing Apply on a
// code block of an answer in the chat panel.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { internalCommandIds } from '../../src/commands/commandIds';
import { browserAction } from '../vscode-host/browser';
import { waitFor } from '../support/waitFor';

export function fileUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function readDisk(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
}

export function pending(): Promise<Array<{ id: string; target: string }>> {
  return Promise.resolve(vscode.commands.executeCommand(internalCommandIds.pendingProposals)) as Promise<Array<{ id: string; target: string }>>;
}

/** Presses Apply on the answer's code block number `index` (0-based), as a user clicks it. */
export async function pressApply(answerId: string, index = 0): Promise<void> {
  await browserAction('webviewClick', { selector: `article[data-turn-id="${answerId}"] .code-block button[data-action="apply-code"] >> nth=${index}` });
}

/** Waits until the diff editor shows a proposed change. */
export async function diffShown(): Promise<void> {
  await waitFor('the proposed change in the diff editor', () => Promise.resolve(vscode.window.tabGroups.activeTabGroup.activeTab?.input), { accept: (input) => input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'openrouter-proposal' });
}

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from '../../src/commands/commandIds';
import { browserAction } from '../vscode-host/browser';
import { openChatPanel, prepareChat, sendAndWait } from './chat-ui';
import { waitFor } from '../support/waitFor';

const ORIGINAL = [
  'export function greet(name: string): string {',
  '  return `Hello, ${name}`;',
  '}',
  '',
  'export function farewell(name: string): string {',
  '  return `Bye, ${name}`;',
  '}',
  '',
].join('\n');

const BLOCK = ['// ... existing code ...', 'export function farewell(name: string): string {', '  return `Goodbye, ${name}!`;', '}'].join('\n');

function fileUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function readDisk(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
}

function pending(): Promise<Array<{ id: string; target: string }>> {
  return Promise.resolve(vscode.commands.executeCommand(internalCommandIds.pendingProposals)) as Promise<Array<{ id: string; target: string }>>;
}

/** Asks for an answer holding one code block for `name`, presses its Apply, and waits for the diff editor. */
async function applyBlockTo(name: string, block: string): Promise<void> {
  const answer = await sendAndWait(`[[echo]]Change it like this:\n\n\`\`\`ts title="${name}"\n${block}\n\`\`\`\n`);
  assert.equal(answer.status, 'done');
  await browserAction('webviewClick', { selector: `article[data-turn-id="${answer.id}"] .code-block button[data-action="apply-code"]` });
  await waitFor('the proposed change in the diff editor', () => Promise.resolve(vscode.window.tabGroups.activeTabGroup.activeTab?.input), { accept: (input) => input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'openrouter-proposal' });
}

describe('Apply a code block as a reviewed change, in the real VS Code', function () {
  // The first diff editor of a window loads its code: on a loaded machine that alone can take many seconds.
  this.timeout(90_000);
  before(async () => {
    await prepareChat({ fresh: true });
    await openChatPanel();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand(commandIds.rejectAllProposedChanges);
  });

  it('shows the change in a diff, writes nothing before Accept, and Accept writes exactly the merged text', async () => {
    const uri = fileUri('apply-accept.ts');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(ORIGINAL));
    await applyBlockTo('apply-accept.ts', BLOCK);
    const diff = vscode.window.tabGroups.activeTabGroup.activeTab?.input as vscode.TabInputTextDiff;
    assert.equal(diff.original.toString(), uri.toString(), 'the left side is the file itself');
    const proposed = (await vscode.workspace.openTextDocument(diff.modified)).getText();
    const expected = ORIGINAL.replace('`Bye, ${name}`', '`Goodbye, ${name}!`');
    assert.equal(proposed, expected, 'the elided function is kept, the changed one replaced');
    assert.equal(new TextDecoder().decode(await readDisk(uri)), ORIGINAL, 'nothing is written before Accept');

    const outcome = await vscode.commands.executeCommand(commandIds.acceptProposedChange);
    assert.equal(outcome, 'written');
    assert.equal(new TextDecoder().decode(await readDisk(uri)), expected);
    assert.deepEqual(await pending(), []);

    const report = (await vscode.commands.executeCommand(commandIds.undoAnswerChanges, (await lastTurnWithChanges()) ?? '')) as { restored: string[] };
    assert.deepEqual(report.restored, ['apply-accept.ts']);
    assert.equal(new TextDecoder().decode(await readDisk(uri)), ORIGINAL, "Undo brings back the file as it was before the answer");
  });

  it('Reject leaves the file byte for byte as it was', async () => {
    const uri = fileUri('apply-reject.ts');
    const bytes = new TextEncoder().encode(ORIGINAL.replace(/\n/g, '\r\n'));
    await vscode.workspace.fs.writeFile(uri, bytes);
    await applyBlockTo('apply-reject.ts', BLOCK);
    const outcome = await vscode.commands.executeCommand(commandIds.rejectProposedChange);
    assert.equal(outcome, 'rejected');
    assert.ok(Buffer.from((await readDisk(uri)) ?? []).equals(Buffer.from(bytes)), 'the same bytes, CRLF included');
    await waitFor('the diff to close', () => Promise.resolve(vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'openrouter-proposal')), { accept: (open) => !open });
  });

  it('creates a file the answer names only on Accept, and Undo removes it again', async () => {
    const uri = fileUri('apply-new/created.ts');
    assert.equal(await readDisk(uri), undefined);
    const pendingAnswer = sendAndWait('[[echo]]A new file:\n\n```ts title="apply-new/created.ts"\nexport const created = true;\n```\n');
    const answer = await pendingAnswer;
    await browserAction('webviewClick', { selector: `article[data-turn-id="${answer.id}"] .code-block button[data-action="apply-code"]` });
    // The file does not exist: the picker offers to create it.
    await browserAction('pickQuickPickItem', { label: 'Create apply-new/created.ts' });
    await waitFor('the proposal for the new file', pending, { accept: (list) => list.length === 1 });
    assert.equal(await readDisk(uri), undefined, 'not created before Accept');
    assert.equal(await vscode.commands.executeCommand(commandIds.acceptProposedChange), 'written');
    assert.equal(new TextDecoder().decode(await readDisk(uri)), 'export const created = true;\n');
    const report = (await vscode.commands.executeCommand(commandIds.undoAnswerChanges, answer.id)) as { removed: string[] };
    assert.deepEqual(report.removed, ['apply-new/created.ts']);
    assert.equal(await readDisk(uri), undefined);
  });

  it('works the change out again when the file changed before Accept, instead of overwriting the later edit', async () => {
    const uri = fileUri('apply-changed.ts');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(ORIGINAL));
    await applyBlockTo('apply-changed.ts', BLOCK);
    const edited = `// a line the user added meanwhile\n${ORIGINAL}`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(edited));
    assert.equal(await vscode.commands.executeCommand(commandIds.acceptProposedChange), 'recomputed');
    assert.equal(new TextDecoder().decode(await readDisk(uri)), edited, 'nothing written over the later edit');
    assert.equal(await vscode.commands.executeCommand(commandIds.acceptProposedChange), 'written');
    assert.equal(new TextDecoder().decode(await readDisk(uri)), edited.replace('`Bye, ${name}`', '`Goodbye, ${name}!`'), 'the later edit is kept');
  });

  let lastTurn: string | undefined;
  async function lastTurnWithChanges(): Promise<string | undefined> {
    lastTurn = await Promise.resolve(vscode.commands.executeCommand<string | undefined>(internalCommandIds.lastCheckpoint));
    return lastTurn;
  }
});

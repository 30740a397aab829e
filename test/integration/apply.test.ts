import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from '../../src/commands/commandIds';
import { browserAction } from '../vscode-host/browser';
import { openChatPanel, prepareChat, sendAndWait } from './chat-ui';
import { diffShown, fileUri, pending, pressApply, readDisk } from './editsKit';
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

/** Asks for an answer holding one code block for `name`, presses its Apply, and waits for the diff editor. */
async function applyBlockTo(name: string, block: string): Promise<void> {
  const answer = await sendAndWait(`[[echo]]Change it like this:\n\n\`\`\`ts title="${name}"\n${block}\n\`\`\`\n`);
  assert.equal(answer.status, 'done');
  await pressApply(answer.id);
  await diffShown();
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

  it("keeps a file's byte-order mark on Accept, and Undo gives back its exact bytes", async () => {
    const uri = fileUri('apply-bom.ts');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const original = Buffer.concat([bom, new TextEncoder().encode(ORIGINAL)]);
    await vscode.workspace.fs.writeFile(uri, original);
    await applyBlockTo('apply-bom.ts', BLOCK);
    assert.equal(await vscode.commands.executeCommand(commandIds.acceptProposedChange), 'written');
    const written = Buffer.from((await readDisk(uri)) ?? []);
    assert.ok(written.subarray(0, 3).equals(Buffer.from(bom)), 'the mark is still there');
    assert.equal(written.subarray(3).toString('utf8'), ORIGINAL.replace('`Bye, ${name}`', '`Goodbye, ${name}!`'));
    await vscode.commands.executeCommand(commandIds.undoAnswerChanges, (await lastTurnWithChanges()) ?? '');
    assert.ok(Buffer.from((await readDisk(uri)) ?? []).equals(original), 'Undo restores the same bytes');
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

  it('works the change out again when the file changed in an unsaved editor before Accept, keeping the unsaved text', async () => {
    const uri = fileUri('apply-unsaved.ts');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(ORIGINAL));
    await applyBlockTo('apply-unsaved.ts', BLOCK);
    const document = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), '// typed but not saved\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(document.isDirty);
    assert.equal(await vscode.commands.executeCommand(commandIds.acceptProposedChange), 'recomputed');
    assert.equal(new TextDecoder().decode(await readDisk(uri)), ORIGINAL, 'nothing written');
    assert.equal(document.getText(), `// typed but not saved\n${ORIGINAL}`, 'the unsaved text is untouched');
    assert.equal(await vscode.commands.executeCommand(commandIds.acceptProposedChange), 'written');
    const expected = `// typed but not saved\n${ORIGINAL.replace('`Bye, ${name}`', '`Goodbye, ${name}!`')}`;
    assert.equal(document.getText(), expected, 'the change is made on the unsaved text');
    assert.equal(new TextDecoder().decode(await readDisk(uri)), expected);
  });

  it('does not write over a file that appeared where the answer proposed a new one', async () => {
    const uri = fileUri('apply-appeared.ts');
    const answer = await sendAndWait('[[echo]]A new file:\n\n```ts title="apply-appeared.ts"\nexport const created = true;\n```\n');
    await pressApply(answer.id);
    await browserAction('pickQuickPickItem', { label: 'Create apply-appeared.ts' });
    await waitFor('the proposal for the new file', pending, { accept: (list) => list.length === 1 });
    const mine = new TextEncoder().encode('export const mine = 1;\r\n');
    await vscode.workspace.fs.writeFile(uri, mine);
    // The notification center draws only the rows in view: earlier tests' notices go first.
    await vscode.commands.executeCommand('notifications.clearAll');
    const accepted = Promise.resolve(vscode.commands.executeCommand(commandIds.acceptProposedChange));
    // The block does not fit the file that appeared: Accept says so, and offers the block as a whole-file replacement to review.
    // Toasts are hidden in the test host: the notification center shows the notice and its button.
    await vscode.commands.executeCommand('notifications.showList');
    try {
      await browserAction('clickNotificationButton', { message: 'no longer fits', button: 'Show as Whole-File Replacement' });
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
    }
    assert.equal(await accepted, 'recomputed');
    const diff = vscode.window.tabGroups.activeTabGroup.activeTab?.input as vscode.TabInputTextDiff;
    assert.equal(diff.original.toString(), uri.toString(), 'the new review shows the file as it is now on the left');
    assert.ok(Buffer.from((await readDisk(uri)) ?? []).equals(Buffer.from(mine)), 'the file that appeared is untouched');
    assert.equal(await vscode.commands.executeCommand(commandIds.rejectProposedChange), 'rejected');
    assert.ok(Buffer.from((await readDisk(uri)) ?? []).equals(Buffer.from(mine)), 'and stays so on Reject');
  });

  let lastTurn: string | undefined;
  async function lastTurnWithChanges(): Promise<string | undefined> {
    lastTurn = await Promise.resolve(vscode.commands.executeCommand<string | undefined>(internalCommandIds.lastCheckpoint));
    return lastTurn;
  }
});

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from '../../src/commands/commandIds';
import { RESTORE, RESTORE_ALL, type UndoReport } from '../../src/edits/undoAnswerChanges';
import { browserAction } from '../vscode-host/browser';
import { inPanel, openChatPanel, prepareChat, reloadChatView, sendAndWait, startNewChat, toggleSection } from './chat-ui';
import { diffShown, fileUri, pending, pressApply, readDisk } from './editsKit';
import { answerModals } from './modalAnswers';
import { waitFor } from '../support/waitFor';

const ORIGINAL = ['export function greet(name: string): string {', '  return `Hello, ${name}`;', '}', '', 'export function farewell(name: string): string {', '  return `Bye, ${name}`;', '}', ''].join('\r\n');
const BLOCK = ['// ... existing code ...', 'export function farewell(name: string): string {', '  return `Goodbye, ${name}!`;', '}'].join('\n');
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

interface ChangesBar {
  status: string;
  files: string[];
  button: string;
  disabled: boolean;
}

/** What the panel shows under the answer about the files it changed; null when it shows nothing. */
function changesBar(answerId: string): Promise<ChangesBar | null> {
  return inPanel<ChangesBar | null>(`(() => {
    const bar = document.querySelector('article[data-turn-id="${answerId}"] .answer-changes');
    if (!bar) return null;
    const button = bar.querySelector('button[data-action="undo-answer-changes"]');
    return { status: bar.querySelector('.answer-changes-status').textContent, files: [...bar.querySelectorAll('li')].map((li) => li.textContent), button: button.textContent, disabled: button.disabled };
  })()`);
}

/** Sends an answer with one code block per file, presses each Apply and accepts each proposal; returns the answer's id. */
async function applyAndAccept(blocks: Array<{ name: string; code: string; exists: boolean }>): Promise<string> {
  const fences = blocks.map((b) => `\`\`\`ts title="${b.name}"\n${b.code}\n\`\`\`\n`).join('\nAnd:\n\n');
  const answer = await sendAndWait(`[[echo]]Change them like this:\n\n${fences}`);
  assert.equal(answer.status, 'done');
  for (const [index, block] of blocks.entries()) {
    await pressApply(answer.id, index);
    if (!block.exists) await browserAction('pickQuickPickItem', { label: `Create ${block.name}` });
    await waitFor(`the proposal for ${block.name}`, pending, { accept: (list) => list.length === 1 });
    await diffShown();
    assert.equal(await vscode.commands.executeCommand(commandIds.acceptProposedChange), 'written');
  }
  return answer.id;
}

describe("Undo an answer's changes, from the chat, also after a reload", function () {
  this.timeout(120_000);
  before(async () => {
    await prepareChat({ fresh: true });
    await openChatPanel();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand(commandIds.rejectAllProposedChanges);
  });

  it('shows the files under the answer, and its Undo button puts back both files after the chat is reloaded from disk', async () => {
    const edited = fileUri('undo-both/edited.ts');
    const created = fileUri('undo-both/created.ts');
    await vscode.workspace.fs.writeFile(edited, encode(ORIGINAL));
    assert.equal(await readDisk(created), undefined);
    const answerId = await applyAndAccept([
      { name: 'undo-both/edited.ts', code: BLOCK, exists: true },
      { name: 'undo-both/created.ts', code: 'export const created = true;', exists: false },
    ]);
    assert.equal(new TextDecoder().decode(await readDisk(edited)), ORIGINAL.replace('`Bye, ${name}`', '`Goodbye, ${name}!`'), 'the CRLF file got the change');
    assert.ok(await readDisk(created), 'the new file was created on Accept');
    const bar = await waitFor('the answer to list the files it changed', () => changesBar(answerId), { accept: (b) => b?.files.length === 2 });
    assert.deepEqual(bar!.files, ['undo-both/edited.ts', 'undo-both/created.ts (new file)']);
    assert.equal(bar!.button, "Undo this answer's changes");

    // A real window reload would end this test run's extension host, so the parts a reload rebuilds are rebuilt
    // here: the chat is left (a new chat) and reopened from the history, and the panel's page is reloaded, so it
    // learns which answers changed files only from the `ready` handshake; the checkpoints hold nothing in memory,
    // each read comes from the extension's storage folder.
    const chatId = await inPanel<string>('document.body.dataset.chatId');
    await startNewChat();
    await toggleSection('history', true);
    await browserAction('webviewClick', { selector: `#history-panel button[data-chat-id="${chatId}"].history-open` });
    await waitFor('the chat to reopen', () => inPanel<string>('document.body.dataset.chatId'), { accept: (id) => id === chatId });
    await reloadChatView('article.turn.assistant');
    const again = await waitFor('the reloaded chat to show the Undo button', () => changesBar(answerId), { accept: (b) => b !== null });
    assert.equal(again!.button, "Undo this answer's changes");

    // From the keyboard: Enter on the focused button.
    await browserAction('webviewPress', { selector: `article[data-turn-id="${answerId}"] button[data-action="undo-answer-changes"]`, key: 'Enter' });
    const undone = await waitFor('the button to say the changes were undone', () => changesBar(answerId), { accept: (b) => b?.button === 'Changes undone' });
    assert.equal(undone!.disabled, true);
    assert.match(undone!.status, /undone/);
    assert.ok(sameBytes(await readDisk(edited), encode(ORIGINAL)), 'the edited file is back byte for byte, CRLF included');
    assert.equal(await readDisk(created), undefined, 'the file the answer created is gone');

    // And it stays so in a reloaded panel.
    await reloadChatView('article.turn.assistant');
    assert.equal((await waitFor('the undone answer after a reload', () => changesBar(answerId), { accept: (b) => b !== null }))!.button, 'Changes undone');
  });

  it('asks before overwriting a later hand edit (unsaved ones too), per file or for all, and leaves a declined file as it is', async () => {
    const handEdited = fileUri('undo-ask/hand.ts');
    const unsaved = fileUri('undo-ask/unsaved.ts');
    const untouched = fileUri('undo-ask/untouched.ts');
    for (const uri of [handEdited, unsaved, untouched]) await vscode.workspace.fs.writeFile(uri, encode(ORIGINAL));
    const answerId = await applyAndAccept(['undo-ask/hand.ts', 'undo-ask/unsaved.ts', 'undo-ask/untouched.ts'].map((name) => ({ name, code: BLOCK, exists: true })));
    const later = encode(`// my own line\r\n${new TextDecoder().decode(await readDisk(handEdited))}`);
    await vscode.workspace.fs.writeFile(handEdited, later);
    const document = await vscode.workspace.openTextDocument(unsaved);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(unsaved, new vscode.Position(0, 0), '// typed, not saved\r\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(document.isDirty);

    // Undo goes from the last file changed to the first: untouched.ts (no question), unsaved.ts, hand.ts.
    const modals = answerModals((question) => (question.message.includes('unsaved.ts') ? RESTORE : undefined));
    let report: UndoReport;
    try {
      report = (await vscode.commands.executeCommand(commandIds.undoAnswerChanges, answerId)) as UndoReport;
    } finally {
      modals.dispose();
    }
    assert.equal(modals.asked.length, 2, 'one question per file changed since, none for the untouched file');
    assert.match(modals.asked[0]!.message, /unsaved\.ts has unsaved changes/);
    assert.deepEqual(modals.asked[0]!.choices, [RESTORE, RESTORE_ALL], 'restore this one or every changed file');
    assert.match(modals.asked[1]!.message, /hand\.ts was edited after this answer/);
    assert.deepEqual(report.restored.sort(), ['undo-ask/unsaved.ts', 'undo-ask/untouched.ts']);
    assert.deepEqual(report.changedSince.sort(), ['undo-ask/hand.ts', 'undo-ask/unsaved.ts']);
    assert.deepEqual(report.kept, ['undo-ask/hand.ts']);
    assert.ok(sameBytes(await readDisk(handEdited), later), 'the declined file keeps the hand edit');
    assert.ok(sameBytes(await readDisk(unsaved), encode(ORIGINAL)), 'the confirmed file is back as before the answer');
    assert.equal(document.isDirty, false, 'its editor shows the restored file, not the lost unsaved text');
    assert.equal(document.getText(), ORIGINAL);
    assert.ok(sameBytes(await readDisk(untouched), encode(ORIGINAL)));
    const bar = await waitFor('the button to offer the file left', () => changesBar(answerId), { accept: (b) => b?.button === 'Undo the remaining changes' });
    assert.deepEqual(bar!.files, ['undo-ask/hand.ts', 'undo-ask/unsaved.ts — undone', 'undo-ask/untouched.ts — undone']);

    // Asked again, "Restore All" restores the rest without another question.
    const second = answerModals(() => RESTORE);
    try {
      report = (await vscode.commands.executeCommand(commandIds.undoAnswerChanges, answerId)) as UndoReport;
    } finally {
      second.dispose();
    }
    assert.equal(second.asked.length, 1);
    assert.deepEqual(report.restored, ['undo-ask/hand.ts']);
    assert.ok(sameBytes(await readDisk(handEdited), encode(ORIGINAL)));
    assert.equal((await waitFor('the button to say undone', () => changesBar(answerId), { accept: (b) => b?.button === 'Changes undone' }))!.disabled, true);
  });

  it("gives the chat's button back when every question is declined, with the file left as it is", async () => {
    const uri = fileUri('undo-declined/only.ts');
    await vscode.workspace.fs.writeFile(uri, encode(ORIGINAL));
    const answerId = await applyAndAccept([{ name: 'undo-declined/only.ts', code: BLOCK, exists: true }]);
    const mine = encode('// all mine now\r\n');
    await vscode.workspace.fs.writeFile(uri, mine);
    const modals = answerModals(() => undefined);
    try {
      await browserAction('webviewClick', { selector: `article[data-turn-id="${answerId}"] button[data-action="undo-answer-changes"]` });
      assert.match((await modals.question(1)).message, /only\.ts was edited after this answer/);
      const bar = await waitFor('the button to come back', () => changesBar(answerId), { accept: (b) => b?.button === "Undo this answer's changes" && !b.disabled });
      assert.deepEqual(bar!.files, ['undo-declined/only.ts']);
    } finally {
      modals.dispose();
    }
    assert.ok(sameBytes(await readDisk(uri), mine), 'the declined file keeps its bytes');
  });

  it('"Restore All" restores every changed file after one question', async () => {
    const names = ['undo-all/a.ts', 'undo-all/b.ts'];
    for (const name of names) await vscode.workspace.fs.writeFile(fileUri(name), encode(ORIGINAL));
    const answerId = await applyAndAccept(names.map((name) => ({ name, code: BLOCK, exists: true })));
    for (const name of names) await vscode.workspace.fs.writeFile(fileUri(name), encode('// rewritten by hand\r\n'));
    const modals = answerModals(() => RESTORE_ALL);
    let report: UndoReport;
    try {
      report = (await vscode.commands.executeCommand(commandIds.undoAnswerChanges, answerId)) as UndoReport;
    } finally {
      modals.dispose();
    }
    assert.equal(modals.asked.length, 1);
    assert.deepEqual(report.restored.sort(), names);
    for (const name of names) assert.ok(sameBytes(await readDisk(fileUri(name)), encode(ORIGINAL)), name);
  });

  it('brings back a file the answer deleted, byte for byte, and lists it under the answer', async () => {
    const kept = fileUri('undo-deleted/kept.ts');
    const gone = fileUri('undo-deleted/gone.bin');
    // Not UTF-8 and with a byte-order mark: only a byte-exact record gives this back.
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x80, 0x41]);
    await vscode.workspace.fs.writeFile(kept, encode(ORIGINAL));
    await vscode.workspace.fs.writeFile(gone, bytes);
    const answerId = await applyAndAccept([{ name: 'undo-deleted/kept.ts', code: BLOCK, exists: true }]);
    // What an agent tool of this answer does when it deletes a file: the same checkpoint API around the deletion.
    const chatId = await inPanel<string>('document.body.dataset.chatId');
    await vscode.commands.executeCommand(internalCommandIds.deleteFileForAnswer, chatId, answerId, gone.toString());
    assert.equal(await readDisk(gone), undefined);
    const bar = await waitFor('the deleted file under the answer', () => changesBar(answerId), { accept: (b) => b?.files.length === 2 });
    assert.deepEqual(bar!.files, ['undo-deleted/kept.ts', 'undo-deleted/gone.bin (deleted)']);
    await browserAction('webviewClick', { selector: `article[data-turn-id="${answerId}"] button[data-action="undo-answer-changes"]` });
    await waitFor('the undo to finish', () => changesBar(answerId), { accept: (b) => b?.button === 'Changes undone' });
    assert.ok(sameBytes(await readDisk(gone), bytes), 'the deleted file is back with its exact bytes');
    assert.ok(sameBytes(await readDisk(kept), encode(ORIGINAL)));
  });

  it('keeps only the newest answers set by openrouter.checkpoints.keep: an older answer loses its Undo', async () => {
    const config = vscode.workspace.getConfiguration('openrouter');
    await config.update('checkpoints.keep', 1, vscode.ConfigurationTarget.Global);
    try {
      for (const name of ['undo-prune/old.ts', 'undo-prune/new.ts']) await vscode.workspace.fs.writeFile(fileUri(name), encode(ORIGINAL));
      const older = await applyAndAccept([{ name: 'undo-prune/old.ts', code: BLOCK, exists: true }]);
      const newer = await applyAndAccept([{ name: 'undo-prune/new.ts', code: BLOCK, exists: true }]);
      await waitFor("the older answer's Undo to go", () => changesBar(older), { accept: (b) => b === null });
      assert.ok(await changesBar(newer), 'the newest answer keeps its Undo');
      const changed = await readDisk(fileUri('undo-prune/old.ts'));
      assert.equal(await vscode.commands.executeCommand(commandIds.undoAnswerChanges, older), undefined, 'nothing left to undo for the older answer');
      assert.ok(sameBytes(await readDisk(fileUri('undo-prune/old.ts')), changed!), 'and its file is left as it is');
    } finally {
      await config.update('checkpoints.keep', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

// Undo an answer's changes: every file its edits touched goes back to what it was before, byte for byte (a file
// the answer created is removed, one it deleted comes back). A file changed since (on disk or in an unsaved
// editor) is only overwritten when the user says so, per file or for all; a declined file is left as it is.
// Works after a reload: everything comes from the checkpoint on disk.
import * as vscode from 'vscode';
import type { Log } from '../log/logger';
import { errorText } from '../util/errorText';
import { writeRefusal } from './applyTarget';
import { bytesOf, type AnswerCheckpoint, type CheckpointStore } from './checkpoints';
import { currentBytes, hasUnsavedChanges, restoreBytes, sameBytes } from './fileState';

export interface UndoReport {
  /** Files put back as they were before the answer. */
  restored: string[];
  /** Files the answer had created, removed again. */
  removed: string[];
  /** Files changed after the answer (each restored or kept, as the user chose). */
  changedSince: string[];
  /** Files changed since that the user chose to keep as they are now. */
  kept: string[];
  failed: string[];
}

export const RESTORE = 'Restore';
export const RESTORE_ALL = 'Restore All Changed Files';

export async function undoAnswerChanges(checkpoints: CheckpointStore, log: Log, answerId?: string, chatId?: string): Promise<UndoReport | undefined> {
  const checkpoint = answerId ? await checkpoints.find(answerId, chatId) : await pickCheckpoint(checkpoints);
  const files = checkpoint?.files.filter((file) => !file.undone) ?? [];
  if (!checkpoint || files.length === 0) {
    if (answerId) void vscode.window.showInformationMessage(checkpoint ? "This answer's changes were already undone." : 'This answer changed no files, or its record was pruned.');
    return undefined;
  }
  const report: UndoReport = { restored: [], removed: [], changedSince: [], kept: [], failed: [] };
  const done: string[] = [];
  let restoreAll = false;
  // Last changed first, so a file changed twice ends at its state before the first change.
  for (const [position, file] of [...files].reverse().entries()) {
    const uri = vscode.Uri.parse(file.uri);
    const rel = vscode.workspace.asRelativePath(uri);
    // The same limits as Apply: inside the open workspace folders, never through a link made since.
    const refusal = await writeRefusal(uri);
    if (refusal) {
      report.failed.push(`${rel} (${refusal})`);
      continue;
    }
    const now = await currentBytes(uri);
    const after = bytesOf(file.after);
    const before = bytesOf(file.before);
    if (!sameBytes(now, after) && !sameBytes(now, before)) {
      report.changedSince.push(rel);
      if (!restoreAll) {
        const choice = await askToOverwrite(rel, now === null, hasUnsavedChanges(uri), files.length - position > 1);
        if (choice === RESTORE_ALL) restoreAll = true;
        else if (choice !== RESTORE) {
          report.kept.push(rel);
          continue;
        }
      }
    }
    try {
      await restoreBytes(uri, before);
      (before === null ? report.removed : report.restored).push(rel);
      done.push(file.uri);
    } catch (error) {
      report.failed.push(`${rel} (${errorText(error)})`);
    }
  }
  await checkpoints.markUndone({ chatId: checkpoint.chatId, answerId: checkpoint.answerId }, done);
  const message = describe(report);
  log.info(`Undo: ${message}`);
  void (report.failed.length ? vscode.window.showErrorMessage(message) : vscode.window.showInformationMessage(message));
  return report;
}

function askToOverwrite(rel: string, deleted: boolean, unsaved: boolean, more: boolean): Thenable<string | undefined> {
  const what = deleted ? `${rel} was deleted after this answer changed it.` : unsaved ? `${rel} has unsaved changes made after this answer changed it.` : `${rel} was edited after this answer changed it.`;
  const detail = 'Restore puts back the file as it was before the answer: the later changes are lost. Cancel keeps the file as it is now.';
  return more ? vscode.window.showWarningMessage(what, { modal: true, detail }, RESTORE, RESTORE_ALL) : vscode.window.showWarningMessage(what, { modal: true, detail }, RESTORE);
}

function describe(report: UndoReport): string {
  const list = (files: string[]): string => files.join(', ');
  const parts = [
    report.restored.length ? `restored ${list(report.restored)}` : '',
    report.removed.length ? `removed ${list(report.removed)} (created by the answer)` : '',
    report.changedSince.length ? `${list(report.changedSince)} had changed since` : '',
    report.kept.length ? `kept ${list(report.kept)} as ${report.kept.length === 1 ? 'it is' : 'they are'} now` : '',
    report.failed.length ? `could not restore ${list(report.failed)}` : '',
  ].filter(Boolean);
  return `Undid the answer's changes: ${parts.join('; ')}.`;
}

async function pickCheckpoint(checkpoints: CheckpointStore): Promise<AnswerCheckpoint | undefined> {
  // Answers about the open workspace only: the record is shared by every window of this profile.
  const here = (file: { uri: string }): boolean => vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(file.uri)) !== undefined;
  const all = (await checkpoints.list()).filter((checkpoint) => checkpoint.files.some((file) => !file.undone && here(file)));
  if (!all.length) {
    void vscode.window.showInformationMessage('No answer has changes left to undo.');
    return undefined;
  }
  const items = all.map((checkpoint) => ({
    label: checkpoint.label,
    description: new Date(checkpoint.at).toLocaleString(),
    detail: checkpoint.files.filter((file) => !file.undone).map((file) => vscode.workspace.asRelativePath(vscode.Uri.parse(file.uri))).join(', '),
    checkpoint,
  }));
  return (await vscode.window.showQuickPick(items, { title: "Undo an answer's changes", placeHolder: 'The files go back to what they were before that answer' }))?.checkpoint;
}

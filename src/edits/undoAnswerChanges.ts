// Undo an answer's changes: every file its accepted edits touched goes back to what it was before (a file the
// answer created is removed), after asking for each file edited again since. Works after a reload too.
import * as vscode from 'vscode';
import type { Log } from '../log/logger';
import { errorText } from '../util/errorText';
import type { AnswerCheckpoint, CheckpointStore } from './checkpoints';
import { currentText, writeText } from './editProposals';

export interface UndoReport {
  restored: string[];
  removed: string[];
  kept: string[];
  failed: string[];
}

export const RESTORE_ANYWAY = 'Restore Anyway';

export async function undoAnswerChanges(checkpoints: CheckpointStore, log: Log, turnId?: string): Promise<UndoReport | undefined> {
  const checkpoint = turnId ? await checkpoints.get(turnId) : await pickCheckpoint(checkpoints);
  if (!checkpoint) {
    if (turnId) void vscode.window.showInformationMessage('This answer changed no files (or its changes were already undone).');
    return undefined;
  }
  const report: UndoReport = { restored: [], removed: [], kept: [], failed: [] };
  for (const file of [...checkpoint.files].reverse()) {
    const uri = vscode.Uri.parse(file.uri);
    const rel = vscode.workspace.asRelativePath(uri);
    const now = await currentText(uri);
    if (now !== file.after) {
      const what = now === undefined ? `${rel} was deleted after this answer changed it.` : `${rel} was edited after this answer changed it.`;
      const choice = await vscode.window.showWarningMessage(`${what} Restore the version from before the answer anyway? Later edits to it are lost.`, { modal: true }, RESTORE_ANYWAY);
      if (choice !== RESTORE_ANYWAY) {
        report.kept.push(rel);
        continue;
      }
    }
    try {
      if (file.before === null) {
        if (now !== undefined) await vscode.workspace.fs.delete(uri);
        report.removed.push(rel);
      } else {
        await writeText(uri, file.before);
        report.restored.push(rel);
      }
    } catch (error) {
      report.failed.push(`${rel} (${errorText(error)})`);
    }
  }
  if (report.kept.length === 0 && report.failed.length === 0) await checkpoints.forget(checkpoint.turnId);
  const parts = [
    report.restored.length ? `restored ${report.restored.join(', ')}` : '',
    report.removed.length ? `removed ${report.removed.join(', ')} (created by the answer)` : '',
    report.kept.length ? `kept ${report.kept.join(', ')} as it is now` : '',
    report.failed.length ? `could not restore ${report.failed.join(', ')}` : '',
  ].filter(Boolean);
  const message = `Undid the answer's changes: ${parts.join('; ')}.`;
  log.info(`Apply: ${message}`);
  void (report.failed.length ? vscode.window.showErrorMessage(message) : vscode.window.showInformationMessage(message));
  return report;
}

async function pickCheckpoint(checkpoints: CheckpointStore): Promise<AnswerCheckpoint | undefined> {
  const all = await checkpoints.list();
  if (!all.length) {
    void vscode.window.showInformationMessage('No answer has changed files yet: nothing to undo.');
    return undefined;
  }
  const items = all.map((checkpoint) => ({
    label: checkpoint.label,
    description: new Date(checkpoint.at).toLocaleString(),
    detail: checkpoint.files.map((file) => vscode.workspace.asRelativePath(vscode.Uri.parse(file.uri))).join(', '),
    checkpoint,
  }));
  return (await vscode.window.showQuickPick(items, { title: "Undo an answer's changes", placeHolder: 'The files go back to what they were before that answer' }))?.checkpoint;
}

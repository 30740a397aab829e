// Acting on code: Apply a code block from an answer as a change reviewed in the diff editor, and Undo an
// answer's changes. Registered from the composition root; the chat calls `applyFromAnswer`.
import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from '../commands/commandIds';
import type { Log } from '../log/logger';
import { chooseTarget, writeRefusal } from './applyTarget';
import { CheckpointStore } from './checkpoints';
import { checkpointRetention } from './retention';
import { extractFences, fileNameHint, sameCode } from './codeFences';
import { EditProposals, type ProposalOutcome } from './editProposals';
import { undoAnswerChanges } from './undoAnswerChanges';
import { errorText } from '../util/errorText';

export interface ApplyRequest {
  chatId: string;
  turnId: string;
  /** The block's position among the answer's code blocks, and its text as the panel shows it. */
  index: number;
  code: string;
  /** The answer's markdown, from the extension's own copy (the panel's text is only used to find the block). */
  answer: string;
  label: string;
}

export interface Edits {
  applyFromAnswer(request: ApplyRequest): Promise<ProposalOutcome>;
  readonly proposals: EditProposals;
  readonly checkpoints: CheckpointStore;
  disposable: vscode.Disposable;
}

/** With `internalCommands` (development and test runs), the pending proposals and checkpoints are readable by the VS Code suite. */
export function registerEdits(deps: { globalStorageUri: vscode.Uri; log: Log; internalCommands: boolean }): Edits {
  const checkpoints = new CheckpointStore(vscode.Uri.joinPath(deps.globalStorageUri, 'checkpoints'), checkpointRetention);
  const proposals = new EditProposals(checkpoints, deps.log);
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  // From the palette (pick an answer), the chat's button and the notification after Accept (the answer's ids).
  const undo = vscode.commands.registerCommand(commandIds.undoAnswerChanges, (answerId?: unknown, chatId?: unknown) => undoAnswerChanges(checkpoints, deps.log, text(answerId), text(chatId)));
  // Old checkpoints go at start-up too, not only when a new one is recorded.
  void checkpoints.prune().catch((error: unknown) => deps.log.warn(`Checkpoints could not be pruned: ${errorText(error)}`));

  async function applyFromAnswer(request: ApplyRequest): Promise<ProposalOutcome> {
    const fences = extractFences(request.answer);
    // The block at that position if it is the one shown, else the block whose text it is: never text the answer lacks.
    const fence = fences[request.index] && sameCode(fences[request.index]!.code, request.code) ? fences[request.index] : fences.find((f) => sameCode(f.code, request.code));
    if (!fence) {
      void vscode.window.showWarningMessage('This code block could not be found in the answer, so it was not applied.');
      return 'refused';
    }
    const target = await chooseTarget(fileNameHint(fence));
    if (!target) return 'cancelled';
    const refusal = await writeRefusal(target.uri);
    if (refusal) {
      void vscode.window.showWarningMessage(`Not applied: ${refusal}`);
      return 'refused';
    }
    return proposals.propose({ chatId: request.chatId, turnId: request.turnId, label: request.label, block: fence.code, target: target.uri, exists: target.exists });
  }

  const registrations = [proposals, undo, checkpoints];
  if (deps.internalCommands) {
    registrations.push(
      vscode.commands.registerCommand(internalCommandIds.pendingProposals, () => proposals.pending),
      vscode.commands.registerCommand(internalCommandIds.lastCheckpoint, async () => (await checkpoints.list())[0]?.answerId),
      vscode.commands.registerCommand(internalCommandIds.deleteFileForAnswer, (chatId: string, answerId: string, uri: string) => checkpoints.track({ chatId, answerId }, vscode.Uri.parse(uri), () => Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.parse(uri))))),
    );
  }
  return { applyFromAnswer, proposals, checkpoints, disposable: vscode.Disposable.from(...registrations) };
}

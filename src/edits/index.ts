// Acting on code: Apply a code block from an answer as a change reviewed in the diff editor, and Undo an
// answer's changes. Registered from the composition root; the chat calls `applyFromAnswer`.
import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import type { Log } from '../log/logger';
import { chooseTarget, writeRefusal } from './applyTarget';
import { CheckpointStore } from './checkpoints';
import { extractFences, fileNameHint, sameCode } from './codeFences';
import { EditProposals, type ProposalOutcome } from './editProposals';
import { undoAnswerChanges } from './undoAnswerChanges';

export interface ApplyRequest {
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

export function registerEdits(deps: { globalStorageUri: vscode.Uri; log: Log }): Edits {
  const checkpoints = new CheckpointStore(vscode.Uri.joinPath(deps.globalStorageUri, 'checkpoints'));
  const proposals = new EditProposals(checkpoints, deps.log);
  const undo = vscode.commands.registerCommand(commandIds.undoAnswerChanges, (turnId?: unknown) => undoAnswerChanges(checkpoints, deps.log, typeof turnId === 'string' ? turnId : undefined));

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
    return proposals.propose({ turnId: request.turnId, label: request.label, block: fence.code, target: target.uri, exists: target.exists });
  }

  return { applyFromAnswer, proposals, checkpoints, disposable: vscode.Disposable.from(proposals, undo) };
}

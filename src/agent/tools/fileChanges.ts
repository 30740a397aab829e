// How an agent's change reaches a file: shown in the diff editor and written only on Accept, or, when the user
// chose auto-apply for the chat, written at once. Either way it is recorded in the answer's checkpoint, so
// "Undo this answer's changes" restores the file (or removes one the answer created).
import type * as vscode from 'vscode';
import type { Edits } from '../../edits';
import { writeText } from '../../edits/editProposals';
import type { ProposalSettled } from '../../edits/editProposals';
import type { Log } from '../../log/logger';
import { errorText } from '../../util/errorText';
import type { AgentToolCallContext, AgentToolResult } from '../agentTool';
import { done, failed } from './toolResult';
import type { WorkspaceFile } from './workspaceAccess';

export interface FileChangeDeps {
  edits: Pick<Edits, 'proposals' | 'checkpoints'>;
  log: Log;
}

/** The label of an agent answer in the Undo list. */
const CHECKPOINT_LABEL = 'Agent answer';

/** Writes `after` to `file` (which held `before`, or did not exist: null), reviewed unless auto-apply is on. */
export async function changeFile(deps: FileChangeDeps, context: AgentToolCallContext, file: WorkspaceFile, before: string | null, after: string, what: string): Promise<AgentToolResult> {
  const created = before === null;
  if (context.autoApply) {
    try {
      await writeText(file.uri, after);
    } catch (error) {
      return failed(`${what} could not be written: ${errorText(error)}`);
    }
    await deps.edits.checkpoints.record(context.answerId, CHECKPOINT_LABEL, file.uri, before, after);
    deps.log.info(`Agent: ${created ? 'created' : 'changed'} ${file.relative} (auto-apply is on for this chat).`);
    return done(`${what}: done (applied at once; the user can undo this answer's changes).`, `${created ? 'Created' : 'Edited'} ${file.relative}`, { changedFiles: [file.relative] });
  }
  const settled = waitForDecision(deps, context, file.uri);
  const shown = await deps.edits.proposals.propose({ turnId: context.answerId, label: CHECKPOINT_LABEL, block: after, target: file.uri, exists: !created, wholeFile: true });
  if (shown !== 'shown') {
    settled.cancel();
    return shown === 'unchanged' ? done(`${what}: the file already holds this text; nothing changed.`, `${file.relative} unchanged`) : failed(`${what}: the change could not be shown for review.`);
  }
  const outcome = await settled.promise;
  if (outcome === 'written') return done(`${what}: the user reviewed the change and accepted it; it is written.`, `${created ? 'Created' : 'Edited'} ${file.relative} (accepted)`, { changedFiles: [file.relative], confirmed: true });
  if (outcome === 'rejected') return failed(`${what}: the user rejected the change; the file is unchanged. Ask what they want instead, or try a different change.`, `Change to ${file.relative} rejected`, { confirmed: false });
  if (outcome === 'refused') return failed(`${what}: the file changed or went away during the review, and the change no longer fits; nothing was written. Read the file again.`, `Change to ${file.relative} not written`);
  return done(`${what}: the change is still waiting for the user's review in the diff editor (the time for this call is up). It is written only if they accept it; do not assume it is.`, `Change to ${file.relative} awaiting review`);
}

/** The decision on the proposal for `target` in this answer; 'pending' when the call is stopped first. */
function waitForDecision(deps: FileChangeDeps, context: AgentToolCallContext, target: vscode.Uri): { promise: Promise<ProposalSettled['outcome'] | 'pending'>; cancel(): void } {
  let finish: (outcome: ProposalSettled['outcome'] | 'pending') => void = () => undefined;
  const promise = new Promise<ProposalSettled['outcome'] | 'pending'>((resolve) => (finish = resolve));
  const listener = deps.edits.proposals.onDidSettle((event) => (event.turnId === context.answerId && event.target === target.toString() ? end(event.outcome) : undefined));
  const onAbort = (): void => end('pending');
  context.signal.addEventListener('abort', onAbort, { once: true });
  function end(outcome: ProposalSettled['outcome'] | 'pending'): void {
    listener.dispose();
    context.signal.removeEventListener('abort', onAbort);
    finish(outcome);
  }
  return { promise, cancel: () => end('pending') };
}

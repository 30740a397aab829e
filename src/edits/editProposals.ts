// Proposed edits, reviewed in VS Code's diff editor before anything is written: Accept writes the proposal
// (recomputed first if the file changed meanwhile), Reject drops it; both in the diff editor's title bar and
// the command palette. Each accepted edit is checkpointed for its answer's Undo.
import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import type { Log } from '../log/logger';
import { Disposable } from '../util/dispose';
import { errorText } from '../util/errorText';
import type { CheckpointStore } from './checkpoints';
import { currentText, writeText } from './fileState';
import { mergeCodeBlock } from './mergeCodeBlock';

export const PROPOSAL_SCHEME = 'openrouter-proposal';
const OPEN_CONTEXT = 'openrouter.proposalOpen';

export interface ProposalRequest {
  /** The chat and the answer the block comes from: its checkpoint is kept under both. */
  chatId: string;
  turnId: string;
  /** The answer, for the Undo list: its model and time. */
  label: string;
  block: string;
  target: vscode.Uri;
  exists: boolean;
  /** The block is the file's whole new text (an agent's edit worked out already), never merged. */
  wholeFile?: boolean;
}

/** How a proposal ended: written on Accept, rejected, or refused (the file went away or the block no longer fits). */
export interface ProposalSettled {
  turnId: string;
  target: string;
  outcome: 'written' | 'rejected' | 'refused';
}

interface Proposal extends ProposalRequest {
  id: string;
  uri: vscode.Uri;
  /** The file's text the proposal was worked out from ('' for a new file). */
  base: string;
  proposed: string;
  wholeFile: boolean;
}

export type ProposalOutcome = 'shown' | 'refused' | 'unchanged' | 'cancelled' | 'written' | 'recomputed' | 'rejected' | 'none';

let sequence = 0;

export class EditProposals extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly proposals = new Map<string, Proposal>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly settled = this._register(new vscode.EventEmitter<ProposalSettled>());
  /** Fires once per proposal when it is decided (the agent's edit tools wait for it). */
  readonly onDidSettle = this.settled.event;

  constructor(private readonly checkpoints: CheckpointStore, private readonly log: Log) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this));
    this._register(vscode.commands.registerCommand(commandIds.acceptProposedChange, (uri?: unknown) => this.accept(this.find(uri))));
    this._register(vscode.commands.registerCommand(commandIds.rejectProposedChange, (uri?: unknown) => this.reject(this.find(uri))));
    this._register(vscode.commands.registerCommand(commandIds.acceptAllProposedChanges, () => this.settleAll('accept')));
    this._register(vscode.commands.registerCommand(commandIds.rejectAllProposedChanges, () => this.settleAll('reject')));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    if (uri.query === 'base') return '';
    return this.proposals.get(uri.path.split('/')[1] ?? '')?.proposed ?? '';
  }

  /** Works out the change and shows it in the diff editor; nothing is written. */
  async propose(request: ProposalRequest): Promise<ProposalOutcome> {
    const before = request.exists ? await currentText(request.target) : '';
    if (before === undefined) return this.tell('error', `${vscode.workspace.asRelativePath(request.target)} could not be read.`, 'refused');
    const worked = await this.workOut(request.block, before, request.target, request.wholeFile === true);
    if (!worked) return 'refused';
    if (worked.text === before) return this.tell('info', `${vscode.workspace.asRelativePath(request.target)} already holds this code: nothing to change.`, 'unchanged');
    const id = `p${++sequence}`;
    const name = request.target.path.split('/').pop() ?? 'file';
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/${name}` });
    const proposal: Proposal = { ...request, id, uri, base: before, proposed: worked.text, wholeFile: worked.wholeFile };
    this.proposals.set(id, proposal);
    await this.show(proposal);
    // Decided while its diff was opening (Accept All, or an agent's call ending): no tab may stay behind.
    if (!this.proposals.has(id)) await this.closeTabsOf(proposal);
    return 'shown';
  }

  /** The proposals waiting for a decision (for tests and the chat). */
  get pending(): ReadonlyArray<{ id: string; target: string; turnId: string }> {
    return [...this.proposals.values()].map((p) => ({ id: p.id, target: p.target.toString(), turnId: p.turnId }));
  }

  async accept(proposal: Proposal | undefined): Promise<ProposalOutcome> {
    if (!proposal) return this.tell('info', 'No proposed change is open. Press Apply on a code block in an answer first.', 'none');
    const rel = vscode.workspace.asRelativePath(proposal.target);
    const now = proposal.exists ? await currentText(proposal.target) : ((await currentText(proposal.target)) ?? '');
    if (now === undefined) {
      await this.drop(proposal, 'refused');
      return this.tell('error', `${rel} is gone since the change was proposed; nothing was written.`, 'refused');
    }
    if (now !== proposal.base) {
      // Never over a later edit blindly: work the block out again on what the file holds now, and show that.
      const worked = await this.workOut(proposal.block, now, proposal.target, proposal.wholeFile, `${rel} changed since the change was proposed, and the block no longer fits`);
      if (!worked) {
        await this.drop(proposal, 'refused');
        return 'refused';
      }
      proposal.base = now;
      proposal.exists = (await currentText(proposal.target)) !== undefined;
      proposal.proposed = worked.text;
      this.changed.fire(proposal.uri);
      await this.show(proposal);
      return this.tell('warning', `${rel} changed since the change was proposed: it was worked out again on the file as it is now. Review it and Accept again.`, 'recomputed');
    }
    try {
      await this.checkpoints.track({ chatId: proposal.chatId, answerId: proposal.turnId, label: proposal.label }, proposal.target, () => writeText(proposal.target, proposal.proposed));
    } catch (error) {
      return this.tell('error', `The change to ${rel} was not written: ${errorText(error)}`, 'refused');
    }
    await this.drop(proposal, 'written');
    this.log.info(`Apply: wrote the accepted change to ${rel}.`);
    void vscode.window.showInformationMessage(`Applied the change to ${rel}.`, 'Undo This Answer\'s Changes').then((choice) => {
      if (choice) void vscode.commands.executeCommand(commandIds.undoAnswerChanges, proposal.turnId, proposal.chatId);
    });
    return 'written';
  }

  async reject(proposal: Proposal | undefined): Promise<ProposalOutcome> {
    if (!proposal) return 'none';
    await this.drop(proposal, 'rejected');
    this.log.info(`Apply: the change to ${vscode.workspace.asRelativePath(proposal.target)} was rejected; the file is untouched.`);
    return 'rejected';
  }

  private async settleAll(how: 'accept' | 'reject'): Promise<ProposalOutcome[]> {
    const outcomes: ProposalOutcome[] = [];
    for (const proposal of [...this.proposals.values()]) outcomes.push(await (how === 'accept' ? this.accept(proposal) : this.reject(proposal)));
    return outcomes;
  }

  private async workOut(block: string, text: string, target: vscode.Uri, wholeFile: boolean, refusedBecause?: string): Promise<{ text: string; wholeFile: boolean } | undefined> {
    if (wholeFile || text === '') return { text: block, wholeFile };
    const merged = mergeCodeBlock(text, block);
    if (merged.kind !== 'refused') return { text: merged.text, wholeFile: false };
    const rel = vscode.workspace.asRelativePath(target);
    this.log.info(`Apply: not placed in ${rel}: ${merged.reason}`);
    const message = `${refusedBecause ?? `Not applied to ${rel}`}: ${merged.reason} Nothing was changed.`;
    const choice = merged.canReplaceWhole ? await vscode.window.showWarningMessage(message, 'Show as Whole-File Replacement') : await vscode.window.showWarningMessage(message);
    return choice ? { text: block, wholeFile: true } : undefined;
  }

  private async show(proposal: Proposal): Promise<void> {
    const left = proposal.exists ? proposal.target : proposal.uri.with({ query: 'base' });
    const title = `${proposal.uri.path.split('/').pop()}: proposed change${proposal.exists ? '' : ' (new file)'} — Accept or Reject in the title bar`;
    await vscode.commands.executeCommand('vscode.diff', left, proposal.uri, title, { preview: false });
    await vscode.commands.executeCommand('setContext', OPEN_CONTEXT, true);
  }

  private async drop(proposal: Proposal, outcome: ProposalSettled['outcome']): Promise<void> {
    this.proposals.delete(proposal.id);
    this.settled.fire({ turnId: proposal.turnId, target: proposal.target.toString(), outcome });
    await this.closeTabsOf(proposal);
    await vscode.commands.executeCommand('setContext', OPEN_CONTEXT, this.proposals.size > 0);
  }

  private async closeTabsOf(proposal: Proposal): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposal.uri.toString());
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
  }

  /** The proposal a command is about: its URI (title bar), else the active diff editor's, else the only one. */
  private find(arg: unknown): Proposal | undefined {
    const fromUri = (uri: vscode.Uri | undefined): Proposal | undefined => (uri?.scheme === PROPOSAL_SCHEME ? this.proposals.get(uri.path.split('/')[1] ?? '') : undefined);
    if (arg instanceof vscode.Uri) return fromUri(arg);
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const active = input instanceof vscode.TabInputTextDiff ? fromUri(input.modified) : undefined;
    return active ?? (this.proposals.size === 1 ? [...this.proposals.values()][0] : undefined);
  }

  private tell(kind: 'info' | 'warning' | 'error', message: string, outcome: ProposalOutcome): ProposalOutcome {
    const show = kind === 'info' ? vscode.window.showInformationMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(message);
    this.log.info(`Apply: ${message}`);
    return outcome;
  }
}

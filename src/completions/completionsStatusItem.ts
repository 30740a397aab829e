import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { Disposable } from '../util/dispose';
import { describeSpend, type SpendSnapshot } from './completionSpend';

export interface CompletionsView {
  enabled: boolean;
  busy: boolean;
  /** Set while the per-minute budget is spent: when the next request may go, ms since the epoch. */
  pausedUntil: number | undefined;
  /** Set while an OpenRouter budget is spent: completions send nothing until the user allows more. */
  heldByBudget: boolean;
  model: string;
  maxRequestsPerMinute: number;
  spend: SpendSnapshot;
  /** Set when the active editor's text is never sent: the sentence saying why (its pattern and setting). */
  excluded?: string;
  /** Set when the last request from the active editor was cut short of a secret, or skipped for one. */
  secrets?: string;
}

/** What the item shows, readable by tests. */
export interface CompletionsStatusSnapshot {
  text: string;
  tooltip: string;
  command: string;
}

/** The status bar switch: on, off, or spinning while a completion is on its way; a click toggles. */
export class CompletionsStatusItem extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private current: CompletionsStatusSnapshot = { text: '', tooltip: '', command: commandIds.toggleCompletions };

  constructor() {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('openrouter.completions', vscode.StatusBarAlignment.Right, 99));
    this.item.name = 'OpenRouter Completions';
    this.item.command = commandIds.toggleCompletions;
    this.item.show();
  }

  get snapshot(): CompletionsStatusSnapshot {
    return this.current;
  }

  render(view: CompletionsView): void {
    const paused = view.enabled && view.pausedUntil !== undefined && view.pausedUntil > Date.now();
    const held = view.enabled && view.heldByBudget;
    const excluded = view.enabled && view.excluded !== undefined;
    const icon = !view.enabled ? '$(circle-slash)' : held ? '$(debug-pause)' : view.busy ? '$(loading~spin)' : paused ? '$(watch)' : excluded ? '$(eye-closed)' : '$(sparkle)';
    const text = `${icon} Complete`;
    const lines = [
      view.enabled ? `**OpenRouter completions are on** (\`${view.model}\`).` : '**OpenRouter completions are off.**',
      ...(excluded ? [`Not for this file: ${view.excluded}`] : []),
      ...(view.enabled && view.secrets ? [view.secrets] : []),
      view.enabled ? 'Click to turn them off.' : 'Click to turn them on (each pause in typing may send a request, which costs credits).',
      ...(held ? ['**Stopped: your OpenRouter budget is spent.** Completions resume when you allow more for another request (chat, Compare) or raise `openrouter.budget.*`; they never ask on their own.'] : []),
      paused ? `Paused: ${view.maxRequestsPerMinute} requests in the last minute (\`openrouter.completions.maxRequestsPerMinute\`).` : `At most ${view.maxRequestsPerMinute} requests a minute.`,
      `This window: ${describeSpend(view.spend)}.`,
    ];
    const tooltip = lines.join('\n\n');
    this.item.text = text;
    this.item.tooltip = new vscode.MarkdownString(tooltip);
    this.item.accessibilityInformation = { label: `OpenRouter completions ${view.enabled ? (held ? 'stopped by the budget' : view.busy ? 'on, requesting' : paused ? 'paused' : excluded ? 'on, not for this file' : 'on') : 'off'}` };
    this.current = { text, tooltip, command: commandIds.toggleCompletions };
  }
}

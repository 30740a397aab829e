// The budget guard: every send (chat, compare, VS Code's chat, completions) asks it first. Past 100 % of
// a budget it asks the user to confirm, once per UTC day (shared by every window through globalState).
// The question is a quick pick at the top of the window: it cannot be missed like a notification, and
// clicking elsewhere or Escape means "don't send", so no send waits on a question nobody sees.
import * as vscode from 'vscode';
import type { Settings } from '../config/settings';
import type { Log } from '../log/logger';
import type { KeyInfo } from '../openrouter/types';
import { formatUsd } from '../credits/creditsMath';
import { Disposable } from '../util/dispose';
import { errorText } from '../util/errorText';
import { budgetStatus, countedSpend, describeLine } from './budgetMath';
import type { BudgetStatus } from './budgetMath';
import { dayKey } from './usageDays';
import type { UsageRecorder } from './usageRecorder';
import type { UsageSource } from './usageTypes';

/** globalState key: the UTC day on which the user last chose to send past a budget. */
export const BUDGET_CONFIRMED_DAY_KEY = 'openrouter.budget.confirmedDay';
export const SEND_ANYWAY = 'Send anyway';
export const DONT_SEND = "Don't send";
export const CHANGE_BUDGETS = 'Change the budgets…';

/** What the guard reads from the credits item: the key's own usage from the last `/key`. */
export interface KeyUsageSource {
  readonly keyInfo: KeyInfo | undefined;
  readonly onDidUpdate: vscode.Event<unknown>;
}

export interface BudgetGuardDeps {
  recorder: UsageRecorder;
  settings: Settings;
  keyUsage: KeyUsageSource;
  memento: vscode.Memento;
  log: Log;
}

export class BudgetGuard extends Disposable {
  private current: BudgetStatus = { level: 'off', lines: [] };
  private deciding: Promise<{ go: boolean; asked: boolean }> | undefined;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<BudgetStatus>());
  /** Fires when the budget level or the counted spend changes. */
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly deps: BudgetGuardDeps) {
    super();
    this._register(deps.recorder.onDidRecord(() => void this.refresh()));
    this._register(deps.keyUsage.onDidUpdate(() => void this.refresh()));
    this._register(
      deps.settings.onDidChange((change) => {
        if (change.affects('budget.daily', 'budget.monthly')) void this.refresh();
      }),
    );
  }

  /** The last computed status (the credits item renders it synchronously). */
  get status(): BudgetStatus {
    return this.current;
  }

  /** Recomputes the status from the record and the key's usage. */
  async refresh(): Promise<BudgetStatus> {
    const values = this.deps.settings.values;
    const limits = { daily: values['budget.daily'], monthly: values['budget.monthly'] };
    let next: BudgetStatus;
    if (limits.daily <= 0 && limits.monthly <= 0) {
      next = budgetStatus({ day: 0, month: 0 }, limits);
    } else {
      let local = { day: 0, month: 0 };
      try {
        local = await this.deps.recorder.spend();
      } catch (error) {
        this.deps.log.warn(`Could not read the usage record for the budget: ${errorText(error)}`);
      }
      next = budgetStatus(countedSpend(local, this.deps.keyUsage.keyInfo), limits);
    }
    const changed = JSON.stringify(next) !== JSON.stringify(this.current);
    this.current = next;
    if (changed && !this.isDisposed) this._onDidChange.fire(next);
    return next;
  }

  /**
   * Resolves true when the send may go ahead: under every budget, already confirmed today, or confirmed
   * now. Sends made while a decision is being made (the question open) share it. False sends nothing.
   */
  async confirmSend(source: UsageSource): Promise<boolean> {
    this.deciding ??= this.decide().finally(() => (this.deciding = undefined));
    const { go, asked } = await this.deciding;
    if (asked) this.deps.log.info(`Budget exceeded: the ${source} send was ${go ? 'confirmed' : 'declined'}.`);
    return go;
  }

  private async decide(): Promise<{ go: boolean; asked: boolean }> {
    const status = await this.refresh();
    if (status.level !== 'over') return { go: true, asked: false };
    const today = dayKey(Date.now());
    if (this.deps.memento.get<string>(BUDGET_CONFIRMED_DAY_KEY) === today) return { go: true, asked: false };
    return { go: await this.ask(status, today), asked: true };
  }

  /**
   * For sends nobody asked for one by one (inline completions): true under every budget or once the user
   * chose to go over today; past 100 % otherwise false, without a question (one per keystroke would be absurd).
   */
  async allowsWithoutAsking(): Promise<boolean> {
    const status = await this.refresh();
    return status.level !== 'over' || this.deps.memento.get<string>(BUDGET_CONFIRMED_DAY_KEY) === dayKey(Date.now());
  }

  private async ask(status: BudgetStatus, today: string): Promise<boolean> {
    const over = status.lines.filter((line) => line.ratio >= 1).map((line) => describeLine(line, formatUsd));
    const choice = await vscode.window.showQuickPick(
      [
        // Not sending comes first: Enter without reading must not spend.
        { label: `$(close) ${DONT_SEND}`, description: 'keep the message to send later', id: DONT_SEND },
        { label: `$(check) ${SEND_ANYWAY}`, description: 'and do not ask again today (UTC)', id: SEND_ANYWAY },
        { label: `$(gear) ${CHANGE_BUDGETS}`, description: 'openrouter.budget in your user settings (not sent)', id: CHANGE_BUDGETS },
      ],
      { title: `OpenRouter budget reached: ${over.join('; ')} is spent`, placeHolder: 'Send this request anyway? (Escape: do not send)', ignoreFocusOut: false },
    );
    if (choice?.id === CHANGE_BUDGETS) void vscode.commands.executeCommand('workbench.action.openSettings', 'openrouter.budget');
    if (choice?.id !== SEND_ANYWAY) return false;
    await this.deps.memento.update(BUDGET_CONFIRMED_DAY_KEY, today);
    return true;
  }
}

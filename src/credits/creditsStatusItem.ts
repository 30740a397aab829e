// The credits status bar item: what the key can still spend (src/balance), the budgets' level, and the spend
// lines other features add; a click refreshes and shows the breakdown.
import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { Disposable } from '../util/dispose';
import type { Log } from '../log/logger';
import type { Settings } from '../config/settings';
import type { AccountBalance, BalanceState } from '../balance/accountBalance';
import { balanceDetails, balanceLevel, balanceText, computeBalance, crossedIntoLow, escapeMarkdown, formatUsd } from '../balance/balanceMath';
import type { Balance, BalanceLevel } from '../balance/balanceMath';
import { describeLine } from '../usage/budgetMath';
import type { BudgetStatus } from '../usage/budgetMath';

/** The budget guard as the item sees it: its last status and when it changes. */
export interface BudgetView {
  readonly status: BudgetStatus;
  readonly onDidChange: vscode.Event<unknown>;
}

export type CreditsState = BalanceState;

/** What the item shows, readable by tests. */
export interface CreditsSnapshot {
  state: CreditsState;
  text: string;
  tooltip: string;
  /** The command a click runs. */
  command: string;
  level: BalanceLevel;
  background: string | undefined;
  balance: Balance | undefined;
  creditsUnavailable: boolean;
  error: string | undefined;
  updatedAt: number | undefined;
  /** The budgets' level: `warning` from 80 %, `over` from 100 %. */
  budgetLevel: BudgetStatus['level'];
}

export class CreditsStatusItem extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private lastLevel: BalanceLevel | undefined;
  private current: CreditsSnapshot;
  private budget: BudgetView | undefined;
  private readonly _onDidUpdate = this._register(new vscode.EventEmitter<CreditsSnapshot>());
  readonly onDidUpdate = this._onDidUpdate.event;

  constructor(
    private readonly balance: AccountBalance,
    private readonly settings: Settings,
    private readonly log: Log,
    private readonly emulatorNote: string | undefined,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('openrouter.credits', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'OpenRouter Credits';
    this.current = this.render();
    this.item.show();
    this._register(balance.onDidUpdate(() => this.render()));
    this._register(settings.onDidChange((change) => (change.affects('lowBalanceThreshold') ? this.render() : undefined)));
  }

  get snapshot(): CreditsSnapshot {
    return this.current;
  }

  /** Shows the budgets' status from now on (the guard is built after the balance: it reads the key's usage). */
  attachBudget(budget: BudgetView): vscode.Disposable {
    this.budget = budget;
    this.render();
    return budget.onDidChange(() => this.render());
  }

  /** Refreshes the balance, then shows the breakdown in a notification. */
  async showDetails(): Promise<CreditsSnapshot> {
    await this.balance.refresh();
    const snap = this.current;
    if (snap.state === 'no-key') {
      void this.offerSetKey('No OpenRouter API key is set.');
    } else if (snap.state === 'invalid-key' || snap.state === 'error') {
      void vscode.window.showErrorMessage(`OpenRouter credits: ${snap.error ?? 'unavailable'}`, 'Open Log').then((c) => {
        if (c) void vscode.commands.executeCommand(commandIds.showLog);
      });
    } else {
      const rows = balanceDetails(snap.balance ?? computeBalance(undefined, undefined), this.balance.keyInfo, snap.creditsUnavailable);
      void vscode.window.showInformationMessage(`OpenRouter: ${rows.map((r) => r.replace(/\*\*/g, '').replace(/\\/g, '')).join(' — ')}`, 'Show Usage').then((choice) => {
        if (choice) void vscode.commands.executeCommand(commandIds.showUsage);
      });
    }
    return snap;
  }

  private render(): CreditsSnapshot {
    const next = this.balance.reading;
    const lastBalance = next.balance;
    // A new key starts over: its first low balance warns again.
    if (!lastBalance) this.lastLevel = undefined;
    const threshold = this.settings.values.lowBalanceThreshold;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: [commandIds.showUsage] };
    let text: string;
    let level: BalanceLevel = 'unknown';
    let command: string = commandIds.showCredits;
    switch (next.state) {
      case 'loading':
        text = '$(sync~spin) OpenRouter';
        tooltip.appendMarkdown('Checking OpenRouter credits…');
        break;
      case 'no-key':
        text = '$(key) Set OpenRouter key';
        tooltip.appendMarkdown('No OpenRouter API key is set. Click to add one (it is kept in the secret store).');
        command = commandIds.setApiKey;
        break;
      case 'invalid-key':
        text = '$(key) OpenRouter key rejected';
        tooltip.appendMarkdown(`OpenRouter did not accept the API key: ${escapeMarkdown(next.error ?? '')}`);
        tooltip.appendMarkdown('\n\nClick to set a new key.');
        command = commandIds.setApiKey;
        level = 'empty';
        break;
      case 'error':
        text = '$(warning) OpenRouter offline';
        tooltip.appendMarkdown(`Could not read the credits: ${escapeMarkdown(next.error ?? 'unknown error')}`);
        if (lastBalance) tooltip.appendMarkdown(`\n\nLast known: ${formatUsd(lastBalance.spendable)}`);
        tooltip.appendMarkdown('\n\nClick to try again.');
        break;
      case 'ok': {
        const balance = lastBalance ?? computeBalance(undefined, undefined);
        level = balanceLevel(balance.spendable, threshold);
        text = `$(credit-card) ${balanceText(balance, this.balance.keyInfo)}`;
        tooltip.appendMarkdown(`**OpenRouter credits**\n\n${balanceDetails(balance, this.balance.keyInfo, next.creditsUnavailable).join('  \n')}`);
        for (const usage of this.balance.usageText()) tooltip.appendMarkdown(`  \n${escapeMarkdown(usage)}`);
        if (level === 'low' || level === 'empty') tooltip.appendMarkdown(`\n\nBelow the low-balance threshold of ${formatUsd(threshold)}.`);
        this.appendBudget(tooltip);
        tooltip.appendMarkdown(`\n\n[Show Usage](command:${commandIds.showUsage}) · click to refresh and see details.`);
        if (crossedIntoLow(this.lastLevel, level)) this.warnLow(balance);
        this.lastLevel = level;
        break;
      }
    }
    if (this.emulatorNote) tooltip.appendMarkdown(`\n\n$(beaker) ${this.emulatorNote}`);
    const budgetLevel = next.state === 'ok' ? (this.budget?.status.level ?? 'off') : 'off';
    const background =
      next.state === 'error' || next.state === 'invalid-key' || level === 'empty'
        ? 'statusBarItem.errorBackground'
        : level === 'low' || budgetLevel === 'warning' || budgetLevel === 'over'
          ? 'statusBarItem.warningBackground'
          : undefined;
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = command;
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
    this.item.accessibilityInformation = { label: `OpenRouter credits: ${text.replace(/\$\([^)]*\)\s*/g, '')}` };
    if (next.state === 'ok') this.log.debug(`Credits: ${text}`);
    this.current = {
      state: next.state,
      text,
      tooltip: tooltip.value,
      command,
      level,
      background,
      balance: next.state === 'ok' ? lastBalance : undefined,
      creditsUnavailable: next.creditsUnavailable,
      error: next.error,
      updatedAt: Date.now(),
      budgetLevel,
    };
    this._onDidUpdate.fire(this.current);
    return this.current;
  }

  /** The budget lines under the balance: from 80 % they say so. */
  private appendBudget(tooltip: vscode.MarkdownString): void {
    const status = this.budget?.status;
    if (!status || status.lines.length === 0) return;
    const lines = status.lines.map((line) => describeLine(line, formatUsd));
    const note =
      status.level === 'over'
        ? ' — **budget reached**: each send asks how much more to allow; completions stop until you allow more'
        : status.level === 'warning'
          ? ' — **80 % of the budget reached**'
          : '';
    tooltip.appendMarkdown(`\n\n**Budget:** ${lines.join(' · ')}${note}`);
  }

  private warnLow(balance: Balance): void {
    const message =
      balance.spendable !== undefined && balance.spendable <= 0
        ? 'Your OpenRouter key has no credits left.'
        : `Your OpenRouter balance is low: ${formatUsd(balance.spendable)} left (threshold ${formatUsd(this.settings.values.lowBalanceThreshold)}).`;
    this.log.warn(message);
    void vscode.window.showWarningMessage(message, 'Add Credits').then((choice) => {
      if (choice) void vscode.env.openExternal(vscode.Uri.parse('https://openrouter.ai/settings/credits'));
    });
  }

  private offerSetKey(message: string): Thenable<void> {
    return vscode.window.showInformationMessage(`${message} Sign in or add a key to see your credits.`, 'Sign In', 'Set API Key').then((choice) => {
      if (choice) void vscode.commands.executeCommand(choice === 'Sign In' ? commandIds.signIn : commandIds.setApiKey);
    });
  }
}

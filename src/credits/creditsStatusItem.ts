import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKey/apiKeyStore';
import { commandIds } from '../commands/commandIds';
import { Disposable, toDisposable } from '../util/dispose';
import type { Log } from '../log/logger';
import type { Credits, KeyInfo } from '../openrouter/types';
import type { ProviderHost } from '../host/providerHost';
import type { Settings } from '../config/settings';
import { balanceDetails, balanceLevel, balanceText, computeBalance, crossedIntoLow, escapeMarkdown, formatUsd } from './creditsMath';
import type { Balance, BalanceLevel } from './creditsMath';
import { errorText } from '../util/errorText';
import { describeLine } from '../usage/budgetMath';
import type { BudgetStatus } from '../usage/budgetMath';

/** The budget guard as the item sees it: its last status and when it changes. */
export interface BudgetView {
  readonly status: BudgetStatus;
  readonly onDidChange: vscode.Event<unknown>;
}

export type CreditsState = 'loading' | 'no-key' | 'ok' | 'invalid-key' | 'error';

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

/**
 * Status bar item with what the key can still spend. Refreshes on an interval, on demand (after each chat
 * answer), and when the key or the provider changes; at most one refresh runs, a request made meanwhile
 * runs once after it. Unattended refreshes (start-up, the interval, a new key or provider) wait for a
 * focused window: a window in the background makes no request, and catches up when focused if its
 * figures are older than the interval. What the user asks for (a click, an answer's cost) never waits.
 */
export class CreditsStatusItem extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** An unattended refresh was due while the window had no focus. */
  private missedRefresh = false;
  /** When the last refresh finished (whatever its outcome). */
  private refreshedAt: number | undefined;
  private lastLevel: BalanceLevel | undefined;
  private lastKey: KeyInfo | undefined;
  private lastBalance: Balance | undefined;
  /** /credits answered 403 for this key: ask again only when the key or the provider changes. */
  private creditsUnavailable = false;
  private current: CreditsSnapshot;
  /** Usage figures other features add to the tooltip (inline completions' spend). */
  private readonly usageLines = new Set<() => string | undefined>();
  private budget: BudgetView | undefined;
  private readonly _onDidUpdate = this._register(new vscode.EventEmitter<CreditsSnapshot>());
  readonly onDidUpdate = this._onDidUpdate.event;

  constructor(
    private readonly host: ProviderHost,
    private readonly keys: ApiKeyStore,
    private readonly settings: Settings,
    private readonly log: Log,
    private readonly emulatorNote: string | undefined,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('openrouter.credits', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'OpenRouter Credits';
    this.current = this.render({ state: 'loading' });
    this.item.show();
    this._register(
      keys.onDidChange(() => {
        this.forgetKey();
        this.refreshWhenFocused();
      }),
    );
    this._register(
      host.onDidChangeProvider(() => {
        this.forgetKey();
        this.refreshWhenFocused();
      }),
    );
    this._register(vscode.window.onDidChangeWindowState((state) => this.focusChanged(state.focused)));
    this._register(
      settings.onDidChange((change) => {
        if (change.affects('creditsRefreshIntervalSeconds')) this.schedule();
        if (change.affects('lowBalanceThreshold')) this.rerender();
      }),
    );
    this._register(
      toDisposable(() => {
        clearInterval(this.timer);
        this.timer = undefined;
      }),
    );
    this.schedule();
  }

  get snapshot(): CreditsSnapshot {
    return this.current;
  }

  /** Shows the budgets' status from now on (the guard is built after the item: it reads the item's key usage). */
  attachBudget(budget: BudgetView): vscode.Disposable {
    this.budget = budget;
    this.rerender();
    return budget.onDidChange(() => this.rerender());
  }

  /** The key's figures from the last successful `/key` (its usage today/week/month counts against the budgets). */
  get keyInfo(): KeyInfo | undefined {
    return this.lastKey;
  }

  /**
   * Fetches /key (and /credits where the key may read it) and updates the item. Asked during a refresh,
   * it queues one more (its data must be from after the ask); further asks share that one.
   */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.update().finally(() => {
        this.running = undefined;
        this.refreshedAt = Date.now();
      });
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.isDisposed ? undefined : this.refresh();
    });
    return this.queued;
  }

  /**
   * A refresh when the figures are older than `maxAgeMs` (and none is running): features that spend
   * without a local record of every cost (cancelled completions) keep the key's usage this fresh.
   */
  refreshIfOlderThan(maxAgeMs: number): void {
    if (this.running) return;
    if (this.refreshedAt !== undefined && Date.now() - this.refreshedAt < maxAgeMs) return;
    void this.refresh();
  }

  /** Adds a line to the tooltip's usage figures, re-read at every render; `changed()` re-renders now. */
  addUsageLine(line: () => string | undefined): { changed(): void; dispose(): void } {
    this.usageLines.add(line);
    return { changed: () => this.rerender(), dispose: () => void this.usageLines.delete(line) };
  }

  /** True while the refresh interval is armed (only in a focused window). */
  get polling(): boolean {
    return this.timer !== undefined;
  }

  /** A refresh nobody is waiting for: now in a focused window, else when the window gets focus. */
  refreshWhenFocused(): void {
    if (vscode.window.state.focused) void this.refresh();
    else this.missedRefresh = true;
  }

  /** Refreshes, then shows the breakdown in a notification. */
  async showDetails(): Promise<CreditsSnapshot> {
    await this.refresh();
    const snap = this.current;
    if (snap.state === 'no-key') {
      void this.offerSetKey('No OpenRouter API key is set.');
    } else if (snap.state === 'invalid-key' || snap.state === 'error') {
      void vscode.window.showErrorMessage(`OpenRouter credits: ${snap.error ?? 'unavailable'}`, 'Open Log').then((c) => {
        if (c) void vscode.commands.executeCommand(commandIds.showLog);
      });
    } else {
      const rows = balanceDetails(snap.balance ?? computeBalance(undefined, undefined), this.lastKey, snap.creditsUnavailable);
      void vscode.window.showInformationMessage(`OpenRouter: ${rows.map((r) => r.replace(/\*\*/g, '').replace(/\\/g, '')).join(' — ')}`, 'Show Usage').then((choice) => {
        if (choice) void vscode.commands.executeCommand(commandIds.showUsage);
      });
    }
    return snap;
  }

  /** The interval ticks only while the window has focus. */
  private schedule(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    const seconds = this.settings.values.creditsRefreshIntervalSeconds;
    if (seconds <= 0 || !vscode.window.state.focused) return;
    this.timer = setInterval(() => void this.refresh(), seconds * 1000);
    // A timer must not keep the extension host alive on shutdown.
    this.timer.unref();
  }

  private focusChanged(focused: boolean): void {
    this.schedule();
    if (!focused) return;
    const seconds = this.settings.values.creditsRefreshIntervalSeconds;
    const age = this.refreshedAt === undefined ? Infinity : Date.now() - this.refreshedAt;
    const stale = seconds > 0 && age >= seconds * 1000;
    if (this.missedRefresh || stale) {
      this.missedRefresh = false;
      void this.refresh();
    }
  }

  private forgetKey(): void {
    this.creditsUnavailable = false;
    this.lastKey = undefined;
    this.lastBalance = undefined;
    this.lastLevel = undefined;
  }

  private async update(): Promise<void> {
    if (!(await this.keys.has())) {
      this.forgetKey();
      this.render({ state: 'no-key' });
      return;
    }
    const provider = this.host.provider;
    try {
      const check = await provider.validateConfig();
      if (!check.ok) {
        const rejected = check.status === 401 || check.status === 403;
        this.log.warn(rejected ? `Credits: OpenRouter did not accept the key (${check.status}): ${check.message}` : `Credits refresh failed: ${check.message}`);
        if (rejected) this.lastKey = undefined;
        this.render({ state: rejected ? 'invalid-key' : 'error', error: check.message });
        return;
      }
      const credits = await this.readCredits();
      this.lastKey = check.key;
      this.lastBalance = computeBalance(check.key, credits);
      this.render({ state: 'ok' });
      this.log.debug(`Credits: ${this.current.text}`);
    } catch (error) {
      const message = errorText(error);
      this.log.warn(`Credits refresh failed: ${message}`);
      this.render({ state: 'error', error: message });
    }
  }

  private async readCredits(): Promise<Credits | undefined> {
    if (this.creditsUnavailable) return undefined;
    try {
      return await this.host.provider.getCredits();
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 403 || status === 401) {
        // Ordinary keys may not read the account balance: the key's own limit is shown instead.
        this.creditsUnavailable = true;
        this.log.debug('Credits: /credits is not available to this key; showing the key limit.');
        return undefined;
      }
      throw error;
    }
  }

  private rerender(): void {
    if (this.current.state === 'ok') this.render({ state: 'ok' });
  }

  private render(next: { state: CreditsState; error?: string }): CreditsSnapshot {
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
        if (this.lastBalance) tooltip.appendMarkdown(`\n\nLast known: ${formatUsd(this.lastBalance.spendable)}`);
        tooltip.appendMarkdown('\n\nClick to try again.');
        break;
      case 'ok': {
        const balance = this.lastBalance ?? computeBalance(undefined, undefined);
        level = balanceLevel(balance.spendable, threshold);
        text = `$(credit-card) ${balanceText(balance, this.lastKey)}`;
        tooltip.appendMarkdown(`**OpenRouter credits**\n\n${balanceDetails(balance, this.lastKey, this.creditsUnavailable).join('  \n')}`);
        for (const line of this.usageLines) {
          const usage = line();
          if (usage) tooltip.appendMarkdown(`  \n${escapeMarkdown(usage)}`);
        }
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
    this.current = {
      state: next.state,
      text,
      tooltip: tooltip.value,
      command,
      level,
      background,
      balance: next.state === 'ok' ? this.lastBalance : undefined,
      creditsUnavailable: this.creditsUnavailable,
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

// What the key can still spend: /key (and /credits where the key may read it), kept fresh for every feature
// that shows or checks it (the credits item, the budgets, the chat's error notices, completions). Refreshes on
// an interval, on demand (after each answer), and when the key or the provider changes; at most one refresh
// runs, a request made meanwhile runs once after it. Unattended refreshes (start-up, the interval, a new key or
// provider) wait for a focused window: a window in the background makes no request, and catches up when focused
// if its figures are older than the interval. What the user asks for (a click, an answer's cost) never waits.
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKey/apiKeyStore';
import type { Settings } from '../config/settings';
import type { ProviderHost } from '../host/providerHost';
import type { Log } from '../log/logger';
import type { Credits, KeyInfo } from '../openrouter/types';
import { Disposable, toDisposable } from '../util/dispose';
import { errorText } from '../util/errorText';
import { computeBalance, type Balance } from './balanceMath';

export type BalanceState = 'loading' | 'no-key' | 'ok' | 'invalid-key' | 'error';

/** The last refresh's outcome. */
export interface BalanceReading {
  state: BalanceState;
  /** From the last successful refresh; kept through a failed one ("last known"). */
  balance: Balance | undefined;
  /** /credits answered 403 for this key: the key's own limit is shown instead. */
  creditsUnavailable: boolean;
  error: string | undefined;
}

export class AccountBalance extends Disposable {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** An unattended refresh was due while the window had no focus. */
  private missedRefresh = false;
  /** When the last refresh finished (whatever its outcome). */
  private refreshedAt: number | undefined;
  private lastKey: KeyInfo | undefined;
  private current: BalanceReading = { state: 'loading', balance: undefined, creditsUnavailable: false, error: undefined };
  /** Spend figures other features add wherever the balance is shown (inline completions' spend). */
  private readonly usageLines = new Set<() => string | undefined>();
  private readonly _onDidUpdate = this._register(new vscode.EventEmitter<BalanceReading>());
  /** A refresh ended, or a usage line changed. */
  readonly onDidUpdate = this._onDidUpdate.event;

  constructor(
    private readonly host: ProviderHost,
    private readonly keys: ApiKeyStore,
    private readonly settings: Settings,
    private readonly log: Log,
  ) {
    super();
    const changed = (): void => {
      this.forgetKey();
      this.refreshWhenFocused();
    };
    this._register(keys.onDidChange(changed));
    this._register(host.onDidChangeProvider(changed));
    this._register(vscode.window.onDidChangeWindowState((state) => this.focusChanged(state.focused)));
    this._register(settings.onDidChange((change) => (change.affects('creditsRefreshIntervalSeconds') ? this.schedule() : undefined)));
    this._register(
      toDisposable(() => {
        clearInterval(this.timer);
        this.timer = undefined;
      }),
    );
    this.schedule();
  }

  get reading(): BalanceReading {
    return { ...this.current };
  }

  /** The key's figures from the last successful `/key` (its usage today/week/month counts against the budgets). */
  get keyInfo(): KeyInfo | undefined {
    return this.lastKey;
  }

  /** What the key can still spend, USD, as of the last successful refresh. */
  get spendableUsd(): number | undefined {
    return this.current.state === 'ok' ? this.current.balance?.spendable : undefined;
  }

  /**
   * Fetches /key (and /credits where the key may read it). Asked during a refresh, it queues one more (its data
   * must be from after the ask); further asks share that one.
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
   * A refresh when the figures are older than `maxAgeMs` (and none is running): features that spend without a
   * local record of every cost (cancelled completions) keep the key's usage this fresh.
   */
  refreshIfOlderThan(maxAgeMs: number): void {
    if (this.running) return;
    if (this.refreshedAt !== undefined && Date.now() - this.refreshedAt < maxAgeMs) return;
    void this.refresh();
  }

  /** A refresh nobody is waiting for: now in a focused window, else when the window gets focus. */
  refreshWhenFocused(): void {
    if (vscode.window.state.focused) void this.refresh();
    else this.missedRefresh = true;
  }

  /** True while the refresh interval is armed (only in a focused window). */
  get polling(): boolean {
    return this.timer !== undefined;
  }

  /** Adds a spend line shown with the balance, re-read at every render; `changed()` tells the views now. */
  addUsageLine(line: () => string | undefined): { changed(): void; dispose(): void } {
    this.usageLines.add(line);
    return { changed: () => this._onDidUpdate.fire(this.reading), dispose: () => void this.usageLines.delete(line) };
  }

  /** The usage lines that have something to say now. */
  usageText(): string[] {
    return [...this.usageLines].map((line) => line()).filter((text): text is string => !!text);
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
    if (this.missedRefresh || (seconds > 0 && age >= seconds * 1000)) {
      this.missedRefresh = false;
      void this.refresh();
    }
  }

  private forgetKey(): void {
    this.lastKey = undefined;
    this.current = { state: this.current.state, balance: undefined, creditsUnavailable: false, error: undefined };
  }

  private publish(state: BalanceState, error?: string): void {
    this.current = { ...this.current, state, error };
    this._onDidUpdate.fire(this.reading);
  }

  private async update(): Promise<void> {
    if (!(await this.keys.has())) {
      this.forgetKey();
      this.publish('no-key');
      return;
    }
    try {
      const check = await this.host.provider.validateConfig();
      if (!check.ok) {
        const rejected = check.status === 401 || check.status === 403;
        this.log.warn(rejected ? `Credits: OpenRouter did not accept the key (${check.status}): ${check.message}` : `Credits refresh failed: ${check.message}`);
        if (rejected) this.lastKey = undefined;
        this.publish(rejected ? 'invalid-key' : 'error', check.message);
        return;
      }
      const credits = await this.readCredits();
      this.lastKey = check.key;
      this.current.balance = computeBalance(check.key, credits);
      this.publish('ok');
    } catch (error) {
      const message = errorText(error);
      this.log.warn(`Credits refresh failed: ${message}`);
      this.publish('error', message);
    }
  }

  private async readCredits(): Promise<Credits | undefined> {
    if (this.current.creditsUnavailable) return undefined;
    try {
      return await this.host.provider.getCredits();
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 403 || status === 401) {
        // Ordinary keys may not read the account balance: the key's own limit is shown instead.
        this.current.creditsUnavailable = true;
        this.log.debug('Credits: /credits is not available to this key; showing the key limit.');
        return undefined;
      }
      throw error;
    }
  }
}

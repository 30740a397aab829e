// The budget guard: every send (chat, compare, VS Code's chat, completions) asks it first. Past 100 % of
// a budget a send asks the user how much more to allow (today for the daily budget, this month for the
// monthly one); nothing lifts a budget without a new limit, and the next send past that limit asks again.
// The question is a quick pick at the top of the window: it cannot be missed like a notification, and
// clicking elsewhere or Escape means "don't send", so no send waits on a question nobody sees.
import * as vscode from 'vscode';
import type { Settings } from '../config/settings';
import type { Log } from '../log/logger';
import type { KeyInfo } from '../openrouter/types';
import { formatUsd } from '../util/usd';
import { Disposable } from '../util/dispose';
import { errorText } from '../util/errorText';
import { budgetStatus, countedSpend, describeLine, raiseBy } from './budgetMath';
import type { BudgetRaises, BudgetStatus } from './budgetMath';
import { dayKey, monthKey } from './usageDays';
import type { UsageRecorder } from './usageRecorder';
import type { UsageSource } from './usageTypes';

/** globalState key: what the user allowed past each budget, with the UTC day or month it holds for. */
export const BUDGET_RAISES_KEY = 'openrouter.budget.raises';
export const DONT_SEND = "Don't send";
export const ALLOW_OTHER = 'Allow another amount…';
export const CHANGE_BUDGETS = 'Change the budgets…';
/** The raises the question offers, in USD; "Allow another amount…" takes any other. */
export const OFFERED_RAISES: readonly number[] = [1, 5];
const MAX_RAISE = 1_000_000;

/** As stored: a raise counts only in the day (daily) or month (monthly) it was made for. */
interface StoredRaises {
  daily?: { day: string; usd: number };
  monthly?: { month: string; usd: number };
}

/** "Allow up to $1.00 more today". */
export function allowMoreLabel(usd: number, status: BudgetStatus): string {
  return `Allow up to ${formatUsd(usd)} more ${periodWords(status)}`;
}

/** "today", "this month" or "today and this month": the budgets a raise lifts. */
function periodWords(status: BudgetStatus): string {
  const over = new Set(status.lines.filter((line) => line.ratio >= 1).map((line) => line.period));
  return over.has('daily') && over.has('monthly') ? 'today and this month' : over.has('monthly') ? 'this month' : 'today';
}

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
      next = budgetStatus(countedSpend(local, this.deps.keyUsage.keyInfo), limits, this.raises());
    }
    const changed = JSON.stringify(next) !== JSON.stringify(this.current);
    this.current = next;
    if (changed && !this.isDisposed) this._onDidChange.fire(next);
    return next;
  }

  /** What the user allowed past each budget for the current UTC day and month (older raises count for nothing). */
  raises(now = Date.now()): BudgetRaises {
    const stored = this.deps.memento.get<StoredRaises>(BUDGET_RAISES_KEY);
    const usd = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);
    return {
      daily: stored?.daily?.day === dayKey(now) ? usd(stored.daily.usd) : 0,
      monthly: stored?.monthly?.month === monthKey(now) ? usd(stored.monthly.usd) : 0,
    };
  }

  /** Lets `more` USD be spent from now on past each budget that is reached, until the UTC day (month) ends. */
  async allowMore(more: number): Promise<BudgetStatus> {
    const status = await this.refresh();
    const now = Date.now();
    const next = raiseBy(status, this.raises(now), more);
    const stored: StoredRaises = {};
    if (next.daily > 0) stored.daily = { day: dayKey(now), usd: next.daily };
    if (next.monthly > 0) stored.monthly = { month: monthKey(now), usd: next.monthly };
    await this.deps.memento.update(BUDGET_RAISES_KEY, stored);
    this.deps.log.info(`Budget: up to ${formatUsd(more)} more allowed ${periodWords(status)} (daily +${formatUsd(next.daily)}, monthly +${formatUsd(next.monthly)} past the settings).`);
    return this.refresh();
  }

  /** Forgets every raise (the internal test command). */
  async forgetRaises(): Promise<void> {
    await this.deps.memento.update(BUDGET_RAISES_KEY, undefined);
    await this.refresh();
  }

  /**
   * Resolves true when the send may go ahead: under every budget (raises included), or past one and the
   * user allowed more now. Sends made while a decision is being made (the question open) share it. False
   * sends nothing.
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
    return { go: await this.ask(status), asked: true };
  }

  /**
   * For sends nobody asked for one by one (inline completions, background steps): true under every budget
   * (raises included); past 100 % false, without a question (one per keystroke would be absurd). They go
   * again once the user allows more or raises the setting.
   */
  async allowsWithoutAsking(): Promise<boolean> {
    return (await this.refresh()).level !== 'over';
  }

  private async ask(status: BudgetStatus): Promise<boolean> {
    const over = status.lines.filter((line) => line.ratio >= 1).map((line) => describeLine(line, formatUsd));
    const when = periodWords(status);
    const choice = await vscode.window.showQuickPick(
      [
        // Not sending comes first: Enter without reading must not spend.
        { label: `$(close) ${DONT_SEND}`, description: 'keep the message to send later', id: DONT_SEND, usd: 0 },
        ...OFFERED_RAISES.map((usd) => ({ label: `$(arrow-up) ${allowMoreLabel(usd, status)}`, description: `then ask again (UTC ${when === 'today' ? 'day' : 'month'})`, id: 'raise', usd })),
        { label: `$(edit) ${ALLOW_OTHER}`, description: `type how much more to allow ${when}`, id: ALLOW_OTHER, usd: 0 },
        { label: `$(gear) ${CHANGE_BUDGETS}`, description: 'openrouter.budget in your user settings (not sent)', id: CHANGE_BUDGETS, usd: 0 },
      ],
      { title: `OpenRouter budget reached: ${over.join('; ')} is spent`, placeHolder: `Allow more ${when} to send this request? (Escape: do not send)`, ignoreFocusOut: false },
    );
    if (choice?.id === CHANGE_BUDGETS) void vscode.commands.executeCommand('workbench.action.openSettings', 'openrouter.budget');
    const more = choice?.id === 'raise' ? choice.usd : choice?.id === ALLOW_OTHER ? await askAmount(when) : undefined;
    if (more === undefined) return false;
    return (await this.allowMore(more)).level !== 'over';
  }
}

/** The custom raise: a positive amount in USD; Escape (or an empty box) allows nothing. */
async function askAmount(when: string): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: `Allow how much more ${when}?`,
    prompt: `USD that may be spent from now on past the budget ${when} (UTC); the next send past it asks again.`,
    placeHolder: 'e.g. 2.50',
    validateInput: (value) => (value.trim() === '' || parseAmount(value) !== undefined ? undefined : `Type an amount in USD above 0 and at most ${MAX_RAISE}, e.g. 2.50`),
  });
  return text === undefined ? undefined : parseAmount(text);
}

/** "2.5", "$2.50" → 2.5; anything else (0, negative, not a number, absurdly large) → undefined. */
export function parseAmount(text: string): number | undefined {
  const cleaned = text.trim().replace(/^\$/, '');
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(cleaned)) return undefined;
  const usd = Number(cleaned);
  return usd > 0 && usd <= MAX_RAISE ? usd : undefined;
}

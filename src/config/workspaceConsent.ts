import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { pricePerToken } from '../models/modelPrice';
import type { Log } from '../log/logger';
import type { Model } from '../openrouter/types';
import { Disposable } from '../util/dispose';
import { errorText } from '../util/errorText';
import { consentSettingNames, judgeWorkspaceValue, showValue, valueKey } from './workspaceConsentRules';

const ACCEPTED_KEY = 'openrouter.acceptedWorkspaceSettings';
const DECLINED_KEY = 'openrouter.declinedWorkspaceSettings';
export const ALLOW = 'Allow for This Workspace';
export const KEEP = 'Keep My Settings';
const REVIEW = 'Review…';

/** A workspace value that costs more or shares more than the user's own. */
export interface AskedSetting {
  /** Full name, `openrouter.routing.dataCollection`. */
  name: string;
  user: unknown;
  workspace: unknown;
  /** What the workspace's value changes. */
  effect: string;
  accepted: boolean;
}

/** Where model prices come from (the model catalogue), attached once it exists. */
export interface PriceSource {
  find(id: string): Model | undefined;
  onDidChange: vscode.Event<unknown>;
  /** Resolves once the list kept on disk, if any, is loaded: the first notice waits for it. */
  cached(): Promise<unknown>;
}

/**
 * The one place the spending and privacy settings are read through (workspaceConsentRules.ts lists them).
 * A workspace's value that is cheaper or more private than the user's is used; one that costs more or
 * shares more is ignored, the user's own value used instead, until the user allows it for this workspace.
 * The answer is remembered per workspace and per exact value: a later change asks again.
 */
export class WorkspaceConsent extends Disposable {
  private readonly asked = new Map<string, AskedSetting>();
  private readonly told = new Set<string>();
  private prices: PriceSource | undefined;
  private noticeDue = false;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** The answer to a question changed, or prices became known: readers read their settings again. */
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly workspaceState: vscode.Memento,
    private readonly log: Log,
  ) {
    super();
    this._register(vscode.commands.registerCommand(commandIds.reviewWorkspaceSettings, () => this.review()));
  }

  /** Prices for the model settings; until then a workspace's model counts as of unknown price. */
  usePrices(prices: PriceSource): void {
    this.prices = prices;
    this._register(prices.onDidChange((change) => (change === 'models' ? this._onDidChange.fire() : undefined)));
  }

  /** The settings this workspace sets that cost more or share more, allowed or not. */
  get settings(): readonly AskedSetting[] {
    return [...this.asked.values()];
  }

  /** The value a settings reader uses for `key` of `section`: VS Code's, or the user's own while a riskier workspace value waits for consent. */
  read(config: vscode.WorkspaceConfiguration, section: string, key: string): unknown {
    const name = `${section}.${key}`;
    const value = config.get<unknown>(key);
    if (!consentSettingNames.includes(name)) return value;
    const inspected = config.inspect<unknown>(key);
    if (!inspected || (inspected.workspaceValue === undefined && inspected.workspaceFolderValue === undefined)) {
      this.asked.delete(name);
      return value;
    }
    const user = userValue(inspected.defaultValue, inspected.globalValue);
    const judgement = judgeWorkspaceValue(name, user, value, { priceOf: (id) => this.priceOf(id), userModel: this.userModel() });
    if (judgement.verdict !== 'riskier') {
      this.asked.delete(name);
      return value;
    }
    const accepted = this.workspaceState.get<Record<string, string>>(ACCEPTED_KEY, {})[name] === valueKey(value);
    const setting: AskedSetting = { name, user, workspace: value, effect: judgement.effect, accepted };
    this.asked.set(name, setting);
    if (accepted) return value;
    const id = askId(setting);
    if (!this.told.has(id)) {
      this.log.warn(`This workspace sets ${name} to ${showValue(value)} (${judgement.effect}): your own ${showValue(user)} is used until you allow it (OpenRouter: Review Workspace Settings).`);
      this.scheduleNotice();
    }
    return user;
  }

  /** Uses the workspace's values of `names` (all waiting ones when omitted). */
  async accept(names?: readonly string[]): Promise<void> {
    await this.answer(this.settings.filter((s) => !names || names.includes(s.name)), true);
  }

  /** Keeps the user's own values of `names`, and stops asking about these workspace values. */
  async keep(names?: readonly string[]): Promise<void> {
    await this.answer(this.settings.filter((s) => !names || names.includes(s.name)), false);
  }

  /** Lists every such setting with what it changes; the ones ticked are allowed, the others kept as the user's. */
  async review(): Promise<void> {
    const settings = this.settings;
    if (settings.length === 0) {
      void vscode.window.showInformationMessage('This workspace changes no OpenRouter setting in a way that would cost more or share more.');
      return;
    }
    const items = settings.map((s) => ({ label: s.name, description: `yours: ${showValue(s.user)} → this workspace: ${showValue(s.workspace)}`, detail: s.effect, picked: s.accepted, setting: s }));
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: 'Workspace settings that would cost more or share more',
      placeHolder: 'Tick the ones to allow for this workspace; the others keep your own settings',
      ignoreFocusOut: true,
    });
    if (!picked) return;
    const allowed = new Set(picked.map((item) => item.setting.name));
    await this.answer(settings.filter((s) => allowed.has(s.name)), true);
    await this.answer(settings.filter((s) => !allowed.has(s.name)), false);
  }

  private async answer(settings: readonly AskedSetting[], allow: boolean): Promise<void> {
    if (settings.length === 0) return;
    const accepted = { ...this.workspaceState.get<Record<string, string>>(ACCEPTED_KEY, {}) };
    const declined = new Set(this.workspaceState.get<string[]>(DECLINED_KEY, []));
    let changed = false;
    for (const setting of settings) {
      this.told.add(askId(setting));
      const key = valueKey(setting.workspace);
      if (allow) {
        changed ||= accepted[setting.name] !== key;
        accepted[setting.name] = key;
        declined.delete(askId(setting));
      } else {
        changed ||= accepted[setting.name] !== undefined;
        delete accepted[setting.name];
        declined.add(askId(setting));
      }
    }
    await this.workspaceState.update(ACCEPTED_KEY, accepted);
    await this.workspaceState.update(DECLINED_KEY, [...declined]);
    this.log.info(`${allow ? 'Allowed' : 'Kept your own values instead of'} this workspace's ${settings.map((s) => s.name).join(', ')}.`);
    if (changed) this._onDidChange.fire();
  }

  /** One notice for all the settings read in the same turn; the first waits for the prices kept on disk. */
  private scheduleNotice(): void {
    if (this.noticeDue) return;
    this.noticeDue = true;
    void Promise.resolve()
      .then(() => this.prices?.cached())
      .then(() => {
        this.noticeDue = false;
        return this.notify();
      })
      .catch((error: unknown) => this.log.warn(`Could not ask about this workspace's settings: ${errorText(error)}`));
  }

  private async notify(): Promise<void> {
    if (this.isDisposed) return;
    const declined = new Set(this.workspaceState.get<string[]>(DECLINED_KEY, []));
    const fresh = this.settings.filter((s) => !s.accepted && !this.told.has(askId(s)) && !declined.has(askId(s)));
    for (const setting of this.settings) if (!setting.accepted) this.told.add(askId(setting));
    if (fresh.length === 0) return;
    const lines = fresh.map((s) => `${s.name}: yours ${showValue(s.user)}, this workspace ${showValue(s.workspace)} (${s.effect})`);
    const choice = await vscode.window.showWarningMessage(
      `This workspace's settings would make OpenRouter cost more or share more, so your own settings are used until you allow them. ${lines.join('; ')}.`,
      ALLOW,
      KEEP,
      REVIEW,
    );
    const names = fresh.map((s) => s.name);
    if (choice === ALLOW) await this.accept(names);
    else if (choice === KEEP) await this.keep(names);
    else if (choice === REVIEW) await this.review();
  }

  private priceOf(id: string): number | undefined {
    const pricing = this.prices?.find(id)?.pricing;
    const prompt = pricePerToken(pricing?.prompt);
    const completion = pricePerToken(pricing?.completion);
    return prompt === undefined || completion === undefined ? undefined : prompt + completion;
  }

  private userModel(): string {
    const inspected = vscode.workspace.getConfiguration('openrouter').inspect<unknown>('defaultModel');
    const model = userValue(inspected?.defaultValue, inspected?.globalValue);
    return typeof model === 'string' ? model : '';
  }
}

function askId(setting: AskedSetting): string {
  return `${setting.name}=${valueKey(setting.workspace)}`;
}

/** The user's value as VS Code reads it without a workspace: objects merged over the default, anything else replacing it. */
function userValue(defaultValue: unknown, globalValue: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(defaultValue) && isObject(globalValue)) return { ...defaultValue, ...globalValue };
  return globalValue ?? defaultValue;
}

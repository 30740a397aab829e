import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import type { Log } from '../log/logger';
import type { DevelopmentEnvironment } from './developmentEnvironment';
import { changedKeys, checkBaseUrl, readSettings, settingKeys } from './settingsValidation';
import type { WorkspaceConsent } from './workspaceConsent';
import type { SettingKey, SettingsValues } from './settingsValidation';

export const SETTINGS_SECTION = 'openrouter';

export interface SettingsChange {
  /** The keys whose effective value changed. */
  readonly keys: ReadonlySet<SettingKey>;
  affects(...keys: SettingKey[]): boolean;
}

/**
 * The `openrouter.*` settings, validated: a bad value gets one clear message and a fallback, never a crash.
 * `OPENROUTER_BASE_URL` stands in for an unset `openrouter.baseUrl` (the local emulator) when the composition
 * root passes it: in a development or test run only (see developmentEnvironment.ts).
 */
export class Settings extends Disposable {
  private current: SettingsValues;
  private readonly shownProblems = new Set<string>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<SettingsChange>());
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly log: Log,
    private readonly consent: WorkspaceConsent,
    private readonly env: DevelopmentEnvironment = {},
  ) {
    super();
    this.current = this.read();
    this._register(vscode.workspace.onDidChangeConfiguration((event) => (event.affectsConfiguration(SETTINGS_SECTION) ? this.reread() : undefined)));
    this._register(consent.onDidChange(() => this.reread()));
  }

  private reread(): void {
    const before = this.current;
    this.current = this.read();
    const keys = new Set(changedKeys(before, this.current));
    if (keys.size === 0) return;
    this.log.info(`Settings changed: ${[...keys].join(', ')}`);
    this._onDidChange.fire({ keys, affects: (...wanted) => wanted.some((key) => keys.has(key)) });
  }

  get values(): Readonly<SettingsValues> {
    return this.current;
  }

  /** True when the base URL comes from `OPENROUTER_BASE_URL` rather than the user's settings. */
  get baseUrlFromEnvironment(): boolean {
    return this.envBaseUrl() !== undefined && !this.userSetBaseUrl();
  }

  /** Opens the Settings editor filtered to this extension. */
  static async open(query = `@ext:openrouter-community.openrouter-vscode`): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.openSettings', query);
  }

  private read(): SettingsValues {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const fromEnv = this.envBaseUrl();
    // The environment's URL is checked like a setting, and is the fallback for a bad user setting.
    const envChecked = fromEnv === undefined ? undefined : checkBaseUrl(fromEnv);
    if (envChecked?.problem) this.report(`OPENROUTER_BASE_URL: ${envChecked.problem}`);
    const useEnv = envChecked !== undefined && !this.userSetBaseUrl();
    const { values, problems } = readSettings((key) => (key === settingKeys.baseUrl && useEnv ? envChecked.value : this.consent.read(config, SETTINGS_SECTION, key)), envChecked?.value);
    for (const problem of problems) this.report(problem);
    return values;
  }

  private userSetBaseUrl(): boolean {
    // The setting is application-scoped: only the user's value counts, a workspace's is ignored.
    const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<string>(settingKeys.baseUrl);
    return inspected?.globalValue !== undefined && inspected.globalValue !== '';
  }

  private envBaseUrl(): string | undefined {
    const value = this.env.OPENROUTER_BASE_URL?.trim();
    return value ? value : undefined;
  }

  private report(problem: string): void {
    this.log.warn(problem);
    if (this.shownProblems.has(problem)) return;
    this.shownProblems.add(problem);
    void vscode.window.showErrorMessage(problem, 'Open Settings').then((choice) => {
      if (choice) void Settings.open();
    });
  }
}

// Reads `openrouter.completions.*` for the feature; the validation itself is vscode-free (completionConfig.ts).
import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import type { Log } from '../log/logger';
import { COMPLETIONS_SECTION, completionSettingKeys, parseCompletionSettings, type CompletionSettings } from './completionConfig';

/** The `openrouter.completions.*` settings, validated, re-read when they change. */
export class CompletionSettingsReader extends Disposable {
  private current: CompletionSettings;
  private readonly reported = new Set<string>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<CompletionSettings>());
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly log: Log) {
    super();
    this.current = this.read();
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(COMPLETIONS_SECTION)) return;
        this.current = this.read();
        this._onDidChange.fire(this.current);
      }),
    );
    // Trusted now: the workspace's model choice counts from here on.
    this._register(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.current = this.read();
        this._onDidChange.fire(this.current);
      }),
    );
  }

  get values(): Readonly<CompletionSettings> {
    return this.current;
  }

  /** Turns completions on or off in the user's settings. */
  async setEnabled(enabled: boolean): Promise<void> {
    await vscode.workspace.getConfiguration(COMPLETIONS_SECTION).update(completionSettingKeys.enabled, enabled, vscode.ConfigurationTarget.Global);
  }

  async setModel(model: string): Promise<void> {
    await vscode.workspace.getConfiguration(COMPLETIONS_SECTION).update(completionSettingKeys.model, model, vscode.ConfigurationTarget.Global);
  }

  private read(): CompletionSettings {
    const config = vscode.workspace.getConfiguration(COMPLETIONS_SECTION);
    const raw = Object.fromEntries(Object.values(completionSettingKeys).map((key) => [key, config.get<unknown>(key)]));
    const { value, problems } = parseCompletionSettings(raw);
    if (!vscode.workspace.isTrusted) {
      // An untrusted workspace cannot choose the model that spends the user's credits.
      const model = config.inspect<string>(completionSettingKeys.model)?.globalValue;
      value.model = typeof model === 'string' && model.trim() ? parseCompletionSettings({ model }).value.model : parseCompletionSettings({}).value.model;
    }
    for (const problem of problems) this.report(problem);
    return value;
  }

  private report(problem: string): void {
    this.log.warn(problem);
    if (this.reported.has(problem)) return;
    this.reported.add(problem);
    void vscode.window.showWarningMessage(problem);
  }
}

// Reads `openrouter.completions.*` for the feature; the validation itself is vscode-free (completionConfig.ts).
import * as vscode from 'vscode';
import { SectionSettingsReader } from '../config/sectionSettingsReader';
import type { WorkspaceConsent } from '../config/workspaceConsent';
import type { Log } from '../log/logger';
import { COMPLETIONS_SECTION, completionSettingKeys, parseCompletionSettings, type CompletionSettings } from './completionConfig';

/** The `openrouter.completions.*` settings, validated, re-read when they change. */
export class CompletionSettingsReader extends SectionSettingsReader<CompletionSettings> {
  constructor(log: Log, consent: WorkspaceConsent) {
    super({ section: COMPLETIONS_SECTION, keys: completionSettingKeys, parse: parseCompletionSettings, adjust: trustedModelOnly }, log, consent);
    // Trusted now: the workspace's model choice counts from here on.
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.reread()));
  }

  get values(): Readonly<CompletionSettings> {
    return this.value;
  }

  /** Turns completions on or off in the user's settings. */
  async setEnabled(enabled: boolean): Promise<void> {
    await vscode.workspace.getConfiguration(COMPLETIONS_SECTION).update(completionSettingKeys.enabled, enabled, vscode.ConfigurationTarget.Global);
  }

  async setModel(model: string): Promise<void> {
    await vscode.workspace.getConfiguration(COMPLETIONS_SECTION).update(completionSettingKeys.model, model, vscode.ConfigurationTarget.Global);
  }
}

/** An untrusted workspace cannot choose the model that spends the user's credits: only the user's own value counts. */
function trustedModelOnly(value: CompletionSettings, config: vscode.WorkspaceConfiguration): CompletionSettings {
  if (vscode.workspace.isTrusted) return value;
  const model = config.inspect<string>(completionSettingKeys.model)?.globalValue;
  return { ...value, model: typeof model === 'string' && model.trim() ? parseCompletionSettings({ model }).value.model : parseCompletionSettings({}).value.model };
}

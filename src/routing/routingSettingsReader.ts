import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import type { Log } from '../log/logger';
import type { Model } from '../openrouter/types';
import { buildRouting, modelSupportsReasoning, parseRoutingSettings, ROUTING_SECTION, routingSettingKeys } from './routingOptions';
import type { RoutingFields, RoutingOverrides, RoutingSettings } from './routingOptions';

/** The `openrouter.routing.*` settings, validated, re-read when they change. */
export class RoutingSettingsReader extends Disposable {
  private current: RoutingSettings;
  private readonly reported = new Set<string>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<RoutingSettings>());
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly log: Log) {
    super();
    this.current = this.read();
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(ROUTING_SECTION)) return;
        this.current = this.read();
        this._onDidChange.fire(this.current);
      }),
    );
  }

  get settings(): Readonly<RoutingSettings> {
    return this.current;
  }

  /**
   * For a chat surface: the routing fields of one request to `model` in the conversation `sessionId`,
   * from the settings as they are at that moment, then the chat's own overrides.
   */
  requestRouting(lookup: (modelId: string) => Model | undefined): (model: string, sessionId: string | undefined, overrides?: RoutingOverrides) => RoutingFields {
    return (model, sessionId, overrides) =>
      buildRouting(this.current, overrides, { model, sessionId, supportsReasoning: modelSupportsReasoning(lookup(model)?.supported_parameters) });
  }

  private read(): RoutingSettings {
    const config = vscode.workspace.getConfiguration(ROUTING_SECTION);
    const raw = Object.fromEntries(Object.values(routingSettingKeys).map((key) => [key, config.get<unknown>(key)]));
    const { value, problems } = parseRoutingSettings(raw);
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

import type * as vscode from 'vscode';
import { SectionSettingsReader } from '../config/sectionSettingsReader';
import type { WorkspaceConsent } from '../config/workspaceConsent';
import type { Log } from '../log/logger';
import { outputLimit } from '../models/outputLimit';
import { effortFor, offeredEfforts } from '../models/reasoningEfforts';
import type { Model } from '../openrouter/types';
import { buildRouting, modelSupportsReasoning, parseRoutingSettings, ROUTING_SECTION, routingSettingKeys } from './routingOptions';
import type { PdfParserChoice, RoutingFields, RoutingOverrides, RoutingSettings } from './routingOptions';
import { noProviderPreferences, type ProviderPreferences } from './providerPreferences';

/** Where the output limit comes from: `openrouter.chat.maxOutputTokens` (0: the model's maximum). */
export interface OutputTokensSetting {
  maxOutputTokens(): number;
  readonly onDidChange: vscode.Event<unknown>;
}

/** The `openrouter.routing.*` settings, validated, re-read when they change, and the chat's output limit. */
export class RoutingSettingsReader extends SectionSettingsReader<RoutingSettings> {
  constructor(
    log: Log,
    consent: WorkspaceConsent,
    private readonly output?: OutputTokensSetting,
  ) {
    super({ section: ROUTING_SECTION, keys: routingSettingKeys, parse: parseRoutingSettings }, log, consent);
    if (output) this._register(output.onDidChange(() => this.reread()));
  }

  /** The settings in force, as a chat's routing panel shows them for "Settings default". */
  get settings(): Readonly<RoutingSettings & Required<ProviderPreferences> & { maxOutputTokens: number; webSearch: boolean; pdfEngine: PdfParserChoice }> {
    // Chosen per chat only: web search and paid OCR (they cost per search, per page) are off unless a chat asks,
    // and the finer provider preferences are unset.
    return { ...this.value, maxOutputTokens: this.output?.maxOutputTokens() ?? 0, webSearch: false, pdfEngine: 'cloudflare-ai', ...noProviderPreferences };
  }

  /**
   * For a chat surface: the routing fields of one request to `model` in the conversation `sessionId`,
   * from the settings as they are at that moment, then the chat's own overrides; with `max_tokens` from
   * the chat's output limit (or the setting), capped at the model's.
   */
  requestRouting(lookup: (modelId: string) => Model | undefined): (model: string, sessionId: string | undefined, overrides?: RoutingOverrides) => RoutingFields {
    return (model, sessionId, overrides) => {
      const known = lookup(model);
      const fields = buildRouting(this.value, overrides, { model, sessionId, supportsReasoning: modelSupportsReasoning(known?.supported_parameters) });
      // An effort the model does not take is sent as its nearest one (or left to the model), never refused.
      const effort = fields.reasoning?.effort;
      if (known && effort) {
        const sent = effortFor(effort, offeredEfforts(known));
        if (sent) fields.reasoning = { ...fields.reasoning, effort: sent };
        else delete fields.reasoning;
      }
      if (!this.output) return fields;
      const maxTokens = outputLimit(known, overrides?.maxOutputTokens ?? this.output.maxOutputTokens());
      return maxTokens === undefined ? fields : { ...fields, max_tokens: maxTokens };
    };
  }
}

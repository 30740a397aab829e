import { SectionSettingsReader } from '../config/sectionSettingsReader';
import type { WorkspaceConsent } from '../config/workspaceConsent';
import type { Log } from '../log/logger';
import type { Model } from '../openrouter/types';
import { buildRouting, modelSupportsReasoning, parseRoutingSettings, ROUTING_SECTION, routingSettingKeys } from './routingOptions';
import type { RoutingFields, RoutingOverrides, RoutingSettings } from './routingOptions';

/** The `openrouter.routing.*` settings, validated, re-read when they change. */
export class RoutingSettingsReader extends SectionSettingsReader<RoutingSettings> {
  constructor(log: Log, consent: WorkspaceConsent) {
    super({ section: ROUTING_SECTION, keys: routingSettingKeys, parse: parseRoutingSettings }, log, consent);
  }

  get settings(): Readonly<RoutingSettings> {
    return this.value;
  }

  /**
   * For a chat surface: the routing fields of one request to `model` in the conversation `sessionId`,
   * from the settings as they are at that moment, then the chat's own overrides.
   */
  requestRouting(lookup: (modelId: string) => Model | undefined): (model: string, sessionId: string | undefined, overrides?: RoutingOverrides) => RoutingFields {
    return (model, sessionId, overrides) =>
      buildRouting(this.value, overrides, { model, sessionId, supportsReasoning: modelSupportsReasoning(lookup(model)?.supported_parameters) });
  }
}

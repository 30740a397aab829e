/**
 * OpenRouter's routing controls, shared by the sidebar chat and the editor's native chat.
 *
 * This module has no runtime vscode import (safe in unit tests). The settings reader lives apart in
 * `./routingSettingsReader` because it needs vscode. extension.ts builds the one reader and hands the
 * sidebar `routing.requestRouting((id) => catalog.find(id))`, a function `(model, sessionId, overrides?)`
 * that returns the routing fields of one request from the current settings. Use from a chat surface:
 *
 * ```ts
 * // per conversation, created once and persisted with it
 * conversation.sessionId ??= newSessionId();
 * // per-chat choices from the webview are untrusted: validate them, show `problems` if any
 * const { value: overrides, problems } = parseRoutingOverrides(message.routing);
 *
 * // per request
 * const request: ChatRequest = { model, messages, ...deps.routing(model, conversation.sessionId, overrides) };
 * // or, without the reader: buildRouting(settings, overrides, { model, sessionId, supportsReasoning })
 * ```
 * Only what differs from OpenRouter's defaults is sent (`provider`, `models`, `reasoning`,
 * `session_id`); overrides replace settings field by field (lists are replaced, not merged). The reader
 * also adds `max_tokens`: the chat's `maxOutputTokens` override or `openrouter.chat.maxOutputTokens`,
 * capped at the model's limit (models/outputLimit).
 */
export {
  buildRouting,
  dataCollectionValues,
  defaultRoutingSettings,
  MAX_SESSION_ID_LENGTH,
  modelSupportsReasoning,
  parseRoutingOverrides,
  parseRoutingSettings,
  pdfParsers,
  providerSorts,
  reasoningEfforts,
  ROUTING_SECTION,
  routingSettingKeys,
} from './routingOptions';
export type {
  DataCollectionSetting,
  ParsedRouting,
  PdfParserChoice,
  ProviderSortSetting,
  ReasoningEffortSetting,
  RoutingContext,
  RoutingFields,
  RoutingOverrides,
  RoutingSettings,
} from './routingOptions';
export { newSessionId } from './sessionId';
export { citationsOf, webSearchCeilingUsd, webSearchTool, WEB_SEARCH_MAX_USES, WEB_SEARCH_PRICE_USD } from './webSearch';
export type { Citation, WebSearchTool } from './webSearch';

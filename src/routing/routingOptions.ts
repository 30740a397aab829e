// OpenRouter's routing controls as plain data: validation of raw setting values and the request fields
// they turn into. No vscode import, so both chat surfaces share it and it is unit-tested under plain Node.
import type { ChatRequest, ProviderRouting } from '../openrouter/types';
import { checkOutputTokens } from '../models/outputLimit';
import { isModelId } from '../openrouter/modelId';
import { webSearchTool } from './webSearch';
import { applyProviderPreferences, parseProviderPreferences, type ProviderPreferences } from './providerPreferences';

export const providerSorts = ['none', 'price', 'throughput', 'latency'] as const;
export type ProviderSortSetting = (typeof providerSorts)[number];

export const reasoningEfforts = ['default', 'none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffortSetting = (typeof reasoningEfforts)[number];

export const dataCollectionValues = ['allow', 'deny'] as const;
export type DataCollectionSetting = (typeof dataCollectionValues)[number];

export interface RoutingSettings {
  /** Provider sort; `none` leaves OpenRouter's load balancing in charge. */
  sort: ProviderSortSetting;
  /** Providers to try first, in this order. */
  order: string[];
  /** Only these providers may serve the request (empty: any). */
  only: string[];
  /** Providers never to use. */
  ignore: string[];
  /** Whether OpenRouter may go beyond `order`/`only` when those providers fail. */
  allowFallbacks: boolean;
  /** `deny` keeps requests away from providers that store or train on prompts. */
  dataCollection: DataCollectionSetting;
  /** Only providers with a zero-data-retention policy. */
  zeroDataRetention: boolean;
  /** Models OpenRouter tries in order when the chosen one fails. */
  fallbackModels: string[];
  /** Applies to models that support reasoning; `default` leaves the model's own default. */
  reasoningEffort: ReasoningEffortSetting;
}

/**
 * Per-chat choices (the sidebar's routing menu); each field present replaces the setting. The output limit
 * replaces `openrouter.chat.maxOutputTokens` (see models/outputLimit).
 */
export type RoutingOverrides = Partial<RoutingSettings> & ProviderPreferences & { maxOutputTokens?: number; webSearch?: boolean; pdfEngine?: PdfParserChoice };

/** How a model without file input reads PDFs: OpenRouter's free text engine, or its paid OCR (per page). */
export const pdfParsers = ['cloudflare-ai', 'mistral-ocr'] as const;
export type PdfParserChoice = (typeof pdfParsers)[number];

export const defaultRoutingSettings: Readonly<RoutingSettings> = Object.freeze({
  sort: 'none',
  order: [],
  only: [],
  ignore: [],
  allowFallbacks: true,
  dataCollection: 'allow',
  zeroDataRetention: false,
  fallbackModels: [],
  reasoningEffort: 'default',
});

/** Setting names below `openrouter.routing.`, declared once (package.json uses the same names). */
export const routingSettingKeys = {
  sort: 'sort',
  order: 'order',
  only: 'only',
  ignore: 'ignore',
  allowFallbacks: 'allowFallbacks',
  dataCollection: 'dataCollection',
  zeroDataRetention: 'zeroDataRetention',
  fallbackModels: 'fallbackModels',
  reasoningEffort: 'reasoningEffort',
} as const satisfies Record<keyof RoutingSettings, string>;

export const ROUTING_SECTION = 'openrouter.routing';

/** OpenRouter rejects longer session ids. */
export const MAX_SESSION_ID_LENGTH = 128;

export interface ParsedRouting<T> {
  value: T;
  /** One readable sentence per value that was ignored, naming the setting. */
  problems: string[];
}


function enumValue<T extends string>(key: string, raw: unknown, allowed: readonly T[], problems: string[]): T | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push(`openrouter.routing.${key}: "${String(raw)}" is not one of ${allowed.join(', ')}; ignored.`);
  return undefined;
}

function booleanValue(key: string, raw: unknown, problems: string[]): boolean | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'boolean') return raw;
  problems.push(`openrouter.routing.${key}: expected true or false, got ${JSON.stringify(raw)}; ignored.`);
  return undefined;
}

/** Trimmed, non-empty, de-duplicated strings; entries that are not strings are reported and dropped. */
function listValue(key: string, raw: unknown, problems: string[], check?: (item: string) => string | undefined): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    problems.push(`openrouter.routing.${key}: expected a list of names; ignored.`);
    return undefined;
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string') {
      problems.push(`openrouter.routing.${key}: ${JSON.stringify(item)} is not a name; ignored.`);
      continue;
    }
    const name = item.trim();
    if (!name) continue;
    const problem = check?.(name);
    if (problem) {
      problems.push(`openrouter.routing.${key}: ${problem}; ignored.`);
      continue;
    }
    const folded = name.toLowerCase();
    if (seen.has(folded)) continue;
    seen.add(folded);
    out.push(name);
  }
  return out;
}

function modelIdProblem(id: string): string | undefined {
  return isModelId(id) ? undefined : `"${id}" is not a model id like "vendor/model"`;
}

/**
 * Validates values read from settings (or sent by a webview): each bad value is reported and left out,
 * so the caller falls back to the setting or default for it.
 */
export function parseRoutingOverrides(raw: unknown): ParsedRouting<RoutingOverrides> {
  const problems: string[] = [];
  const value: RoutingOverrides = {};
  if (raw === undefined || raw === null) return { value, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { value, problems: ['Routing options must be an object; ignored.'] };
  }
  const source = raw as Record<string, unknown>;
  const sort = enumValue(routingSettingKeys.sort, source.sort, providerSorts, problems);
  if (sort !== undefined) value.sort = sort;
  const order = listValue(routingSettingKeys.order, source.order, problems);
  if (order !== undefined) value.order = order;
  const only = listValue(routingSettingKeys.only, source.only, problems);
  if (only !== undefined) value.only = only;
  const ignore = listValue(routingSettingKeys.ignore, source.ignore, problems);
  if (ignore !== undefined) value.ignore = ignore;
  const allowFallbacks = booleanValue(routingSettingKeys.allowFallbacks, source.allowFallbacks, problems);
  if (allowFallbacks !== undefined) value.allowFallbacks = allowFallbacks;
  const dataCollection = enumValue(routingSettingKeys.dataCollection, source.dataCollection, dataCollectionValues, problems);
  if (dataCollection !== undefined) value.dataCollection = dataCollection;
  const zdr = booleanValue(routingSettingKeys.zeroDataRetention, source.zeroDataRetention, problems);
  if (zdr !== undefined) value.zeroDataRetention = zdr;
  const fallbackModels = listValue(routingSettingKeys.fallbackModels, source.fallbackModels, problems, modelIdProblem);
  if (fallbackModels !== undefined) value.fallbackModels = fallbackModels;
  const effort = enumValue(routingSettingKeys.reasoningEffort, source.reasoningEffort, reasoningEfforts, problems);
  if (effort !== undefined) value.reasoningEffort = effort;
  const webSearch = booleanValue('webSearch', source.webSearch, problems);
  if (webSearch !== undefined) value.webSearch = webSearch;
  const pdfEngine = enumValue('pdfEngine', source.pdfEngine, pdfParsers, problems);
  if (pdfEngine !== undefined) value.pdfEngine = pdfEngine;
  Object.assign(value, parseProviderPreferences(source, problems));
  const output = checkOutputTokens(source.maxOutputTokens);
  if (output.problem) problems.push(output.problem);
  if (output.value !== undefined) value.maxOutputTokens = output.value;
  return { value, problems };
}

/** Full settings from raw values (missing or bad ones take the default), plus what was wrong. */
export function parseRoutingSettings(raw: unknown): ParsedRouting<RoutingSettings> {
  const { value, problems } = parseRoutingOverrides(raw);
  // The output limit is a chat setting of its own (openrouter.chat.maxOutputTokens), not a routing one.
  delete value.maxOutputTokens;
  delete value.webSearch;
  delete value.pdfEngine;
  // Provider preferences are chosen per chat only.
  for (const key of ['quantizations', 'maxPriceIn', 'maxPriceOut', 'minThroughput', 'maxLatency', 'requireParameters'] as const) delete value[key];
  const settings: RoutingSettings = { ...defaultRoutingSettings, ...value };
  const both = settings.only.filter((name) => settings.ignore.some((ignored) => ignored.toLowerCase() === name.toLowerCase()));
  if (both.length > 0) problems.push(`openrouter.routing: ${both.join(', ')} is both in "only" and "ignore", so it will never be used.`);
  return { value: settings, problems };
}

export interface RoutingContext {
  /** The model the request names; fallbacks are tried after it. */
  model: string;
  /** Stable per conversation; see `newSessionId` and `conversationSessionId`. */
  sessionId?: string;
  /** From the model's `supported_parameters` (`reasoning`); unknown sends the effort anyway. */
  supportsReasoning?: boolean;
}

export type RoutingFields = Pick<ChatRequest, 'provider' | 'models' | 'reasoning' | 'session_id' | 'max_tokens' | 'tools'>;

/**
 * The routing fields of one chat request. Only values that differ from OpenRouter's defaults are sent,
 * so an untouched configuration sends nothing and OpenRouter behaves exactly as documented.
 */
export function buildRouting(settings: RoutingSettings, overrides: RoutingOverrides | undefined, context: RoutingContext): RoutingFields {
  const { maxOutputTokens: _output, pdfEngine: _pdf, webSearch, quantizations, maxPriceIn, maxPriceOut, minThroughput, maxLatency, requireParameters, ...routingOverrides } = definedOnly(overrides);
  const effective: RoutingSettings = { ...settings, ...routingOverrides };
  const fields: RoutingFields = {};

  const provider: ProviderRouting = {};
  if (effective.sort !== 'none') provider.sort = effective.sort;
  if (effective.order.length > 0) provider.order = [...effective.order];
  if (effective.only.length > 0) provider.only = [...effective.only];
  if (effective.ignore.length > 0) provider.ignore = [...effective.ignore];
  if (!effective.allowFallbacks) provider.allow_fallbacks = false;
  if (effective.dataCollection === 'deny') provider.data_collection = 'deny';
  if (effective.zeroDataRetention) provider.zdr = true;
  applyProviderPreferences(provider, definedOnly({ quantizations, maxPriceIn, maxPriceOut, minThroughput, maxLatency, requireParameters }));
  if (Object.keys(provider).length > 0) fields.provider = provider;

  // OpenRouter tries `models` in order; the chosen model goes first so it stays the primary choice.
  const fallbacks = effective.fallbackModels.filter((id) => id !== context.model);
  if (fallbacks.length > 0) fields.models = [context.model, ...fallbacks];

  if (effective.reasoningEffort !== 'default' && context.supportsReasoning !== false) {
    fields.reasoning = { effort: effective.reasoningEffort };
  }

  // A chat's web search is OpenRouter's server tool: the model decides whether to search, OpenRouter runs it.
  if (webSearch) fields.tools = [webSearchTool()];

  const sessionId = context.sessionId?.trim();
  if (sessionId) fields.session_id = sessionId.slice(0, MAX_SESSION_ID_LENGTH);
  return fields;
}

function definedOnly(overrides: RoutingOverrides | undefined): RoutingOverrides {
  if (!overrides) return {};
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as RoutingOverrides;
}

/** True when a model lists `reasoning` (or the older `include_reasoning`) among its parameters. */
export function modelSupportsReasoning(supportedParameters: readonly string[] | null | undefined): boolean | undefined {
  if (!supportedParameters) return undefined;
  return supportedParameters.includes('reasoning') || supportedParameters.includes('include_reasoning');
}

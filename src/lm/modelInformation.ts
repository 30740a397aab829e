// An OpenRouter model as the editor's chat model picker describes it. Plain data shaped like
// vscode.LanguageModelChatInformation, so it is unit-tested without VS Code.
import type { Model, ModelPricing } from '../openrouter/types';
import { formatUsd } from '../util/usd';
import { pricePerToken } from '../models/modelPrice';
import { modelLimits } from '../models/modelLimits';

export { FALLBACK_CONTEXT_TOKENS, FALLBACK_MAX_OUTPUT_TOKENS, modelLimits } from '../models/modelLimits';

export interface ModelInformation {
  id: string;
  name: string;
  family: string;
  version: string;
  detail: string;
  tooltip: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { imageInput: boolean; toolCalling: boolean };
  /** Shown in the picker without enabling it first under "Manage Models" (the user's default model). */
  isUserSelectable?: boolean;
}

/** A price string in USD per token as a number per million tokens; undefined when missing or variable (negative). */
export function perMillion(price: string | null | undefined): number | undefined {
  const value = pricePerToken(price);
  return value === undefined ? undefined : value * 1_000_000;
}

/** `$3 / $15 per 1M tokens`, `Free`, or `Variable price` (routers such as openrouter/auto). */
export function formatPrice(pricing: ModelPricing | null | undefined): string {
  const input = perMillion(pricing?.prompt);
  const output = perMillion(pricing?.completion);
  if (input === undefined || output === undefined) return 'Variable price';
  if (input === 0 && output === 0) return 'Free';
  return `${formatUsd(input)} / ${formatUsd(output)} per 1M tokens`;
}

export function formatTokens(count: number): string {
  if (count >= 1_000_000) return `${Number((count / 1_000_000).toPrecision(3))}M`;
  if (count >= 1_000) return `${Math.round(count / 1_000)}K`;
  return String(count);
}

/** `anthropic/claude-sonnet-4.5:thinking` → `claude-sonnet-4.5`: the same family across vendors and variants. */
export function modelFamily(id: string): string {
  const slug = id.slice(id.indexOf('/') + 1);
  const colon = slug.indexOf(':');
  return (colon > 0 ? slug.slice(0, colon) : slug) || id;
}

function outputsText(model: Model): boolean {
  const outputs = model.architecture?.output_modalities;
  return !Array.isArray(outputs) || outputs.length === 0 || outputs.includes('text');
}

export function acceptsImages(model: Model): boolean {
  const inputs = model.architecture?.input_modalities;
  if (Array.isArray(inputs)) return inputs.includes('image');
  return /(^|\+|,)\s*image/.test(model.architecture?.modality?.split('->')[0] ?? '');
}

export function supportsTools(model: Model): boolean {
  return model.supported_parameters?.includes('tools') ?? false;
}

function firstSentences(text: string, max = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const end = cut.lastIndexOf('. ');
  return end > max / 2 ? cut.slice(0, end + 1) : `${cut.trimEnd()}…`;
}

/** The picker entry for one model; undefined for models that cannot answer in text (image generators). */
export function toModelInformation(model: Model, options: { defaultModelId?: string } = {}): ModelInformation | undefined {
  if (!model.id || !outputsText(model)) return undefined;
  const limits = modelLimits(model);
  const imageInput = acceptsImages(model);
  const toolCalling = supportsTools(model);
  const price = formatPrice(model.pricing);
  const name = model.name?.trim() || model.id;

  const features = [imageInput ? 'images' : undefined, toolCalling ? 'tools' : undefined, model.supported_parameters?.includes('reasoning') ? 'reasoning' : undefined].filter(Boolean);
  const tooltip = [
    `${name} (${model.id})`,
    model.description ? firstSentences(model.description) : undefined,
    `Price: ${price}`,
    `Context: ${formatTokens(limits.contextTokens)} tokens, up to ${formatTokens(limits.maxOutputTokens)} out`,
    features.length > 0 ? `Supports: ${features.join(', ')}` : undefined,
    model.expiration_date ? `Retires on ${model.expiration_date}` : undefined,
  ]
    .filter((line): line is string => line !== undefined)
    .join('\n');

  const info: ModelInformation = {
    id: model.id,
    name,
    family: modelFamily(model.id),
    version: model.canonical_slug?.trim() || model.id,
    detail: price,
    tooltip,
    maxInputTokens: limits.maxInputTokens,
    maxOutputTokens: limits.maxOutputTokens,
    capabilities: { imageInput, toolCalling },
  };
  if (options.defaultModelId !== undefined && options.defaultModelId === model.id) info.isUserSelectable = true;
  return info;
}

export function toModelInformationList(models: readonly Model[], options: { defaultModelId?: string } = {}): ModelInformation[] {
  const seen = new Set<string>();
  const out: ModelInformation[] = [];
  for (const model of models) {
    if (seen.has(model.id)) continue;
    const info = toModelInformation(model, options);
    if (!info) continue;
    seen.add(model.id);
    out.push(info);
  }
  return out;
}

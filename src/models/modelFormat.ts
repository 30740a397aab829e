// Pure formatting of /models entries for the picker and status bar: no vscode import.
import type { Model } from '../openrouter/types';
import { formatUsdCompact, withoutTrailingZeros } from '../util/usd';
import { pricePerToken } from './modelPrice';

/** A per-token USD price string as dollars per million tokens: "$0.15", "free", or "?" when unreadable. */
export function formatPricePerMillion(perToken: unknown): string {
  const value = pricePerToken(perToken);
  if (value === undefined) return '?';
  if (value === 0) return 'free';
  const perMillion = value * 1_000_000;
  if (!Number.isFinite(perMillion)) return '?';
  return formatUsdCompact(perMillion);
}

/** 128000 → "128K", 1048576 → "1M", 32768 → "33K"; "?" when unknown. */
export function formatContextLength(tokens: unknown): string {
  if (typeof tokens !== 'number' || !Number.isFinite(tokens) || tokens <= 0) return '?';
  if (tokens >= 1_000_000) return `${withoutTrailingZeros((tokens / 1_000_000).toFixed(1))}M`;
  if (tokens >= 1000) return `${Math.round(tokens / 1000)}K`;
  return String(Math.round(tokens));
}

/** True when both prompt and completion cost nothing (or the id says `:free`). */
export function isFreeModel(model: Model): boolean {
  if (model.id.endsWith(':free')) return true;
  const prompt = Number(model.pricing?.prompt);
  const completion = Number(model.pricing?.completion);
  return model.pricing?.prompt != null && model.pricing.completion != null && prompt === 0 && completion === 0;
}

/** "text+image→text" from the architecture, falling back to the modality string. */
export function formatModality(model: Model): string {
  const arch = model.architecture;
  // A gateway may send any JSON here: only strings and string arrays are shown.
  const names = (list: unknown): string[] => (Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string' && item !== '') : []);
  const inputs = names(arch?.input_modalities);
  const outputs = names(arch?.output_modalities);
  if (inputs.length && outputs.length) return `${inputs.join('+')}→${outputs.join('+')}`;
  return typeof arch?.modality === 'string' && arch.modality !== '' ? arch.modality.replace('->', '→') : '?';
}

export function modelDisplayName(model: Pick<Model, 'id' | 'name'>): string {
  return (typeof model.name === 'string' && model.name.trim()) || model.id;
}

/** The picker's detail line: "$0.15/M in · $0.60/M out · 128K context · text+image→text". */
export function formatModelDetail(model: Model): string {
  const input = formatPricePerMillion(model.pricing?.prompt);
  const output = formatPricePerMillion(model.pricing?.completion);
  const price = input === 'free' && output === 'free' ? 'free' : `${withUnit(input)} in · ${withUnit(output)} out`;
  const context = formatContextLength(model.context_length ?? model.top_provider?.context_length);
  return `${price} · ${context} context · ${formatModality(model)}`;
}

function withUnit(price: string): string {
  return price.startsWith('$') ? `${price}/M` : price;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return 'just now';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

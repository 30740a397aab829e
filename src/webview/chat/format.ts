// Display strings for the model chooser and the numbers under an answer. Pure, so unit tests run it under Node.
import type { AnswerStats, ModelOption } from '../../protocols/chat';
import { formatUsd } from '../../util/usd';

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The chooser's line for a model: its name and a price short enough not to be cut off, "free" said once. */
export function modelOptionLabel(model: Pick<ModelOption, 'name' | 'free' | 'priceLabel'>): string {
  if (model.free) return /\bfree\b/i.test(model.name) ? model.name : `${model.name} · free`;
  return model.priceLabel ? `${model.name} · ${model.priceLabel}` : model.name;
}

/**
 * True when the model that answered is the one asked for: the same id, or a dated snapshot of it
 * (`openai/gpt-4o-mini` answered by `openai/gpt-4o-mini-2024-07-18`).
 */
export function sameModel(asked: string, answered: string): boolean {
  return answered === asked || answered.startsWith(`${asked}-`);
}

/**
 * The parts of the line under an answer, in reading order; absent figures are left out. The answer's header
 * names the model asked for, so the model appears here only when another one answered (a fallback).
 */
export function statsParts(stats: AnswerStats, askedModel?: string): string[] {
  const parts: string[] = [];
  const otherModel = stats.model !== undefined && (askedModel === undefined || !sameModel(askedModel, stats.model));
  if (otherModel) parts.push(stats.provider ? `answered by ${stats.model} via ${stats.provider}` : `answered by ${stats.model}`);
  else if (stats.provider) parts.push(`via ${stats.provider}`);
  if (stats.promptTokens !== undefined || stats.completionTokens !== undefined) {
    parts.push(`${stats.promptTokens ?? '?'} in / ${stats.completionTokens ?? '?'} out tokens`);
  }
  if (stats.costUsd !== undefined) parts.push(costText(stats));
  const cache = cacheText(stats);
  if (cache) parts.push(cache);
  if (stats.timeToFirstTokenMs !== undefined) parts.push(`first token ${formatMs(stats.timeToFirstTokenMs)}`);
  if (stats.tokensPerSecond !== undefined) parts.push(`${stats.tokensPerSecond.toFixed(1)} tok/s`);
  if (stats.afterStop) parts.push(stats.afterStop);
  if (stats.source === 'pending') parts.push(stats.afterStop ? 'fetching the billed cost…' : 'fetching cost…');
  if (stats.source === 'unavailable') parts.push('cost not available yet');
  return parts;
}

/** The bill: its total, and what is inside it besides tokens (web searches, your own key's upstream charge). */
function costText(stats: AnswerStats): string {
  const inside: string[] = [];
  if (stats.webSearches) inside.push(`${stats.webSearches} web search${stats.webSearches === 1 ? '' : 'es'}`);
  if (stats.byokUpstreamUsd !== undefined) inside.push(`${formatUsd(stats.byokUpstreamUsd)} billed to your provider key`);
  return inside.length ? `${formatUsd(stats.costUsd)} incl. ${inside.join(' and ')}` : formatUsd(stats.costUsd);
}

/** The prompt cache's part of the line: tokens read from it (and what that saved), or written to it. */
export function cacheText(stats: Pick<AnswerStats, 'cachedTokens' | 'cacheWriteTokens' | 'cacheDiscountUsd'>): string | undefined {
  const discount = stats.cacheDiscountUsd;
  if (stats.cachedTokens) return `${stats.cachedTokens} cached${discount !== undefined && discount > 0 ? `, saved ${formatUsd(discount)}` : ''}`;
  if (stats.cacheWriteTokens) return `${stats.cacheWriteTokens} written to cache${discount !== undefined && discount < 0 ? ` (+${formatUsd(-discount)})` : ''}`;
  return undefined;
}

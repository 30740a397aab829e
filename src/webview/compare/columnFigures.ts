// The figures line of one comparison column, in reading order; absent figures are left out. Pure.
import { formatUsd } from '../../util/usd';
import type { ColumnStats, CompareEstimate } from '../../protocols/compare';

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function columnFigures(stats: ColumnStats): string[] {
  const parts: string[] = [];
  if (stats.timeToFirstTokenMs !== undefined) parts.push(`first token ${formatMs(stats.timeToFirstTokenMs)}`);
  if (stats.tokensPerSecond !== undefined) parts.push(`${stats.tokensPerSecond.toFixed(1)} tok/s`);
  if (stats.completionTokens !== undefined) parts.push(stats.source === 'live' ? `~${stats.completionTokens} tokens` : `${stats.completionTokens} tokens`);
  if (stats.costUsd !== undefined) parts.push(formatUsd(stats.costUsd));
  if (stats.provider) parts.push(`via ${stats.provider}`);
  if (stats.source === 'pending') parts.push('fetching cost…');
  if (stats.source === 'unavailable') parts.push('cost not available');
  return parts;
}

/** "≈ $0.0123 for 3 models (≈ 42 prompt tokens each, 500 output tokens assumed per model)". */
export function estimateText(estimate: CompareEstimate): string {
  const count = estimate.perModel.length;
  const total = estimate.totalUsd === undefined ? 'unknown (a model has no price)' : `≈ ${formatUsd(estimate.totalUsd)}`;
  return `Estimated cost: ${total} for ${count} model${count === 1 ? '' : 's'} (≈ ${estimate.promptTokens} prompt tokens each; assumes ${estimate.assumedOutputTokens} output tokens per model, the real answers may be longer or shorter)`;
}

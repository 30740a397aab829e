// Display strings for the numbers under an answer. Pure, so unit tests run it under Node.
import type { AnswerStats } from './protocol';

export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return `$${usd.toPrecision(2)}`;
  if (usd < 1) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The parts of the line under an answer, in reading order; absent figures are left out. */
export function statsParts(stats: AnswerStats): string[] {
  const parts: string[] = [];
  if (stats.model) parts.push(stats.provider ? `${stats.model} via ${stats.provider}` : stats.model);
  if (stats.promptTokens !== undefined || stats.completionTokens !== undefined) {
    parts.push(`${stats.promptTokens ?? '?'} in / ${stats.completionTokens ?? '?'} out tokens`);
  }
  if (stats.costUsd !== undefined) parts.push(formatCost(stats.costUsd));
  if (stats.timeToFirstTokenMs !== undefined) parts.push(`first token ${formatMs(stats.timeToFirstTokenMs)}`);
  if (stats.tokensPerSecond !== undefined) parts.push(`${stats.tokensPerSecond.toFixed(1)} tok/s`);
  if (stats.source === 'pending') parts.push('fetching cost…');
  if (stats.source === 'unavailable') parts.push('cost not available yet');
  return parts;
}

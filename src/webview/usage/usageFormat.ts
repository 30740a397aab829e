// Display strings for the Usage view. Pure.

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatLatency(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

// The connection stats report: pure, unit-tested under plain Node.
import type { ProviderStats } from '../openrouter/types';
import type { LatencyWindow } from './latencyWindow';

export interface ConnectionStatsReport extends ProviderStats {
  reuseRate: number | undefined;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  samples: number;
}

export function buildReport(stats: ProviderStats, latencies: Pick<LatencyWindow, 'percentile' | 'size'>): ConnectionStatsReport {
  const reuseRate = stats.requests > 0 ? stats.reusedRequests / stats.requests : undefined;
  return { ...stats, reuseRate, p50Ms: latencies.percentile(50), p95Ms: latencies.percentile(95), samples: latencies.size };
}

export function formatReport(report: ConnectionStatsReport): string[] {
  const ms = (n: number | undefined): string => (n === undefined ? '—' : `${Math.round(n)} ms`);
  const pct = report.reuseRate === undefined ? '—' : `${Math.round(report.reuseRate * 100)}%`;
  return [
    `requests ${report.requests} · in flight ${report.inFlight} · retries ${report.retries}`,
    `connections opened ${report.connectionsOpened} · open now ${report.openConnections} · reuse rate ${pct} (${report.reusedRequests} reused)`,
    `DNS lookups ${report.dnsLookups}`,
    `latency p50 ${ms(report.p50Ms)} · p95 ${ms(report.p95Ms)} (last ${report.samples} attempts)`,
    ...(report.serverIdleTimeoutMs === undefined
      ? []
      : [`the server closes idle connections after ${(report.serverIdleTimeoutMs / 1000).toFixed(1)} s: kept ones idle about that long are renewed, not reused`]),
  ];
}

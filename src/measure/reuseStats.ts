// The numbers behind `OpenRouter: Measure Connection Reuse`: pure, no vscode, unit-tested.

/** One run of N sequential calls, either through the pool or each on a fresh connection. */
export interface RunSample {
  /** Per-call latency, ms, in call order. */
  latenciesMs: number[];
  /** TCP connections (each with its TLS handshake on https) the run opened. */
  connectionsOpened: number;
  dnsLookups: number;
}

export interface RunStats {
  calls: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  totalMs: number;
  connectionsOpened: number;
  dnsLookups: number;
}

export interface ReuseSummary {
  calls: number;
  pooled: RunStats;
  fresh: RunStats;
  /** Connections (and so TCP+TLS handshakes) the pool avoided. */
  handshakesSaved: number;
  dnsLookupsSaved: number;
  /** Fresh median latency over pooled median latency: above 1 means the pool is faster. */
  speedup: number;
  /** Time the pool saved per call at the median, ms. */
  savedPerCallMs: number;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

export function runStats(sample: RunSample): RunStats {
  const total = sample.latenciesMs.reduce((sum, v) => sum + v, 0);
  return {
    calls: sample.latenciesMs.length,
    p50Ms: percentile(sample.latenciesMs, 50),
    p95Ms: percentile(sample.latenciesMs, 95),
    meanMs: sample.latenciesMs.length ? total / sample.latenciesMs.length : Number.NaN,
    totalMs: total,
    connectionsOpened: sample.connectionsOpened,
    dnsLookups: sample.dnsLookups,
  };
}

export function summariseReuse(pooledSample: RunSample, freshSample: RunSample): ReuseSummary {
  const pooled = runStats(pooledSample);
  const fresh = runStats(freshSample);
  return {
    calls: Math.min(pooled.calls, fresh.calls),
    pooled,
    fresh,
    handshakesSaved: fresh.connectionsOpened - pooled.connectionsOpened,
    dnsLookupsSaved: fresh.dnsLookups - pooled.dnsLookups,
    speedup: fresh.p50Ms / pooled.p50Ms,
    savedPerCallMs: fresh.p50Ms - pooled.p50Ms,
  };
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** The full result, one line each, for the log channel. */
export function formatReuseReport(summary: ReuseSummary, target: string): string[] {
  const row = (name: string, s: RunStats): string =>
    `${name}: p50 ${ms(s.p50Ms)}, p95 ${ms(s.p95Ms)}, mean ${ms(s.meanMs)}, total ${ms(s.totalMs)}; ${s.connectionsOpened} connection(s) opened, ${s.dnsLookups} DNS lookup(s)`;
  return [
    `Connection reuse, ${summary.calls} sequential GET /models calls to ${target}:`,
    row('  pooled (kept-alive connections)', summary.pooled),
    row('  fresh connection per call     ', summary.fresh),
    `  handshakes saved: ${summary.handshakesSaved}; DNS lookups saved: ${summary.dnsLookupsSaved}`,
    `  speed-up at the median: ${summary.speedup.toFixed(2)}× (${ms(summary.savedPerCallMs)} saved per call)`,
  ];
}

/** The short version for a notification. */
export function formatReuseNotification(summary: ReuseSummary): string {
  return (
    `Connection reuse: ${summary.speedup.toFixed(2)}× faster per call (p50 ${summary.pooled.p50Ms.toFixed(0)} ms pooled vs ` +
    `${summary.fresh.p50Ms.toFixed(0)} ms fresh), ${summary.handshakesSaved} handshake(s) saved over ${summary.calls} calls.`
  );
}

// The numbers behind `OpenRouter: Measure Connection Reuse`: pure, no vscode, unit-tested.
import { percentile } from '../util/percentile';

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
  /** Calls per phase in each round. */
  calls: number;
  rounds: number;
  /** All rounds together. */
  pooled: RunStats;
  fresh: RunStats;
  /** Connections (and so TCP+TLS handshakes) the pool avoided. */
  handshakesSaved: number;
  dnsLookupsSaved: number;
  /** Median over the rounds of (fresh median latency / pooled median latency): above 1 means the pool is faster. */
  speedup: number;
  /** The smallest and largest round's ratio: how far one round can be trusted. */
  speedupMin: number;
  speedupMax: number;
  /** Time the pool saved per call at the median of all calls, ms (negative: it cost time). */
  savedPerCallMs: number;
}

export function runStats(sample: RunSample): RunStats {
  const total = sample.latenciesMs.reduce((sum, v) => sum + v, 0);
  return {
    calls: sample.latenciesMs.length,
    p50Ms: percentile(sample.latenciesMs, 50) ?? Number.NaN,
    p95Ms: percentile(sample.latenciesMs, 95) ?? Number.NaN,
    meanMs: sample.latenciesMs.length ? total / sample.latenciesMs.length : Number.NaN,
    totalMs: total,
    connectionsOpened: sample.connectionsOpened,
    dnsLookups: sample.dnsLookups,
  };
}

/** One round's ratio: fresh median over pooled median. */
export function roundSpeedup(pooled: RunSample, fresh: RunSample): number {
  return (percentile(fresh.latenciesMs, 50) ?? Number.NaN) / (percentile(pooled.latenciesMs, 50) ?? Number.NaN);
}

export function summariseReuse(rounds: ReadonlyArray<{ pooled: RunSample; fresh: RunSample }>): ReuseSummary {
  const all = (pick: 'pooled' | 'fresh'): RunSample => ({
    latenciesMs: rounds.flatMap((r) => r[pick].latenciesMs),
    connectionsOpened: rounds.reduce((sum, r) => sum + r[pick].connectionsOpened, 0),
    dnsLookups: rounds.reduce((sum, r) => sum + r[pick].dnsLookups, 0),
  });
  const pooled = runStats(all('pooled'));
  const fresh = runStats(all('fresh'));
  const ratios = rounds.map((r) => roundSpeedup(r.pooled, r.fresh));
  return {
    calls: Math.min(...rounds.map((r) => Math.min(r.pooled.latenciesMs.length, r.fresh.latenciesMs.length))),
    rounds: rounds.length,
    pooled,
    fresh,
    handshakesSaved: fresh.connectionsOpened - pooled.connectionsOpened,
    dnsLookupsSaved: fresh.dnsLookups - pooled.dnsLookups,
    speedup: median(ratios),
    speedupMin: Math.min(...ratios),
    speedupMax: Math.max(...ratios),
    savedPerCallMs: fresh.p50Ms - pooled.p50Ms,
  };
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** "1.80× faster", "1.25× slower" (a ratio of 0.8), or "no faster" at exactly 1. */
export function describeRatio(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio === 1) return 'no faster';
  return ratio > 1 ? `${ratio.toFixed(2)}× faster` : `${(1 / ratio).toFixed(2)}× slower`;
}

/** The verdict over all rounds: a spread that straddles 1 is no clear difference either way. */
export function verdict(summary: ReuseSummary): string {
  if (summary.rounds > 1 && summary.speedupMin < 1 && summary.speedupMax > 1) return `no clear difference (median ${describeRatio(summary.speedup)})`;
  return `pooled ${describeRatio(summary.speedup)}`;
}

function direction(summary: ReuseSummary): string {
  const unclear = summary.rounds > 1 && summary.speedupMin < 1 && summary.speedupMax > 1;
  if (unclear || !Number.isFinite(summary.speedup) || summary.speedup === 1) return 'no clear difference';
  return summary.speedup > 1 ? 'pooled faster' : 'pooled slower';
}

function spread(summary: ReuseSummary): string {
  return summary.rounds > 1 ? `; rounds ranged ${summary.speedupMin.toFixed(2)}–${summary.speedupMax.toFixed(2)}× over ${summary.rounds} rounds` : '';
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** The full result, one line each, for the log channel. */
export function formatReuseReport(summary: ReuseSummary, target: string): string[] {
  const row = (name: string, s: RunStats): string =>
    `${name}: p50 ${ms(s.p50Ms)}, p95 ${ms(s.p95Ms)}, mean ${ms(s.meanMs)}, total ${ms(s.totalMs)}; ${s.connectionsOpened} connection(s) opened, ${s.dnsLookups} DNS lookup(s)`;
  const saved = summary.savedPerCallMs >= 0 ? `${ms(summary.savedPerCallMs)} saved per call` : `${ms(-summary.savedPerCallMs)} lost per call`;
  return [
    `Connection reuse, ${summary.rounds} round(s) of ${summary.calls} sequential GET /models calls each way to ${target}:`,
    row('  pooled (kept-alive connections)', summary.pooled),
    row('  fresh connection per call     ', summary.fresh),
    `  handshakes saved: ${summary.handshakesSaved}; DNS lookups saved: ${summary.dnsLookupsSaved}`,
    `  speed-up at the median: ${summary.speedup.toFixed(2)}×, ${direction(summary)} (${saved}${spread(summary)})`,
  ];
}

/** The short version for a notification. */
export function formatReuseNotification(summary: ReuseSummary): string {
  return (
    `Connection reuse: ${verdict(summary)} per call${spread(summary)} (p50 ${summary.pooled.p50Ms.toFixed(0)} ms pooled vs ` +
    `${summary.fresh.p50Ms.toFixed(0)} ms fresh), ${summary.handshakesSaved} handshake(s) saved over ${summary.rounds * summary.calls} calls.`
  );
}

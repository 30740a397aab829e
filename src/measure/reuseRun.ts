// Runs the comparison behind `OpenRouter: Measure Connection Reuse`: in each of several rounds, N sequential
// GET /models through the pooled provider, then the same N each on a provider of its own (so on a
// connection of its own).
// No vscode here, so it runs under plain Node against the emulator too.
import type { CallOptions, ProviderStats, RequestRecord } from '../openrouter/types';
import type { RunSample } from './reuseStats';

/** The part of the provider a measurement uses. */
export interface MeasuredProvider {
  listModels(opts?: CallOptions): Promise<unknown[]>;
  stats(): ProviderStats;
  close(): Promise<void>;
}

export type ReusePhase = 'pooled' | 'fresh';

export interface ReuseRunOptions {
  /** Calls per phase in each round. */
  calls: number;
  /** Rounds of (pooled calls, then fresh calls): one ratio each, so the result has a spread. Default 1. */
  rounds?: number;
  signal?: AbortSignal;
  /** Called after each call, with the calls of that phase done so far over all rounds. */
  onProgress?(phase: ReusePhase, done: number, total: number): void;
}

export interface ReuseRound {
  pooled: RunSample;
  fresh: RunSample;
}

export interface ReuseRun extends ReuseRound {
  /** Each round on its own; `pooled` and `fresh` above are all rounds together. */
  rounds: ReuseRound[];
}

async function timedListModels(provider: Pick<MeasuredProvider, 'listModels'>, opts: CallOptions): Promise<number> {
  const start = performance.now();
  const models = await provider.listModels(opts);
  const elapsed = performance.now() - start;
  if (models.length === 0) throw new Error('GET /models answered an empty list.');
  return elapsed;
}

export async function runReuseComparison(
  pooled: Pick<MeasuredProvider, 'listModels' | 'stats'>,
  createFresh: () => MeasuredProvider,
  options: ReuseRunOptions,
): Promise<ReuseRun> {
  const { calls, signal } = options;
  const roundCount = Math.max(1, options.rounds ?? 1);
  const total = calls * roundCount;
  const done = { pooled: 0, fresh: 0 };
  const rounds: ReuseRound[] = [];
  for (let round = 0; round < roundCount; round++) {
    const before = pooled.stats();
    const pooledSample: RunSample = { latenciesMs: [], connectionsOpened: 0, dnsLookups: 0 };
    // Other features may use the shared pool meanwhile (a refresh after a settings change opens its own
    // socket while ours is busy): only the measured calls' own attempts say what they cost.
    const onAttempt = (record: RequestRecord): void => {
      if (record.newConnection) pooledSample.connectionsOpened++;
    };
    for (let i = 0; i < calls; i++) {
      signal?.throwIfAborted();
      pooledSample.latenciesMs.push(await timedListModels(pooled, { signal, onAttempt }));
      options.onProgress?.('pooled', ++done.pooled, total);
    }
    // DNS lookups are not told per call: the pool's count may include other features' (rarely any: the cache is shared).
    pooledSample.dnsLookups = pooled.stats().dnsLookups - before.dnsLookups;

    const freshSample: RunSample = { latenciesMs: [], connectionsOpened: 0, dnsLookups: 0 };
    for (let i = 0; i < calls; i++) {
      signal?.throwIfAborted();
      const provider = createFresh();
      try {
        freshSample.latenciesMs.push(await timedListModels(provider, { signal }));
        const stats = provider.stats();
        freshSample.connectionsOpened += stats.connectionsOpened;
        freshSample.dnsLookups += stats.dnsLookups;
      } finally {
        await provider.close();
      }
      options.onProgress?.('fresh', ++done.fresh, total);
    }
    rounds.push({ pooled: pooledSample, fresh: freshSample });
  }
  return { pooled: combine(rounds.map((r) => r.pooled)), fresh: combine(rounds.map((r) => r.fresh)), rounds };
}

function combine(samples: RunSample[]): RunSample {
  return {
    latenciesMs: samples.flatMap((s) => s.latenciesMs),
    connectionsOpened: samples.reduce((sum, s) => sum + s.connectionsOpened, 0),
    dnsLookups: samples.reduce((sum, s) => sum + s.dnsLookups, 0),
  };
}

// Runs the comparison behind `OpenRouter: Measure Connection Reuse`: N sequential GET /models through
// the pooled provider, then the same N each on a provider of its own (so on a connection of its own).
// No vscode here, so it runs under plain Node against the emulator too.
import { performance } from 'node:perf_hooks';
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
  calls: number;
  signal?: AbortSignal;
  /** Called after each call. */
  onProgress?(phase: ReusePhase, done: number, total: number): void;
}

export interface ReuseRun {
  pooled: RunSample;
  fresh: RunSample;
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
  const before = pooled.stats();
  const pooledLatencies: number[] = [];
  // Other features may use the shared pool meanwhile (a refresh after a settings change opens its own
  // socket while ours is busy): only the measured calls' own attempts say what they cost.
  let pooledOpened = 0;
  const onAttempt = (record: RequestRecord): void => {
    if (record.newConnection) pooledOpened++;
  };
  for (let i = 0; i < calls; i++) {
    signal?.throwIfAborted();
    pooledLatencies.push(await timedListModels(pooled, { signal, onAttempt }));
    options.onProgress?.('pooled', i + 1, calls);
  }
  const after = pooled.stats();

  const fresh: RunSample = { latenciesMs: [], connectionsOpened: 0, dnsLookups: 0 };
  for (let i = 0; i < calls; i++) {
    signal?.throwIfAborted();
    const provider = createFresh();
    try {
      fresh.latenciesMs.push(await timedListModels(provider, { signal }));
      const stats = provider.stats();
      fresh.connectionsOpened += stats.connectionsOpened;
      fresh.dnsLookups += stats.dnsLookups;
    } finally {
      await provider.close();
    }
    options.onProgress?.('fresh', i + 1, calls);
  }

  return {
    // DNS lookups are not told per call: the pool's count may include other features' (rarely any: the cache is shared).
    pooled: { latenciesMs: pooledLatencies, connectionsOpened: pooledOpened, dnsLookups: after.dnsLookups - before.dnsLookups },
    fresh,
  };
}

import assert from 'node:assert/strict';
import { startEmulator } from '../emulator/index';
import type { Emulator } from '../emulator/types';
import { OpenRouterProvider } from '../../src/openrouter/index';
import { runReuseComparison } from '../../src/measure/reuseRun';
import type { ReusePhase } from '../../src/measure/reuseRun';
import { summariseReuse } from '../../src/measure/reuseStats';

describe('measuring connection reuse against the emulator over TLS', () => {
  let emulator: Emulator;
  let pooled: OpenRouterProvider;

  before(async () => {
    emulator = await startEmulator({ tls: true, modelCount: 40 });
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    emulator.reset();
    pooled = new OpenRouterProvider({ apiKey: 'sk-or-v1-test', baseUrl: emulator.baseUrl, ca: emulator.ca });
  });
  afterEach(async () => {
    await pooled.close();
  });

  const fresh = () => new OpenRouterProvider({ apiKey: () => undefined, baseUrl: emulator.baseUrl, ca: emulator.ca, poolSize: 1 });

  it('opens one connection for the pooled calls and one per call for the fresh ones, as the server counts', async () => {
    const run = await runReuseComparison(pooled, fresh, { calls: 5 });
    assert.equal(run.pooled.latenciesMs.length, 5);
    assert.equal(run.fresh.latenciesMs.length, 5);
    assert.equal(run.pooled.connectionsOpened, 1);
    assert.equal(run.fresh.connectionsOpened, 5);
    const counters = emulator.counters();
    assert.equal(counters.connectionsAccepted, 6);
    assert.equal(counters.tlsHandshakes, 6);
    assert.equal(counters.requestsByPath['/models'], 10);
    assert.equal(summariseReuse(run.rounds).handshakesSaved, 4);
  });

  it('counts only its own calls when another feature uses the shared pool at the same moment', async () => {
    // Started first, this call holds the pool's first socket while the measure's first call needs one.
    const other = pooled.validateConfig();
    const run = await runReuseComparison(pooled, fresh, { calls: 4 });
    assert.equal((await other).ok, true);
    assert.equal(pooled.stats().connectionsOpened, 2, 'the concurrent call and the measure each opened a socket');
    assert.equal(run.pooled.connectionsOpened, 1);
    assert.equal(run.fresh.connectionsOpened, 4);
    assert.equal(emulator.counters().connectionsAccepted, 6);
  });

  it('runs rounds of pooled then fresh calls, keeping each round for the spread', async () => {
    const seen: string[] = [];
    const run = await runReuseComparison(pooled, fresh, { calls: 2, rounds: 3, onProgress: (phase, done, total) => seen.push(`${phase} ${done}/${total}`) });
    assert.equal(run.rounds.length, 3);
    assert.deepEqual(run.rounds.map((r) => [r.pooled.connectionsOpened, r.fresh.connectionsOpened]), [[1, 2], [0, 2], [0, 2]], 'the pool stays warm across rounds');
    assert.equal(run.pooled.latenciesMs.length, 6);
    assert.equal(emulator.counters().requestsByPath['/models'], 12);
    assert.deepEqual(seen.slice(0, 4), ['pooled 1/6', 'pooled 2/6', 'fresh 1/6', 'fresh 2/6']);
    const summary = summariseReuse(run.rounds);
    assert.ok(summary.speedupMin <= summary.speedup && summary.speedup <= summary.speedupMax);
  });

  it('counts no new connection for a pool that is already warm', async () => {
    await pooled.listModels();
    const run = await runReuseComparison(pooled, fresh, { calls: 3 });
    assert.equal(run.pooled.connectionsOpened, 0);
    assert.equal(run.fresh.connectionsOpened, 3);
  });

  it('reports progress for every call of both phases, in order', async () => {
    const seen: string[] = [];
    await runReuseComparison(pooled, fresh, { calls: 2, onProgress: (phase: ReusePhase, done, total) => seen.push(`${phase} ${done}/${total}`) });
    assert.deepEqual(seen, ['pooled 1/2', 'pooled 2/2', 'fresh 1/2', 'fresh 2/2']);
  });

  it('stops making calls once cancelled', async () => {
    const controller = new AbortController();
    const run = runReuseComparison(pooled, fresh, {
      calls: 20,
      signal: controller.signal,
      onProgress: (phase, done) => {
        if (phase === 'fresh' && done === 2) controller.abort();
      },
    });
    await assert.rejects(run, (error: Error) => error.name === 'AbortError');
    const counters = emulator.counters();
    assert.equal(counters.requestsByPath['/models'], 22, 'twenty pooled calls and two fresh ones, then nothing');
    assert.equal(counters.connectionsAccepted, 3);
  });
});

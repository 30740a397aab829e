import assert from 'node:assert/strict';
import { ComparisonRun, type ColumnResult, type ComparisonEvent } from '../../src/compare/comparisonRun';
import { compareMessages } from '../../src/compare/compareRequest';
import { OpenRouterProvider, type ProviderOptions, type RequestRecord } from '../../src/openrouter';
import { TEST_KEY } from '../emulator/accounts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import { silentLog } from '../support/silentLog';

const models = ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'mistralai/mistral-nemo'];

/** A comparison against a real emulator over real sockets, with every event it emits. */
class Harness {
  readonly events: ComparisonEvent[] = [];
  readonly run: ComparisonRun;
  private waiters: Array<() => void> = [];

  constructor(provider: OpenRouterProvider, modelIds: string[], prompt: string) {
    this.run = new ComparisonRun(
      {
        provider: () => provider,
        onEvent: (event) => {
          this.events.push(event);
          for (const wake of this.waiters.splice(0)) wake();
        },
        log: silentLog,
        generationRetryDelaysMs: [20, 20, 20, 20, 20],
      },
      modelIds,
      compareMessages(prompt),
    );
  }

  /** Resolves once an event satisfying `test` has been emitted (waits for the event, no sleeps). */
  async until(test: (events: ComparisonEvent[]) => boolean): Promise<void> {
    while (!test(this.events)) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  settledResults(): ColumnResult[] {
    return this.events.flatMap((e) => (e.type === 'settled' ? [e.result] : [])).sort((a, b) => a.column - b.column);
  }
}

function setup(emulatorOptions: EmulatorOptions, providerOptions: Partial<ProviderOptions> = {}): () => { emulator: Emulator; provider: OpenRouterProvider } {
  let emulator: Emulator | undefined;
  let provider: OpenRouterProvider | undefined;
  beforeEach(async () => {
    emulator = await startEmulator({ generationReadyAfterMs: 0, ...emulatorOptions });
    provider = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl: emulator.baseUrl, retryBaseDelayMs: 5, retryMaxDelayMs: 20, ...(emulator.ca ? { ca: emulator.ca } : {}), ...providerOptions });
  });
  afterEach(async () => {
    await provider?.close();
    await emulator?.close();
  });
  return () => ({ emulator: emulator!, provider: provider! });
}

describe('ComparisonRun (Compare Models) against the emulator', function () {
  this.timeout(20_000);

  describe('over HTTP/2', () => {
    const rig = setup({ tls: true }, { allowH2: true });

    it('streams three columns at once on one HTTP/2 connection; texts, costs and providers match the emulator', async () => {
      const { emulator, provider } = rig();
      // What the network log prints: one record per HTTP attempt.
      const records: RequestRecord[] = [];
      provider.onRequest((record) => records.push(record));
      const harness = new Harness(provider, models, '[[chunks:12]] Which is best?');
      harness.run.start();
      await harness.run.settled();
      const postRecords = records.filter((r) => r.method === 'POST');
      assert.deepEqual(postRecords.map((r) => r.httpVersion), ['2', '2', '2']);
      assert.equal(records.filter((r) => r.newConnection).length, 1, 'the network log shows one new connection, every other request reused it');

      const results = harness.settledResults();
      const generations = emulator.generations();
      assert.equal(results.length, 3);
      for (const [index, result] of results.entries()) {
        const generation = generations.find((g) => g.id === result.generationId);
        assert.ok(generation, `column ${index} has its generation id`);
        assert.equal(result.modelId, models[index]);
        assert.equal(result.status, 'done');
        assert.equal(result.text, 'You said: Which is best? the quick brown fox jumps over the.');
        assert.equal(result.stats.source, 'usage', 'the usage chunk had the bill');
        assert.equal(result.stats.costUsd, generation.total_cost);
        assert.equal(result.stats.provider, generation.provider_name);
        assert.equal(result.stats.completionTokens, 12);
        assert.ok(result.stats.timeToFirstTokenMs! > 0 && result.stats.tokensPerSecond! > 0);
      }
      // Three models, three different prices: the costs differ.
      assert.equal(new Set(results.map((r) => r.stats.costUsd)).size, 3);
      const posts = emulator.requests().filter((r) => r.path === '/chat/completions');
      assert.equal(posts.length, 3);
      assert.deepEqual(new Set(posts.map((r) => r.httpVersion)), new Set(['2.0']));
      assert.equal(new Set(posts.map((r) => r.connectionId)).size, 1, 'every column on one connection');
      assert.equal(emulator.counters().connectionsAccepted, 1);
      assert.equal(provider.stats().connectionsOpened, 1);
    });

    it('the columns overlap in time: all three are streaming before any has finished', async () => {
      const { provider } = rig();
      const harness = new Harness(provider, models, '[[chunks:40]] overlap');
      harness.run.start();
      await harness.until((events) => new Set(events.filter((e) => e.type === 'delta').map((e) => (e as { column: number }).column)).size === 3);
      assert.equal(harness.events.filter((e) => e.type === 'end').length, 0, 'no column ended before all three had tokens');
      await harness.run.settled();
    });

    it('stopping one column closes only its stream: the emulator sees it cancelled, the others finish; its cost comes from /generation', async () => {
      const { emulator, provider } = rig();
      const harness = new Harness(provider, ['openai/gpt-4o', 'emulator/long', 'mistralai/mistral-nemo'], '[[chunks:30]] stop one');
      harness.run.start();
      await harness.until((events) => events.some((e) => e.type === 'delta' && e.column === 1));
      harness.run.stop(1);
      await harness.run.settled();

      const [first, stopped, third] = harness.settledResults();
      assert.equal(stopped!.status, 'stopped');
      assert.equal(first!.status, 'done');
      assert.equal(third!.status, 'done');
      const generations = emulator.generations();
      const cancelled = generations.filter((g) => g.cancelled);
      assert.deepEqual(cancelled.map((g) => g.id), [stopped!.generationId]);
      assert.equal(emulator.counters().streamsAbortedByClient, 1);
      assert.equal(emulator.counters().streamsCompleted, 2);
      assert.equal(stopped!.stats.source, 'generation');
      assert.equal(stopped!.stats.costUsd, cancelled[0]!.total_cost);
      assert.equal(stopped!.stats.provider, cancelled[0]!.provider_name);
      assert.ok(stopped!.text.length > 0 && stopped!.text.length < first!.text.length * 100);
      // The HTTP/2 stream was reset, not the shared connection.
      assert.equal(emulator.counters().connectionsAccepted, 1);
    });

    it('Stop all ends every column and each still gets its figures', async () => {
      const { emulator, provider } = rig();
      const harness = new Harness(provider, ['emulator/long', 'emulator/long'], 'both');
      harness.run.start();
      await harness.until((events) => new Set(events.filter((e) => e.type === 'delta').map((e) => (e as { column: number }).column)).size === 2);
      harness.run.stopAll();
      await harness.run.settled();
      assert.deepEqual(harness.settledResults().map((r) => [r.status, r.stats.source]), [['stopped', 'generation'], ['stopped', 'generation']]);
      assert.equal(emulator.generations().filter((g) => g.cancelled).length, 2);
    });
  });

  describe('closing the panel', () => {
    const rig = setup({});

    it('stops every stream at once, and still fetches what each stopped column cost, for the usage record', async () => {
      const { emulator, provider } = rig();
      const harness = new Harness(provider, ['emulator/long', 'emulator/long', 'emulator/long'], 'closing');
      harness.run.start();
      await harness.until((events) => new Set(events.filter((e) => e.type === 'delta').map((e) => (e as { column: number }).column)).size === 3);
      harness.run.dispose();
      assert.equal(harness.run.running, false, 'every column stopped at once');
      await harness.run.settled();
      const generations = emulator.generations();
      for (const result of harness.settledResults()) {
        assert.equal(result.status, 'stopped');
        assert.equal(result.stats.source, 'generation');
        assert.equal(result.stats.costUsd, generations.find((g) => g.id === result.generationId)!.total_cost);
      }
      assert.equal(generations.filter((g) => g.cancelled).length, 3);
    });
  });

  describe('never more requests than asked for (fault injection, HTTP/1.1)', () => {
    const rig = setup({}, { maxRetries: 2 });

    it('N columns with no fault: exactly N POSTs', async () => {
      const { emulator, provider } = rig();
      const harness = new Harness(provider, [...models, 'openai/gpt-4o-mini'], 'four');
      harness.run.start();
      await harness.run.settled();
      assert.equal(emulator.counters().requestsByPath['/chat/completions'], 4);
    });

    it('a 500 on one column: N POSTs plus that column\'s one policy retry; every column answers', async () => {
      const { emulator, provider } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 500 }, times: 1 });
      const harness = new Harness(provider, models, 'retry once');
      harness.run.start();
      await harness.run.settled();
      assert.equal(emulator.counters().requestsByPath['/chat/completions'], 3 + 1);
      assert.deepEqual(harness.settledResults().map((r) => r.status), ['done', 'done', 'done']);
      assert.equal(harness.events.filter((e) => e.type === 'retry').length, 1, 'the retry was shown in its column');
    });

    it('429 on every attempt: each column spends at most the policy\'s retries (N × (1 + maxRetries) POSTs), then fails with advice', async () => {
      const { emulator, provider } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 429 }, times: 100 });
      const harness = new Harness(provider, models, 'rate limited');
      harness.run.start();
      await harness.run.settled();
      assert.equal(emulator.counters().requestsByPath['/chat/completions'], 3 * (1 + 2));
      for (const result of harness.settledResults()) {
        assert.equal(result.status, 'error');
        assert.match(result.error!.message, /rate|limit|429/i);
        assert.ok(result.error!.advice.length > 0);
      }
    });

    it('a stream dropped mid-answer is not resent: N POSTs, that column fails, the others finish', async () => {
      const { emulator, provider } = rig();
      emulator.addFault({ path: '/chat/completions', fault: { type: 'drop-mid-stream', afterChunks: 2 }, times: 1 });
      const harness = new Harness(provider, models, '[[chunks:10]] drop');
      harness.run.start();
      await harness.run.settled();
      assert.equal(emulator.counters().requestsByPath['/chat/completions'], 3);
      const statuses = harness.settledResults().map((r) => r.status).sort();
      assert.deepEqual(statuses, ['done', 'done', 'error']);
    });

    it('a model OpenRouter refuses (400) fails only its column, without a retry', async () => {
      const { emulator, provider } = rig();
      const harness = new Harness(provider, ['openai/gpt-4o', 'nobody/no-such-model'], 'bad model');
      harness.run.start();
      await harness.run.settled();
      assert.equal(emulator.counters().requestsByPath['/chat/completions'], 2);
      const [good, bad] = harness.settledResults();
      assert.equal(good!.status, 'done');
      assert.equal(bad!.status, 'error');
      assert.match(bad!.error!.message, /not a valid model ID/);
    });
  });
});

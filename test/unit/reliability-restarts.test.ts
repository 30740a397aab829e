import assert from 'node:assert/strict';
import { startEmulator } from '../emulator/index';
import type { Emulator } from '../emulator/types';
import { OpenRouterProvider, type ChatCompletionChunk, type ProviderOptions, type RequestRecord } from '../../src/openrouter/index';
import { KEY, TRANSPORTS, chat } from '../support/providerHarness';
import { waitFor } from '../support/waitFor';

async function streamText(provider: OpenRouterProvider, content: string): Promise<string> {
  let text = '';
  for await (const chunk of provider.streamExecute(chat(content)) as AsyncIterable<ChatCompletionChunk>) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

/** One of every call kind, a few at once: what a user's next actions after a restart look like. */
async function mixedCalls(provider: OpenRouterProvider): Promise<void> {
  const results = await Promise.allSettled([
    provider.listModels(),
    provider.validateConfig().then((answer) => assert.ok(answer.ok, JSON.stringify(answer))),
    provider.execute(chat('after the restart')),
    streamText(provider, '[[chunks:4]] after the restart').then((text) => assert.match(text, /You said/)),
    provider.execute(chat('and another')),
  ]);
  const failures = results.filter((result) => result.status === 'rejected').map((result) => String((result as PromiseRejectedResult).reason));
  assert.deepEqual(failures, [], 'no call failed');
}

for (const transport of TRANSPORTS) {
  describe(`reliability: server restarts (${transport.name})`, () => {
    let emulator: Emulator;
    let provider: OpenRouterProvider;
    const records: RequestRecord[] = [];

    const make = (options: Partial<ProviderOptions> = {}): OpenRouterProvider => {
      const made = new OpenRouterProvider({
        apiKey: KEY,
        baseUrl: emulator.baseUrl,
        poolSize: 4,
        retryBaseDelayMs: 5,
        retryMaxDelayMs: 50,
        ...(emulator.ca ? { ca: emulator.ca } : {}),
        ...transport.provider,
        ...options,
      });
      made.onRequest((record) => records.push(record));
      return made;
    };

    beforeEach(async () => {
      records.length = 0;
      emulator = await startEmulator(transport.emulator);
      provider = make();
      // Pool idle keep-alive connections: a burst fills the pool, then everything is idle.
      await Promise.all(Array.from({ length: 4 }, () => provider.validateConfig()));
      await waitFor('the warm-up to finish', () => provider.stats().inFlight === 0);
      assert.ok(provider.stats().openConnections >= 1);
    });

    afterEach(async () => {
      await provider.close();
      await emulator.close();
    });

    it('serves the next calls when the server dropped every pooled connection', async () => {
      const before = emulator.counters().connectionsAccepted;
      emulator.dropAllConnections();
      await mixedCalls(provider);
      assert.ok(emulator.counters().connectionsAccepted > before, 'fresh connections replaced the dropped ones');
      await mixedCalls(provider);
    });

    it('serves calls made in the same tick as the drop (stale sockets are retried, not surfaced)', async () => {
      emulator.dropAllConnections();
      const [models, key] = await Promise.all([provider.listModels(), provider.validateConfig()]);
      assert.ok(models.length > 0);
      assert.ok(key.ok);
    });
  });
}

describe('reliability: server closed and restarted on the same port', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider | undefined;

  afterEach(async () => {
    await provider?.close();
    await emulator.close();
  });

  it('reconnects after a restart with idle connections pooled, and a call made while it was down succeeds once it is back', async () => {
    emulator = await startEmulator();
    const port = emulator.port;
    const records: RequestRecord[] = [];
    provider = new OpenRouterProvider({ apiKey: KEY, baseUrl: emulator.baseUrl, poolSize: 4, maxRetries: 6, retryBaseDelayMs: 40, retryMaxDelayMs: 200 });
    provider.onRequest((record) => records.push(record));
    await Promise.all([provider.listModels(), provider.validateConfig(), provider.execute(chat('before'))]);
    const opened = provider.stats().connectionsOpened;

    await emulator.close();
    const during = provider.validateConfig();
    await waitFor('the call to be refused while the server is down', () => records.some((record) => record.error !== undefined));
    emulator = await startEmulator({ port });
    const answer = await during;
    assert.ok(answer.ok, JSON.stringify(answer));
    assert.match(records.find((record) => record.error !== undefined)?.error ?? '', /ECONNREFUSED|ECONNRESET|socket|closed/i);

    await mixedCalls(provider);
    assert.ok(provider.stats().connectionsOpened > opened, 'new connections to the restarted server');
  });
});

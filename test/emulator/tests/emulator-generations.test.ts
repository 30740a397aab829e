import assert from 'node:assert/strict';
import { request } from 'node:http';
import { TEST_KEY } from '../accounts';
import { startEmulator, type EmulatedGeneration, type Emulator } from '../index';
import { OpenRouterProvider } from '../../../src/openrouter';
import { waitFor } from '../../support/waitFor';

function controlGet<T>(emulator: Emulator, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    request(`${emulator.origin}/__emulator${path}`, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(JSON.parse(text) as T));
    })
      .on('error', reject)
      .end();
  });
}

describe('emulator: the generations list', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  beforeEach(async () => {
    // /generation itself would answer 404 for a minute: the list does not wait.
    emulator = await startEmulator({ generationReadyAfterMs: 60_000 });
    provider = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl: emulator.baseUrl });
  });
  afterEach(async () => {
    await provider.close();
    await emulator.close();
  });

  it('lists a finished and a stopped stream at once, with model, provider, cost and whether the client cancelled', async () => {
    for await (const chunk of provider.streamExecute({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: '[[chunks:5]] hi' }] })) void chunk;
    const stop = new AbortController();
    const chunks = provider.streamExecute({ model: 'emulator/long', messages: [{ role: 'user', content: 'long' }] }, { signal: stop.signal });
    await chunks.next();
    stop.abort();
    await chunks.next().catch(() => undefined);
    await waitFor('both generations to be recorded', () => emulator.generations().length === 2);

    const [done, stopped] = emulator.generations();
    assert.equal(done!.model, 'openai/gpt-4o');
    assert.equal(done!.provider_name, 'OpenAI');
    assert.equal(done!.cancelled, false);
    assert.equal(done!.tokens_completion, 5);
    assert.ok(done!.total_cost > 0);
    assert.equal(stopped!.model, 'emulator/long');
    assert.equal(stopped!.cancelled, true);
    assert.ok(stopped!.tokens_completion < 2000, `billed for the part sent only (${stopped!.tokens_completion})`);

    const overHttp = await controlGet<EmulatedGeneration[]>(emulator, '/generations');
    assert.deepEqual(overHttp.map((g) => [g.id, g.cancelled]), [[done!.id, false], [stopped!.id, true]]);
  });
});


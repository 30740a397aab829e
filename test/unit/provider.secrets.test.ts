import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { startEmulator } from '../emulator/index';
import type { Emulator } from '../emulator/types';
import { OpenRouterProvider, type ChatCompletionChunk, type RequestRecord } from '../../src/openrouter/index';
import { chat, rejectionOf } from '../support/providerHarness';

/** A key that matches no known pattern, so only the provider's knowledge of it can keep it out. */
const SECRET = 'corp-gateway-token-5f1e2d3c4b5a69788796a5b4';

describe('provider secrets', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  const records: RequestRecord[] = [];

  beforeEach(async () => {
    emulator = await startEmulator();
    emulator.setKey(SECRET, { limit: 10, limit_remaining: 5, usage: 5 });
    provider = new OpenRouterProvider({ apiKey: async () => SECRET, baseUrl: emulator.baseUrl, retryBaseDelayMs: 1, retryMaxDelayMs: 5 });
    records.length = 0;
    provider.onRequest((record) => records.push(record));
  });

  afterEach(async () => {
    await provider.close();
    await emulator.close();
  });

  it('never shows the key in errors, records, stats or their JSON and inspect output', async () => {
    const echo = `Invalid credentials: Bearer ${SECRET} (key ${SECRET})`;
    emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 401, message: echo, metadata: { raw: `Authorization: Bearer ${SECRET}`, key: SECRET } } });
    emulator.addFault({ path: '/models', fault: { type: 'status', status: 503, message: echo }, times: 10 });
    emulator.addFault({ path: '/credits', fault: { type: 'status', status: 500, html: true }, times: 10 });
    emulator.addFault({ path: '/key', fault: { type: 'raw', body: `not json ${SECRET}` } });

    const errors: unknown[] = [];
    errors.push(await rejectionOf(provider.execute(chat('leak?'))));
    errors.push(await rejectionOf(provider.listModels()));
    errors.push(await rejectionOf(provider.getCredits()));
    const validation = await provider.validateConfig();
    emulator.addFault({ path: '/chat/completions', fault: { type: 'error-chunk', afterChunks: 1, message: echo } });
    errors.push(await rejectionOf((async () => {
      for await (const _chunk of provider.streamExecute(chat('[[chunks:4]] leak?')) as AsyncIterable<ChatCompletionChunk>) { /* drain */ }
    })()));

    const texts = [
      ...errors.flatMap((error) => [String(error), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), (error as Error).stack ?? '']),
      JSON.stringify(records),
      JSON.stringify(provider.stats()),
      JSON.stringify(validation),
    ];
    assert.ok(records.length >= 10);
    for (const text of texts) {
      assert.ok(!text.includes(SECRET), `the key leaked into: ${text.slice(0, 300)}`);
      assert.ok(!text.includes('5f1e2d3c4b5a'), `part of the key leaked into: ${text.slice(0, 300)}`);
    }
    // The server's message is still readable, with the key blanked.
    assert.match(String((errors[0] as Error).message), /Invalid credentials: Bearer \[REDACTED\]/);
  });

  it('keeps working when an onRequest listener throws', async () => {
    provider.onRequest(() => {
      throw new Error('listener bug');
    });
    const completion = await provider.execute(chat('still fine'));
    assert.match(String(completion.choices[0]?.message.content), /still fine/);
    assert.equal(records.length, 1, 'the other listeners still heard about it');
  });

  it('stops telling a listener once it is disposed', async () => {
    const heard: RequestRecord[] = [];
    const dispose = provider.onRequest((record) => heard.push(record));
    await provider.validateConfig();
    dispose();
    await provider.validateConfig();
    assert.equal(heard.length, 1);
    assert.equal(records.length, 2);
  });
});

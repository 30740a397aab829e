import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../index';
import { buildCatalogue, countTokens } from '../models';
import { breakpointPrefixes, PromptCache } from '../promptCache';
import { auth, send } from '../rawClient';

const cachingModel = 'anthropic/claude-sonnet-4.5';
const noCachePriceModel = 'anthropic/claude-sonnet-4';
const document = `File: src/pool.ts\n\`\`\`ts\n${'export const pool = new Pool({ connections: 10 });\n'.repeat(200)}\`\`\``;

function messages(question: string, doc = document): unknown[] {
  return [{ role: 'user', content: [{ type: 'text', text: doc, cache_control: { type: 'ephemeral' } }, { type: 'text', text: question }] }];
}

describe('emulator prompt cache', () => {
  const catalogue = buildCatalogue();
  const model = (id: string) => catalogue.find((m) => m.id === id)!;

  it('writes a breakpoint prefix the first time, reads it when the same model sends it again, until it expires', () => {
    let now = 1_000;
    const cache = new PromptCache(300_000, () => now);
    const tokens = countTokens(document);
    assert.deepEqual(cache.apply(model(cachingModel), messages('first?')), { cachedTokens: 0, writeTokens: tokens });
    assert.deepEqual(cache.apply(model(cachingModel), messages('second?')), { cachedTokens: tokens, writeTokens: 0 }, 'another question after the same prefix');
    assert.deepEqual(cache.apply(model('anthropic/claude-opus-4.1'), messages('other model?')), { cachedTokens: 0, writeTokens: tokens }, 'caches are per model');
    assert.deepEqual(cache.apply(model(cachingModel), messages('changed?', `${document} `)).cachedTokens, 0, 'a changed prefix misses');
    now += 300_001;
    assert.equal(cache.apply(model(cachingModel), messages('later?')).cachedTokens, 0, 'expired after five minutes unused');
  });

  it('never caches without breakpoints, or for a model without cache prices', () => {
    const cache = new PromptCache();
    const plain = [{ role: 'user', content: document }];
    assert.deepEqual(cache.apply(model(cachingModel), plain), { cachedTokens: 0, writeTokens: 0 });
    cache.apply(model(noCachePriceModel), messages('a'));
    assert.deepEqual(cache.apply(model(noCachePriceModel), messages('b')), { cachedTokens: 0, writeTokens: 0 });
  });

  it('a prefix covers the messages before the breakpoint, and earlier turns extend it', () => {
    const conversation = [{ role: 'system', content: 'Be brief.' }, ...messages('q')];
    assert.deepEqual(breakpointPrefixes(conversation), [`Be brief.\n${document}`]);
  });

  describe('over HTTP', () => {
    let emulator: Emulator;
    before(async () => {
      emulator = await startEmulator({ generationReadyAfterMs: 50 });
    });
    after(() => emulator.close());

    async function ask(question: string): Promise<{ usage: { prompt_tokens: number; cost: number; cost_details: { upstream_inference_prompt_cost: number }; prompt_tokens_details: { cached_tokens: number; cache_write_tokens: number } }; generation: Record<string, unknown> }> {
      const res = await send(emulator.origin, { path: '/api/v1/chat/completions', headers: auth(), body: { model: cachingModel, messages: messages(question) } });
      assert.equal(res.status, 200, res.body);
      const body = JSON.parse(res.body) as { id: string; usage: never };
      for (;;) {
        const stats = await send(emulator.origin, { path: `/api/v1/generation?id=${body.id}`, headers: auth() });
        if (stats.status === 200) return { usage: body.usage, generation: (JSON.parse(stats.body) as { data: Record<string, unknown> }).data };
        assert.equal(stats.status, 404);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it('reports cached tokens in usage and the saving as the generation’s cache_discount on the repeat', async () => {
      const prices = model(cachingModel).pricing;
      const first = await ask('What does the pool do?');
      const tokens = countTokens(document);
      assert.equal(first.usage.prompt_tokens_details.cached_tokens, 0);
      assert.equal(first.usage.prompt_tokens_details.cache_write_tokens, tokens);
      assert.ok((first.generation.cache_discount as number) < 0, 'writing costs extra');

      const second = await ask('And how many connections?');
      assert.equal(second.usage.prompt_tokens_details.cached_tokens, tokens);
      assert.equal(second.generation.native_tokens_cached, tokens);
      const saved = tokens * (Number(prices.prompt) - Number(prices.input_cache_read));
      assert.ok(Math.abs((second.generation.cache_discount as number) - saved) < 1e-9, `${String(second.generation.cache_discount)} ≈ ${saved}`);
      const promptCost = (second.usage.prompt_tokens - tokens) * Number(prices.prompt) + tokens * Number(prices.input_cache_read);
      assert.ok(Math.abs(second.usage.cost_details.upstream_inference_prompt_cost - promptCost) < 1e-9, 'cached tokens are billed at the cache read price');
    });
  });
});

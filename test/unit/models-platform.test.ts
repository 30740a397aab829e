import assert from 'node:assert/strict';
import type { ChatSession } from '../../src/chat/chatSession';
import { modelDetailRows } from '../../src/models/modelDetail';
import { baseModelId, presetModelId, variantsOf } from '../../src/models/modelVariants';
import type { OpenRouterProvider } from '../../src/openrouter';
import type { Model } from '../../src/openrouter/types';
import type { AssistantTurn } from '../../src/protocols/chat';
import { statsParts } from '../../src/webview/chat/format';
import type { Emulator } from '../emulator';
import { TEST_KEY } from '../emulator/accounts';
import { useChatSessionRig } from './fixtures/chatSessionRig';

describe('models as OpenRouter offers them: the account’s list, providers, routers, variants, presets (loopback emulator)', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  let session: ChatSession;
  let selected = 'openrouter/auto';

  const rig = useChatSessionRig({ folderPrefix: 'models-platform-', deps: () => ({ selectedModel: () => selected }) });
  beforeEach(() => ({ emulator, provider, session } = rig()));

  it('/models/user leaves out what the account’s settings exclude, and needs a key', async () => {
    const all = await provider.listModels();
    emulator.setKey(TEST_KEY, { limit: 10, limit_remaining: 7.5, usage: 2.5, ignored_providers: ['Mistral'] });
    try {
      const mine = await provider.listUserModels();
      assert.ok(mine.length > 0 && mine.length < all.length);
      assert.ok(!mine.some((m) => m.id.startsWith('mistralai/')), 'no model served by an ignored provider');
      assert.ok(all.some((m) => m.id.startsWith('mistralai/')));
    } finally {
      emulator.setKey(TEST_KEY, { limit: 10, limit_remaining: 7.5, usage: 2.5 });
    }
    const anonymous = await fetch(`${emulator.baseUrl}/models/user`);
    assert.equal(anonymous.status, 401);
  });

  it('the picker’s detail lists each provider with its price, context, uptime, latency and throughput, and the variants', async () => {
    const model = (await provider.listModels()).find((m) => m.id === 'openai/gpt-4o-mini')!;
    const endpoints = await provider.getModelEndpoints(model.id);
    assert.ok(endpoints.endpoints.length >= 1);
    const rows = modelDetailRows(model, endpoints);
    const providers = rows.slice(rows.findIndex((r) => r.separator && r.label.startsWith('Providers')) + 1);
    assert.equal(providers.length, endpoints.endpoints.length);
    const first = providers[0]!;
    assert.equal(first.label, 'OpenAI');
    assert.match(first.description!, /^\$[\d.]+\/M in · \$[\d.]+\/M out · \d+K context/);
    assert.match(first.detail!, /uptime 100\.0% · latency \d+ ms \(median\) · \d+ tok\/s \(median\) · last 30 min/);
    const variants = rows.filter((r) => r.modelId).map((r) => r.modelId);
    assert.deepEqual(variants, ['openai/gpt-4o-mini:nitro', 'openai/gpt-4o-mini:floor', 'openai/gpt-4o-mini:exacto', 'openai/gpt-4o-mini:online']);
    await assert.rejects(provider.getModelEndpoints('nobody/nothing'), /Model not found/);
  });

  it('offers :exacto only to models that call tools, and nothing to routers', () => {
    const model = (id: string, parameters: string[]): Model => ({ id, name: id, supported_parameters: parameters }) as Model;
    assert.ok(!variantsOf(model('a/b', ['temperature'])).some((v) => v.suffix === ':exacto'));
    assert.equal(variantsOf(model('openrouter/auto', ['tools'])).length, 0);
    assert.equal(baseModelId('openai/gpt-4o:nitro'), 'openai/gpt-4o');
    assert.equal(baseModelId('meta-llama/llama-3.3-70b-instruct:free'), 'meta-llama/llama-3.3-70b-instruct:free');
    assert.deepEqual(presetModelId('@preset/code-review'), { id: '@preset/code-review' });
    assert.deepEqual(presetModelId('code-review'), { id: '@preset/code-review' });
    assert.ok(presetModelId('bad slug!').problem);
  });

  it('an answer from a router names the model that answered', async () => {
    selected = 'openrouter/auto';
    await session.send('fix this typescript function');
    await session.idle;
    const turn = session.current.turns[1] as AssistantTurn;
    assert.equal(turn.model, 'openrouter/auto');
    assert.equal(turn.stats?.model, 'anthropic/claude-sonnet-4.5');
    assert.ok(statsParts(turn.stats!, turn.model).some((p) => p.startsWith('answered by anthropic/claude-sonnet-4.5')));
    const billed = emulator.generations().find((g) => g.id === turn.generationId)!;
    assert.equal(turn.stats?.costUsd, billed.total_cost, 'billed at the price of the model that answered');
  });
});

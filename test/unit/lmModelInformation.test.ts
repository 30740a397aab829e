import assert from 'node:assert/strict';
import { formatPrice, modelFamily, modelLimits, toModelInformation, toModelInformationList } from '../../src/lm/modelInformation';
import type { Model } from '../../src/openrouter/types';
import { buildCatalogue } from '../emulator/models';

const sonnet: Model = {
  id: 'anthropic/claude-sonnet-4.5',
  canonical_slug: 'anthropic/claude-4.5-sonnet-20250929',
  name: 'Anthropic: Claude Sonnet 4.5',
  description: 'Claude Sonnet 4.5 is Anthropic’s most advanced Sonnet model to date. It is optimized for real-world agents and coding workflows.',
  context_length: 1_000_000,
  architecture: { modality: 'text+image->text', input_modalities: ['text', 'image', 'file'], output_modalities: ['text'] },
  pricing: { prompt: '0.000003', completion: '0.000015' },
  top_provider: { context_length: 1_000_000, max_completion_tokens: 64_000, is_moderated: true },
  supported_parameters: ['max_tokens', 'tools', 'tool_choice', 'reasoning'],
};

describe('model information for the editor’s chat', () => {
  it('describes a model with its name, family, version, limits, capabilities and price', () => {
    const info = toModelInformation(sonnet);
    assert.ok(info);
    assert.equal(info.id, 'anthropic/claude-sonnet-4.5');
    assert.equal(info.name, 'Anthropic: Claude Sonnet 4.5');
    assert.equal(info.family, 'claude-sonnet-4.5');
    assert.equal(info.version, 'anthropic/claude-4.5-sonnet-20250929');
    assert.equal(info.maxOutputTokens, 64_000);
    assert.equal(info.maxInputTokens, 936_000);
    assert.deepEqual(info.capabilities, { imageInput: true, toolCalling: true });
    assert.equal(info.detail, '$3.00 / $15.00 per 1M tokens');
    assert.match(info.tooltip, /Price: \$3.00 \/ \$15.00 per 1M tokens/);
    assert.match(info.tooltip, /Context: 1M tokens, up to 64K out/);
    assert.match(info.tooltip, /Supports: images, tools, reasoning/);
  });

  it('reports a text-only model without tools as such', () => {
    const info = toModelInformation({ ...sonnet, architecture: { input_modalities: ['text'], output_modalities: ['text'] }, supported_parameters: ['max_tokens'] });
    assert.deepEqual(info?.capabilities, { imageInput: false, toolCalling: false });
  });

  it('assumes a quarter of the context (at most 32K) for output when the model states no completion limit', () => {
    assert.deepEqual(modelLimits({ id: 'a/b', context_length: 128_000, top_provider: { max_completion_tokens: null } }), { contextTokens: 128_000, maxInputTokens: 96_000, maxOutputTokens: 32_000 });
    assert.deepEqual(modelLimits({ id: 'a/b', context_length: 1_000_000, top_provider: { max_completion_tokens: null } }), { contextTokens: 1_000_000, maxInputTokens: 967_232, maxOutputTokens: 32_768 });
    assert.deepEqual(modelLimits({ id: 'a/b', context_length: 8192, top_provider: null }), { contextTokens: 8192, maxInputTokens: 6144, maxOutputTokens: 2048 });
  });

  it('keeps at least half the context for input when the completion limit equals the whole context', () => {
    assert.deepEqual(modelLimits({ id: 'a/b', context_length: 131_072, top_provider: { max_completion_tokens: 131_072 } }), { contextTokens: 131_072, maxInputTokens: 65_536, maxOutputTokens: 131_072 });
  });

  it('falls back to the provider’s context, then to 32K, when the model states none', () => {
    assert.equal(modelLimits({ id: 'a/b', context_length: null, top_provider: { context_length: 65_536, max_completion_tokens: 4096 } }).maxInputTokens, 61_440);
    assert.deepEqual(modelLimits({ id: 'a/b' }), { contextTokens: 32_768, maxInputTokens: 24_576, maxOutputTokens: 8192 });
  });

  it('prints prices per million tokens, free models as Free and routers as variable', () => {
    assert.equal(formatPrice({ prompt: '0.00000015', completion: '0.0000006' }), '$0.15 / $0.60 per 1M tokens');
    assert.equal(formatPrice({ prompt: '0', completion: '0' }), 'Free');
    assert.equal(formatPrice({ prompt: '-1', completion: '-1' }), 'Variable price');
    assert.equal(formatPrice(null), 'Variable price');
  });

  it('names the family without vendor and variant, so :free and :thinking variants share it', () => {
    assert.equal(modelFamily('meta-llama/llama-3.3-70b-instruct:free'), 'llama-3.3-70b-instruct');
    assert.equal(modelFamily('openrouter/auto'), 'auto');
  });

  it('leaves out models that cannot answer in text and repeated ids', () => {
    const painter: Model = { id: 'openai/gpt-5-image', architecture: { output_modalities: ['image'] } };
    const list = toModelInformationList([sonnet, painter, sonnet]);
    assert.deepEqual(list.map((m) => m.id), [sonnet.id]);
  });

  it('marks only the user’s default model as selectable without enabling it first', () => {
    const list = toModelInformationList([sonnet, { ...sonnet, id: 'openai/gpt-5' }], { defaultModelId: 'openai/gpt-5' });
    assert.deepEqual(list.map((m) => m.isUserSelectable), [undefined, true]);
  });

  it('gives every model of the emulator’s catalogue positive limits that fit its context', () => {
    const catalogue = buildCatalogue();
    // Through JSON, as the catalogue reaches the extension.
    const list = toModelInformationList(JSON.parse(JSON.stringify(catalogue)) as Model[]);
    const textModels = catalogue.filter((m) => m.architecture.output_modalities.includes('text'));
    assert.equal(list.length, textModels.length);
    for (const info of list) {
      const model = catalogue.find((m) => m.id === info.id);
      assert.ok(model);
      assert.ok(info.maxInputTokens > 0 && info.maxOutputTokens > 0, info.id);
      assert.ok(info.maxInputTokens <= model.context_length, info.id);
      assert.equal(info.capabilities.toolCalling, model.supported_parameters.includes('tools'), info.id);
      assert.equal(info.capabilities.imageInput, model.architecture.input_modalities.includes('image'), info.id);
      if (model.top_provider.max_completion_tokens !== null) assert.equal(info.maxOutputTokens, model.top_provider.max_completion_tokens, info.id);
    }
  });
});

import assert from 'node:assert/strict';
import {
  formatAge,
  formatContextLength,
  formatModality,
  formatModelDetail,
  formatPricePerMillion,
  isFreeModel,
  modelDisplayName,
} from '../../src/models/modelFormat';
import type { Model } from '../../src/openrouter/types';

const model = (over: Partial<Model>): Model => ({ id: 'vendor/model', ...over });

describe('modelFormat', () => {
  describe('price per million tokens', () => {
    it('turns per-token strings into dollars per million', () => {
      assert.equal(formatPricePerMillion('0.00000015'), '$0.15');
      assert.equal(formatPricePerMillion('0.000003'), '$3');
      assert.equal(formatPricePerMillion('0.0000025'), '$2.5');
      assert.equal(formatPricePerMillion('0.00015'), '$150');
    });

    it('keeps two significant digits for sub-cent prices', () => {
      assert.equal(formatPricePerMillion('0.0000000012'), '$0.0012');
    });

    it('says "free" for a zero price', () => {
      assert.equal(formatPricePerMillion('0'), 'free');
      assert.equal(formatPricePerMillion('0.0'), 'free');
    });

    it('says "?" for missing, negative or garbage prices', () => {
      for (const raw of [undefined, null, '', 'abc', '-1', '1e', {}, 'NaN']) assert.equal(formatPricePerMillion(raw), '?', String(raw));
    });
  });

  describe('context length', () => {
    it('rounds to K and M', () => {
      assert.equal(formatContextLength(128_000), '128K');
      assert.equal(formatContextLength(32_768), '33K');
      assert.equal(formatContextLength(1_000_000), '1M');
      assert.equal(formatContextLength(1_048_576), '1M');
      assert.equal(formatContextLength(2_000_000), '2M');
      assert.equal(formatContextLength(1_500_000), '1.5M');
      assert.equal(formatContextLength(512), '512');
    });

    it('says "?" when unknown', () => {
      for (const raw of [null, undefined, 0, -5, '128000']) assert.equal(formatContextLength(raw), '?');
    });
  });

  it('knows a free model by its zero prices or its :free suffix', () => {
    assert.equal(isFreeModel(model({ pricing: { prompt: '0', completion: '0' } })), true);
    assert.equal(isFreeModel(model({ id: 'meta-llama/llama-3.3-70b-instruct:free', pricing: null })), true);
    assert.equal(isFreeModel(model({ pricing: { prompt: '0', completion: '0.000001' } })), false);
    assert.equal(isFreeModel(model({ pricing: null })), false);
  });

  it('shows modalities as inputs→outputs', () => {
    assert.equal(formatModality(model({ architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] } })), 'text+image→text');
    assert.equal(formatModality(model({ architecture: { modality: 'text->text' } })), 'text→text');
    assert.equal(formatModality(model({})), '?');
  });

  it('builds one detail line with prices, context and modality', () => {
    const detail = formatModelDetail(
      model({
        pricing: { prompt: '0.00000015', completion: '0.0000006' },
        context_length: 128_000,
        architecture: { input_modalities: ['text'], output_modalities: ['text'] },
      }),
    );
    assert.equal(detail, '$0.15/M in · $0.6/M out · 128K context · text→text');
    assert.match(formatModelDetail(model({ pricing: { prompt: '0', completion: '0' }, context_length: 8192 })), /^free · 8K context/);
  });

  it('falls back to the id when a model has no name', () => {
    assert.equal(modelDisplayName({ id: 'a/b', name: '  ' }), 'a/b');
    assert.equal(modelDisplayName({ id: 'a/b', name: 'Model B' }), 'Model B');
  });

  it('says how old the cache is', () => {
    assert.equal(formatAge(5_000), 'just now');
    assert.equal(formatAge(5 * 60_000), '5 min ago');
    assert.equal(formatAge(3 * 3_600_000), '3 h ago');
    assert.equal(formatAge(3 * 86_400_000), '3 days ago');
  });
});

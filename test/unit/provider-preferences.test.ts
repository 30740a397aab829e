import assert from 'node:assert/strict';
import { buildRouting, defaultRoutingSettings, parseRoutingOverrides, parseRoutingSettings } from '../../src/routing';

describe('a chat’s finer provider choices (quantizations, max price, speed, required parameters)', () => {
  const context = { model: 'openai/gpt-4o-mini' };

  it('turns into the provider object OpenRouter documents', () => {
    const { value, problems } = parseRoutingOverrides({ quantizations: ['FP8', 'bf16'], maxPriceIn: 1, maxPriceOut: 2, minThroughput: 50, maxLatency: 1.5, requireParameters: true, only: ['openai'] });
    assert.deepEqual(problems, []);
    assert.deepEqual(buildRouting(defaultRoutingSettings, value, context).provider, {
      only: ['openai'],
      quantizations: ['fp8', 'bf16'],
      max_price: { prompt: 1, completion: 2 },
      preferred_min_throughput: 50,
      preferred_max_latency: 1.5,
      require_parameters: true,
    });
  });

  it('sends nothing for zero or unset values, and reports values OpenRouter would refuse', () => {
    assert.equal(buildRouting(defaultRoutingSettings, { maxPriceIn: 0, minThroughput: 0 }, context).provider, undefined);
    const { value, problems } = parseRoutingOverrides({ quantizations: ['q3', 'int8'], maxPriceOut: -1, maxLatency: 'fast', requireParameters: 'yes' });
    assert.deepEqual(value, { quantizations: ['int8'] });
    assert.equal(problems.length, 4, problems.join(' | '));
  });

  it('are never read from settings: a workspace cannot set them', () => {
    const { value } = parseRoutingSettings({ maxPriceIn: 100, quantizations: ['int4'], webSearch: true, pdfEngine: 'mistral-ocr' });
    assert.deepEqual(value, defaultRoutingSettings);
  });
});

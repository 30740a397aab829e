import assert from 'node:assert/strict';
import { buildRouting, defaultRoutingSettings, modelSupportsReasoning, newSessionId, parseRoutingOverrides, parseRoutingSettings } from '../../src/routing';
import type { RoutingSettings } from '../../src/routing';

const model = 'anthropic/claude-sonnet-4.5';

function settings(overrides: Partial<RoutingSettings> = {}): RoutingSettings {
  return { ...defaultRoutingSettings, ...overrides };
}

describe('routing options', () => {
  it('sends nothing when the settings are untouched, so OpenRouter keeps its defaults', () => {
    assert.deepEqual(buildRouting(settings(), undefined, { model }), {});
  });

  it('sends every configured provider preference under `provider`', () => {
    const fields = buildRouting(
      settings({ sort: 'throughput', order: ['anthropic', 'google-vertex'], only: ['anthropic', 'google-vertex', 'amazon-bedrock'], ignore: ['deepinfra'], allowFallbacks: false, dataCollection: 'deny', zeroDataRetention: true }),
      undefined,
      { model },
    );
    assert.deepEqual(fields.provider, {
      sort: 'throughput',
      order: ['anthropic', 'google-vertex'],
      only: ['anthropic', 'google-vertex', 'amazon-bedrock'],
      ignore: ['deepinfra'],
      allow_fallbacks: false,
      data_collection: 'deny',
      zdr: true,
    });
  });

  it('puts the chosen model first in `models`, followed by the fallbacks without repeating it', () => {
    const fields = buildRouting(settings({ fallbackModels: ['openai/gpt-5', model, 'google/gemini-2.5-pro'] }), undefined, { model });
    assert.deepEqual(fields.models, [model, 'openai/gpt-5', 'google/gemini-2.5-pro']);
  });

  it('sends no `models` when the only fallback is the chosen model itself', () => {
    assert.equal(buildRouting(settings({ fallbackModels: [model] }), undefined, { model }).models, undefined);
  });

  it('sends the reasoning effort to reasoning models and to models of unknown ability, never to others', () => {
    const configured = settings({ reasoningEffort: 'high' });
    assert.deepEqual(buildRouting(configured, undefined, { model, supportsReasoning: true }).reasoning, { effort: 'high' });
    assert.deepEqual(buildRouting(configured, undefined, { model }).reasoning, { effort: 'high' });
    assert.equal(buildRouting(configured, undefined, { model, supportsReasoning: false }).reasoning, undefined);
    assert.equal(buildRouting(settings(), undefined, { model, supportsReasoning: true }).reasoning, undefined);
  });

  it('lets a chat override single settings and keeps the others', () => {
    const fields = buildRouting(settings({ sort: 'price', ignore: ['deepinfra'] }), { sort: 'latency', ignore: undefined }, { model });
    assert.deepEqual(fields.provider, { sort: 'latency', ignore: ['deepinfra'] });
  });

  it('lets a chat turn a setting off again', () => {
    const fields = buildRouting(settings({ sort: 'price', zeroDataRetention: true, fallbackModels: ['openai/gpt-5'] }), { sort: 'none', zeroDataRetention: false, fallbackModels: [] }, { model });
    assert.deepEqual(fields, {});
  });

  it('sends the session id trimmed and cut to OpenRouter’s 128 characters', () => {
    assert.equal(buildRouting(settings(), undefined, { model, sessionId: '  chat-1  ' }).session_id, 'chat-1');
    assert.equal(buildRouting(settings(), undefined, { model, sessionId: 'x'.repeat(300) }).session_id?.length, 128);
    assert.equal(buildRouting(settings(), undefined, { model, sessionId: '   ' }).session_id, undefined);
  });

  it('does not share arrays with the settings (a request body edited later cannot change them)', () => {
    const configured = settings({ order: ['anthropic'] });
    const fields = buildRouting(configured, undefined, { model });
    fields.provider?.order?.push('openai');
    assert.deepEqual(configured.order, ['anthropic']);
  });
});

describe('routing settings validation', () => {
  it('takes defaults for missing values without complaint', () => {
    assert.deepEqual(parseRoutingSettings({}), { value: defaultRoutingSettings, problems: [] });
    assert.deepEqual(parseRoutingSettings(undefined).value, defaultRoutingSettings);
  });

  it('reports an unknown sort and falls back to none', () => {
    const { value, problems } = parseRoutingSettings({ sort: 'cheapest' });
    assert.equal(value.sort, 'none');
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /openrouter\.routing\.sort: "cheapest" is not one of none, price, throughput, latency/);
  });

  it('trims provider names, drops blanks and duplicates (ignoring case), reports non-strings', () => {
    const { value, problems } = parseRoutingSettings({ order: [' anthropic ', '', 'Anthropic', 42, 'openai'] });
    assert.deepEqual(value.order, ['anthropic', 'openai']);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /order: 42 is not a name/);
  });

  it('rejects fallback models that are not vendor/model ids', () => {
    const { value, problems } = parseRoutingSettings({ fallbackModels: ['openai/gpt-5', 'gpt-5', 'meta llama/x', 'openai/gpt-4o:free'] });
    assert.deepEqual(value.fallbackModels, ['openai/gpt-5', 'openai/gpt-4o:free']);
    assert.equal(problems.length, 2);
  });

  it('reports wrong types for booleans and lists instead of guessing', () => {
    const { value, problems } = parseRoutingSettings({ allowFallbacks: 'no', zeroDataRetention: 1, ignore: 'deepinfra', dataCollection: 'never', reasoningEffort: 'max' });
    assert.deepEqual(value, defaultRoutingSettings);
    assert.equal(problems.length, 5);
  });

  it('warns when a provider is both required and ignored', () => {
    const { problems } = parseRoutingSettings({ only: ['Together', 'openai'], ignore: ['together'] });
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /Together is both in "only" and "ignore"/);
  });

  it('keeps only the fields a chat override sets', () => {
    assert.deepEqual(parseRoutingOverrides({ sort: 'price', reasoningEffort: 'low' }).value, { sort: 'price', reasoningEffort: 'low' });
    assert.deepEqual(parseRoutingOverrides('price'), { value: {}, problems: ['Routing options must be an object; ignored.'] });
  });
});

describe('session ids and reasoning support', () => {
  it('gives each new conversation a different id within OpenRouter’s length limit', () => {
    const a = newSessionId();
    const b = newSessionId();
    assert.notEqual(a, b);
    assert.ok(a.length <= 128);
  });

  it('reads reasoning support from supported_parameters, unknown when absent', () => {
    assert.equal(modelSupportsReasoning(['tools', 'reasoning']), true);
    assert.equal(modelSupportsReasoning(['include_reasoning']), true);
    assert.equal(modelSupportsReasoning(['tools']), false);
    assert.equal(modelSupportsReasoning(null), undefined);
  });
});

import assert from 'node:assert/strict';
import { consentSettingNames, formatPerMillion, judgeWorkspaceValue, showValue, valueKey } from '../../src/config/workspaceConsentRules';
import type { JudgeContext } from '../../src/config/workspaceConsentRules';

// USD per token, prompt + completion: $0.75, $18 and $90 per 1M tokens.
const prices: Record<string, number> = { 'openai/gpt-4o-mini': 0.75e-6, 'anthropic/claude-sonnet-4.5': 18e-6, 'anthropic/claude-opus-4': 90e-6, 'mistralai/codestral-2508': 1.2e-6 };
const context: JudgeContext = { priceOf: (id) => prices[id], userModel: 'openai/gpt-4o-mini' };

const judge = (name: string, user: unknown, workspace: unknown, ctx = context) => judgeWorkspaceValue(`openrouter.${name}`, user, workspace, ctx);
const verdict = (name: string, user: unknown, workspace: unknown, ctx = context) => judge(name, user, workspace, ctx).verdict;

describe('what a workspace may change without asking', () => {
  it('covers the models, the routing and the completion settings that spend or share', () => {
    for (const name of ['defaultModel', 'completions.model', 'completions.languages', 'completions.debounceMs', 'routing.dataCollection', 'routing.zeroDataRetention', 'routing.allowFallbacks', 'routing.only', 'routing.order', 'routing.ignore', 'routing.sort', 'routing.fallbackModels', 'routing.reasoningEffort']) {
      assert.ok(consentSettingNames.includes(`openrouter.${name}`), name);
    }
  });

  it('asks before a dearer model, naming the price difference per 1M tokens', () => {
    const dearer = judge('defaultModel', 'openai/gpt-4o-mini', 'anthropic/claude-opus-4');
    assert.equal(dearer.verdict, 'riskier');
    assert.match(dearer.effect, /costs \$89\.25 more per 1M tokens/);
    assert.equal(verdict('completions.model', 'mistralai/codestral-2508', 'anthropic/claude-sonnet-4.5'), 'riskier');
  });

  it('applies a cheaper model silently, and asks when either price is unknown', () => {
    assert.equal(verdict('defaultModel', 'anthropic/claude-opus-4', 'openai/gpt-4o-mini'), 'safer');
    assert.equal(verdict('defaultModel', 'openai/gpt-4o-mini', 'openai/gpt-4o-mini'), 'same');
    const unknown = judge('defaultModel', 'openai/gpt-4o-mini', 'someone/mystery-model');
    assert.equal(unknown.verdict, 'riskier');
    assert.match(unknown.effect, /price unknown/);
    assert.equal(verdict('defaultModel', 'someone/mystery-model', 'openai/gpt-4o-mini'), 'riskier', 'the user’s own price unknown: nothing to compare with');
    assert.equal(verdict('defaultModel', 'openai/gpt-4o-mini', 42), 'riskier');
  });

  it('treats data collection allowed, zero data retention off and fallbacks allowed as sharing or costing more', () => {
    assert.equal(verdict('routing.dataCollection', 'deny', 'allow'), 'riskier');
    assert.match(judge('routing.dataCollection', 'deny', 'allow').effect, /store or train/);
    assert.equal(verdict('routing.dataCollection', 'allow', 'deny'), 'safer');
    assert.equal(verdict('routing.dataCollection', 'deny', 'nonsense'), 'riskier', 'a value the parser would replace by the default is not let through');
    assert.equal(verdict('routing.zeroDataRetention', true, false), 'riskier');
    assert.equal(verdict('routing.zeroDataRetention', false, true), 'safer');
    assert.equal(verdict('routing.zeroDataRetention', true, 'false'), 'riskier');
    assert.equal(verdict('routing.allowFallbacks', false, true), 'riskier');
    assert.equal(verdict('routing.allowFallbacks', true, false), 'safer');
  });

  it('lets provider lists narrow where data goes, and asks before they widen it', () => {
    assert.equal(verdict('routing.only', [], ['anthropic']), 'safer');
    assert.equal(verdict('routing.only', ['anthropic', 'google-vertex'], ['Anthropic']), 'safer');
    assert.equal(verdict('routing.only', ['anthropic'], ['anthropic', 'deepinfra']), 'riskier');
    assert.equal(verdict('routing.only', ['anthropic'], []), 'riskier');
    assert.equal(verdict('routing.ignore', ['deepinfra'], ['deepinfra', 'together']), 'safer');
    assert.match(judge('routing.ignore', ['deepinfra', 'together'], ['together']).effect, /stops ignoring deepinfra/);
    assert.equal(verdict('routing.order', [], ['deepinfra']), 'riskier');
    assert.equal(verdict('routing.order', ['anthropic', 'google-vertex'], ['google-vertex']), 'same');
    assert.equal(verdict('routing.only', [], 'anthropic'), 'riskier', 'not a list');
  });

  it('asks before a speed sort replaces sorting by price, and lets price sorting in', () => {
    assert.equal(verdict('routing.sort', 'none', 'throughput'), 'riskier');
    assert.equal(verdict('routing.sort', 'price', 'none'), 'riskier');
    assert.equal(verdict('routing.sort', 'throughput', 'price'), 'safer');
    assert.equal(verdict('routing.sort', 'latency', 'throughput'), 'same');
  });

  it('asks before a higher reasoning effort than the user’s, `default` counting as medium', () => {
    assert.equal(verdict('routing.reasoningEffort', 'default', 'xhigh'), 'riskier');
    assert.equal(verdict('routing.reasoningEffort', 'low', 'default'), 'riskier');
    assert.equal(verdict('routing.reasoningEffort', 'high', 'low'), 'safer');
    assert.equal(verdict('routing.reasoningEffort', 'default', 'medium'), 'same');
  });

  it('lets fallback models in that cost no more than the user’s own model, and names the dearer ones', () => {
    assert.equal(verdict('routing.fallbackModels', [], ['openai/gpt-4o-mini']), 'same');
    const dearer = judge('routing.fallbackModels', [], ['openai/gpt-4o-mini', 'anthropic/claude-opus-4']);
    assert.equal(dearer.verdict, 'riskier');
    assert.match(dearer.effect, /anthropic\/claude-opus-4 \(\$89\.25 more per 1M tokens\)/);
    assert.equal(verdict('routing.fallbackModels', ['anthropic/claude-opus-4'], ['anthropic/claude-sonnet-4.5']), 'same', 'cheaper than the user’s own fallback');
    assert.equal(verdict('routing.fallbackModels', [], ['someone/mystery-model']), 'riskier');
    assert.equal(verdict('routing.fallbackModels', ['anthropic/claude-opus-4', 'openai/gpt-4o-mini'], ['openai/gpt-4o-mini']), 'safer');
  });

  it('asks before completions are turned on for a language the user leaves off, or asked for sooner', () => {
    const user = { '*': true, markdown: false, plaintext: false };
    const on = judge('completions.languages', user, { ...user, markdown: true });
    assert.equal(on.verdict, 'riskier');
    assert.match(on.effect, /markdown/);
    assert.equal(verdict('completions.languages', user, { ...user, python: false }), 'safer');
    assert.equal(verdict('completions.languages', { '*': false, python: true }, { '*': true, python: true }), 'riskier');
    assert.equal(verdict('completions.debounceMs', 200, 50), 'riskier');
    assert.equal(verdict('completions.debounceMs', 200, 400), 'safer');
    assert.equal(verdict('completions.debounceMs', 200, '50'), 'riskier');
  });

  it('remembers a value by its content, whatever the order of an object’s keys', () => {
    assert.equal(valueKey({ b: false, a: true }), valueKey({ a: true, b: false }));
    assert.notEqual(valueKey(['a', 'b']), valueKey(['b', 'a']));
  });

  it('shows a repository’s value as plain, short text', () => {
    assert.equal(showValue('[click](command:openrouter.setApiKey)'), '?click??command:openrouter.setApiKey?');
    assert.ok(showValue('x'.repeat(500)).length <= 80);
    assert.equal(showValue(undefined), 'the default');
    assert.equal(showValue([]), 'none');
    for (const effect of [
      judge('routing.order', [], ['[open](command:openrouter.setApiKey)']).effect,
      judge('routing.only', ['a'], ['a', '[x](https://example.com)']).effect,
      judge('routing.fallbackModels', [], ['evil/[x](command:y)']).effect,
      judge('completions.languages', { '*': false }, { '*': false, '[x](command:y)': true }).effect,
    ]) {
      assert.doesNotMatch(effect, /[[\]]|\(command|\(https/, effect);
    }
    assert.equal(formatPerMillion(89.25e-6), '$89.25');
    assert.equal(formatPerMillion(150e-6), '$150');
  });
});

import assert from 'node:assert/strict';
import { CompletionCache } from '../../src/completions/completionCache';
import { defaultCompletionSettings, languageEnabled, parseCompletionSettings } from '../../src/completions/completionConfig';
import { completionModelItems, suitsCompletions } from '../../src/completions/completionModels';
import { CompletionSpend, describeSpend } from '../../src/completions/completionSpend';
import type { Model } from '../../src/openrouter/types';

const model = (id: string, prompt: string, completion = prompt): Model => ({ id, name: id, context_length: 256_000, pricing: { prompt, completion }, architecture: { input_modalities: ['text'], output_modalities: ['text'] } });

describe('completion settings', () => {
  it('is off by default, with a fast code model, 200 ms of debounce and 30 requests a minute', () => {
    const { value, problems } = parseCompletionSettings({});
    assert.deepEqual(value, defaultCompletionSettings);
    assert.equal(value.enabled, false);
    assert.equal(value.model, 'mistralai/codestral-2508');
    assert.deepEqual(problems, []);
  });

  it('reports a bad value by its full name and uses the default', () => {
    const { value, problems } = parseCompletionSettings({ enabled: 'yes', debounceMs: -5, maxRequestsPerMinute: 1e9, model: 'no spaces allowed', languages: ['python'] });
    assert.equal(value.enabled, false, 'only true turns it on');
    assert.equal(value.debounceMs, 200);
    assert.equal(value.maxRequestsPerMinute, 30);
    assert.equal(value.model, 'mistralai/codestral-2508');
    assert.deepEqual(value.languages, defaultCompletionSettings.languages);
    assert.equal(problems.length, 4);
    assert.ok(problems.every((p) => p.startsWith('openrouter.completions.')));
  });

  it('switches languages by id, `*` for the rest', () => {
    const { value } = parseCompletionSettings({ languages: { '*': false, python: true, go: 'on' } });
    assert.equal(languageEnabled(value.languages, 'python'), true);
    assert.equal(languageEnabled(value.languages, 'typescript'), false);
    assert.equal(languageEnabled(value.languages, 'go'), false, 'a non-boolean entry is ignored');
    assert.equal(languageEnabled(defaultCompletionSettings.languages, 'markdown'), false);
    assert.equal(languageEnabled(defaultCompletionSettings.languages, 'rust'), true);
    assert.equal(languageEnabled({}, 'rust'), true);
  });
});

describe('completion model picker', () => {
  it('offers code models, fill-in-the-middle ones first, then by price, with prices and the latency measured here', () => {
    const models = [
      model('openai/gpt-4o', '0.0000025'),
      model('qwen/qwen3-coder', '0.0000002'),
      model('mistralai/codestral-2508', '0.0000003', '0.0000009'),
      model('x-ai/grok-code-fast-1', '0.0000002'),
      model('qwen/qwen-2.5-coder-32b-instruct', '0.00000004'),
    ];
    const items = completionModelItems(models, 'mistralai/codestral-2508', (id) => (id === 'mistralai/codestral-2508' ? 312.4 : undefined));
    assert.deepEqual(items.map((i) => i.modelId), ['qwen/qwen-2.5-coder-32b-instruct', 'mistralai/codestral-2508', 'qwen/qwen3-coder', 'x-ai/grok-code-fast-1']);
    const codestral = items[1];
    assert.match(codestral?.label ?? '', /^\$\(check\) /, 'the current model is marked');
    assert.match(codestral?.description ?? '', /fill-in-the-middle/);
    assert.match(codestral?.detail ?? '', /\$0\.3\/M in · \$0\.9\/M out · 256K context/);
    assert.match(codestral?.detail ?? '', /312 ms median here/);
    assert.match(items[2]?.description ?? '', /chat prompt/);
  });

  it('keeps the current model in the list even when it is not a code model', () => {
    const items = completionModelItems([model('openai/gpt-4o', '0.0000025')], 'openai/gpt-4o', () => undefined);
    assert.deepEqual(items.map((i) => i.modelId), ['openai/gpt-4o']);
    assert.equal(suitsCompletions(model('openai/gpt-4o', '0')), false);
    assert.equal(suitsCompletions(model('mistralai/devstral-small', '0')), true);
  });
});

describe('completion cache', () => {
  const at = (prefix: string, suffix = '') => ({ documentKey: 'a.ts', offset: prefix.length, prefix, suffix });

  it('keeps the newest 50 and forgets the oldest', () => {
    const cache = new CompletionCache(50);
    for (let i = 0; i < 60; i++) cache.add(at(`line ${i} `), `middle ${i}`);
    assert.equal(cache.size, 50);
    assert.equal(cache.lookup(at('line 5 ')), undefined);
    assert.equal(cache.lookup(at('line 59 ')), 'middle 59');
  });

  it('does not answer for another document, other text before the cursor, or a changed suffix', () => {
    const cache = new CompletionCache();
    cache.add(at('const x = ', ';'), 'compute()');
    assert.equal(cache.lookup({ ...at('const x = ', ';'), documentKey: 'b.ts' }), undefined);
    assert.equal(cache.lookup(at('const y = ', ';')), undefined);
    assert.equal(cache.lookup(at('const x = ', ' + 1;')), undefined);
    assert.equal(cache.lookup(at('const x = com', ';')), 'pute()');
    assert.equal(cache.lookup(at('const x = compute()', ';')), undefined, 'nothing left once all of it is typed');
    assert.equal(cache.lookup(at('const x = cx', ';')), undefined, 'typed something else');
  });
});

describe('completion spend', () => {
  it('counts every request, the cancelled ones, and sums the cost OpenRouter reported', () => {
    const spend = new CompletionSpend();
    const seen: number[] = [];
    spend.onDidChange((s) => seen.push(s.requests));
    const base = { model: 'm', generationId: 'gen-1', cancelled: false, failed: false, latencyMs: 100 };
    spend.record({ ...base, usage: { prompt_tokens: 500, completion_tokens: 12, total_tokens: 512, cost: 0.00016 } });
    spend.record({ ...base, usage: undefined, cancelled: true });
    spend.record({ ...base, usage: { prompt_tokens: 400, completion_tokens: 8, total_tokens: 408, cost: 0.00012 } });
    const snapshot = spend.snapshot;
    assert.equal(snapshot.requests, 3);
    assert.equal(snapshot.cancelled, 1);
    assert.equal(snapshot.costed, 2);
    assert.equal(snapshot.promptTokens, 900);
    assert.ok(Math.abs(snapshot.costUsd - 0.00028) < 1e-12);
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(describeSpend(snapshot), '3 requests (1 cancelled), $0.000280');
  });
});

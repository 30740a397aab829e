// The pure rules the chat and the agent loop share: a model's limits read one way, tool results cut before
// they are sent, older turns split off whole (a tool call never apart from its result), and the efforts a
// model takes from its catalogue metadata.
import assert from 'node:assert/strict';
import { capToolResults, planContextFit, withoutOlder, withSummary, fitsLimit } from '../../src/answer';
import { modelLimits, promptBudget } from '../../src/models/modelLimits';
import { effortFor, offeredEfforts } from '../../src/models/reasoningEfforts';
import { estimateMessagesTokens } from '../../src/models/tokenEstimate';
import { sendEstimate } from '../../src/chat/attachments/sendEstimate';
import type { ChatMessage, Model } from '../../src/openrouter/types';

const words = (n: number): string => 'word '.repeat(n);

describe('Context fit, model limits and reasoning efforts (pure)', () => {
  it("reads the input budget from the model's context_length, not the top provider's, and the output from max_completion_tokens", () => {
    const model: Model = { id: 'a/b', context_length: 1_000_000, top_provider: { context_length: 32_000, max_completion_tokens: 64_000 } };
    assert.deepEqual(modelLimits(model), { contextTokens: 1_000_000, maxInputTokens: 936_000, maxOutputTokens: 64_000 });
    assert.equal(promptBudget(model, 4096), 1_000_000 - 4096, 'a request leaves room for the output it names');
    assert.equal(promptBudget(model, undefined), 936_000);
  });

  it('cuts a tool result of megabytes to its share of the budget, keeping its start and end and telling the model', () => {
    const huge = `START ${'x'.repeat(2_000_000)} END`;
    const { messages, cut } = capToolResults([{ role: 'tool', tool_call_id: 'c1', content: huge }], 5000);
    assert.equal(cut, 1);
    const text = String(messages[0]!.content);
    assert.ok(text.length < 30_000, `${text.length} characters`);
    assert.ok(text.startsWith('START ') && text.endsWith(' END'));
    assert.match(text, /characters of this result were left out/);
  });

  it('splits older turns off at a question, never between a tool call and its result, and keeps the latest question', () => {
    const call = { id: 'c1', type: 'function' as const, function: { name: 'read_file', arguments: '{"path":"a.ts"}' } };
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are an agent.' },
      { role: 'user', content: words(800) },
      { role: 'assistant', content: null, tool_calls: [call], reasoning_details: [{ type: 'reasoning.text', text: 'thinking', signature: 's' }] },
      { role: 'tool', tool_call_id: 'c1', content: words(800) },
      { role: 'assistant', content: words(400) },
      { role: 'user', content: 'next step' },
      { role: 'assistant', content: null, tool_calls: [{ ...call, id: 'c2' }] },
      { role: 'tool', tool_call_id: 'c2', content: words(100) },
    ];
    const plan = planContextFit(messages, { budgetTokens: 1500 });
    assert.equal(plan.fits, false);
    assert.deepEqual(plan.head.map((m) => m.role), ['system']);
    assert.deepEqual(plan.older.map((m) => m.role), ['user', 'assistant', 'tool', 'assistant']);
    assert.deepEqual(plan.recent.map((m) => m.role), ['user', 'assistant', 'tool'], 'the last question with its own tool call and result');
    const condensed = withSummary(plan, 'The user asked for a.ts; it was read.');
    assert.ok(fitsLimit(condensed, plan));
    assert.deepEqual(condensed.map((m) => m.role), ['system', 'user', 'assistant', 'user', 'assistant', 'tool']);
    assert.ok(estimateMessagesTokens(withoutOlder(plan)) <= plan.limit);
  });

  it('a request that fits is left exactly as it is', () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'hello' }];
    const plan = planContextFit(messages, { budgetTokens: 1000 });
    assert.equal(plan.fits, true);
    assert.deepEqual(plan.messages, messages);
  });

  it("offers the efforts a model's metadata lists, `none` only where reasoning is not mandatory, and sends the nearest one it takes", () => {
    const optional: Model = { id: 'a/b', supported_parameters: ['reasoning'], reasoning: { mandatory: false, supported_efforts: ['high', 'medium', 'low'] } };
    assert.deepEqual(offeredEfforts(optional), ['none', 'low', 'medium', 'high']);
    const mandatory: Model = { id: 'a/c', supported_parameters: ['reasoning'], reasoning: { mandatory: true, supported_efforts: ['high', 'medium', 'low'] } };
    assert.deepEqual(offeredEfforts(mandatory), ['low', 'medium', 'high']);
    const everything: Model = { id: 'a/d', supported_parameters: ['reasoning'], reasoning: { mandatory: false, supported_efforts: null } };
    assert.deepEqual(offeredEfforts(everything), ['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
    assert.deepEqual(offeredEfforts({ id: 'a/e', supported_parameters: ['tools'] }), []);
    assert.equal(effortFor('xhigh', offeredEfforts(optional)), 'high');
    assert.equal(effortFor('minimal', offeredEfforts(optional)), 'low');
    assert.equal(effortFor('none', offeredEfforts(mandatory)), undefined, 'a model that must reason gets its own default');
  });

  it("the composer's estimate says the older turns will be condensed (or left out) when the conversation outgrows the model but the question fits", () => {
    const model: Model = { id: 'v/small', name: 'Vendor: Small', context_length: 4000, top_provider: { max_completion_tokens: 1000 } };
    const messages: ChatMessage[] = [
      { role: 'user', content: words(2000) },
      { role: 'assistant', content: words(2000) },
      { role: 'user', content: 'and now?' },
    ];
    const condense = sendEstimate({ modelId: model.id, model, messages, newImages: 0, cacheableAttachments: 0, overflow: 'condense' });
    assert.match(condense.contextWarning!, /older turns will first be condensed into a summary/);
    const drop = sendEstimate({ modelId: model.id, model, messages, newImages: 0, cacheableAttachments: 0, overflow: 'drop' });
    assert.match(drop.contextWarning!, /oldest turns will be left out/);
    const alone = sendEstimate({ modelId: model.id, model, messages: [{ role: 'user', content: words(4000) }], newImages: 0, cacheableAttachments: 0 });
    assert.match(alone.contextWarning!, /Remove attachments, start a new chat/);
  });
});

// Reasoning details through the answer pipeline and the emulator, in both directions: each provider family's
// shapes streamed and in the non-streamed message, a tool turn answered when they come back unmodified, and
// refused like Anthropic and Gemini 3 refuse it when they were lost or altered.
import assert from 'node:assert/strict';
import { assistantMessage, ReasoningDetailsCollector, runAnswer, type AnswerFigures, type ReasoningDetail } from '../../src/answer';
import { ToolCallAssembler } from '../../src/answer/toolCalls';
import { OpenRouterProvider } from '../../src/openrouter';
import { OpenRouterError } from '../../src/openrouter/errors';
import type { ChatMessage, ChatRequest, ToolCall } from '../../src/openrouter/types';
import { startEmulator, type Emulator } from '../emulator';
import { TEST_KEY } from '../emulator/accounts';
import { silentLog } from '../support/silentLog';

const tools: ChatRequest['tools'] = [{ type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }];

interface Answer {
  figures: AnswerFigures;
  content: string;
  details: ReasoningDetail[];
  toolCalls: ToolCall[];
}

describe('Reasoning details: kept, sent back unmodified, and demanded by the models that need them (emulator)', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let provider: OpenRouterProvider;

  before(async () => {
    emulator = await startEmulator({ generationReadyAfterMs: 0 });
    provider = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl: emulator.baseUrl, maxRetries: 0 });
  });
  after(async () => {
    await provider.close();
    await emulator.close();
  });
  beforeEach(() => emulator.reset());

  async function answer(request: ChatRequest): Promise<Answer> {
    const details = new ReasoningDetailsCollector();
    const calls = new ToolCallAssembler();
    let content = '';
    const run = runAnswer(
      { provider: () => provider, log: silentLog },
      { source: 'chat', request },
      { onContent: (text) => (content += text), onReasoningDetails: (d) => details.push(d), onToolCalls: (d) => calls.push(d) },
    );
    const figures = await run.ended;
    const toolCalls = calls.finish().map((c) => ({ id: c.callId, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.input) } }));
    return { figures, content, details: details.details(), toolCalls };
  }

  const ask = (model: string, text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ model, messages: [{ role: 'user', content: text }], reasoning: { effort: 'low' }, ...extra });

  async function unstreamed(request: ChatRequest): Promise<ChatMessage> {
    const completion = await provider.execute({ ...request, stream: false });
    return completion.choices[0]!.message;
  }

  it("streams each provider's shapes (signed text, summary plus encrypted, Gemini's thought signature) and the non-streamed message carries the same whole blocks", async () => {
    const anthropic = await answer(ask('anthropic/claude-sonnet-4.5', 'plan the release'));
    assert.equal(anthropic.details.length, 1);
    assert.equal(anthropic.details[0]!.type, 'reasoning.text');
    assert.equal(anthropic.details[0]!.format, 'anthropic-claude-v1');
    assert.match(String(anthropic.details[0]!.text), /^Thinking about: plan the release/);
    assert.equal(typeof anthropic.details[0]!.signature, 'string', 'the signature comes with the last piece');
    assert.deepEqual(((await unstreamed(ask('anthropic/claude-sonnet-4.5', 'plan the release'))).reasoning_details as ReasoningDetail[]).map((d) => d.type), ['reasoning.text']);

    const openai = await answer(ask('openai/gpt-5', 'plan the release'));
    assert.deepEqual(openai.details.map((d) => d.type), ['reasoning.summary', 'reasoning.encrypted']);
    assert.match(String(openai.details[0]!.summary), /^Thinking about:/);
    assert.equal(typeof openai.details[1]!.data, 'string');

    const gemini = await answer(ask('google/gemini-3-pro-preview', 'please use tool on a.ts', { tools }));
    assert.deepEqual(gemini.details.map((d) => d.type), ['reasoning.text', 'reasoning.encrypted']);
    assert.equal(gemini.details[1]!.id, gemini.toolCalls[0]!.id, "Gemini's thought signature belongs to its tool call");

    // The same request unstreamed carries exactly what the collector rebuilt from the pieces (signatures are per generation).
    const message = await unstreamed(ask('openai/gpt-5', 'plan the release'));
    const blocks = message.reasoning_details as ReasoningDetail[];
    assert.deepEqual(blocks.map((d) => [d.type, d.summary ?? null, d.format]), openai.details.map((d) => [d.type, d.summary ?? null, d.format]));
  });

  for (const model of ['anthropic/claude-sonnet-4.5', 'google/gemini-3-pro-preview']) {
    it(`${model}: a tool turn sent back with its reasoning_details unmodified is answered; lost or altered, it is refused with the provider's 400`, async () => {
      const question: ChatMessage = { role: 'user', content: 'please use tool on README.md' };
      const first = await answer({ ...ask(model, ''), messages: [question], tools });
      assert.equal(first.figures.finishReason, 'tool_calls');
      assert.ok(first.details.length > 0);
      const result: ChatMessage = { role: 'tool', tool_call_id: first.toolCalls[0]!.id, content: '# Readme' };
      const followUp = (assistant: ChatMessage): ChatRequest => ({ ...ask(model, ''), messages: [question, assistant, result], tools });

      const kept = await answer(followUp(assistantMessage('', first.toolCalls, first.details)));
      assert.equal(kept.figures.status, 'done');
      assert.match(kept.content, /^Tool result: # Readme/);

      const lost = await answer(followUp(assistantMessage('', first.toolCalls)));
      assert.equal(lost.figures.status, 'error');
      const error = lost.figures.error as OpenRouterError;
      assert.ok(error instanceof OpenRouterError);
      assert.equal(error.status, 400);
      const raw = String((error.metadata as { raw?: unknown } | undefined)?.raw);
      assert.match(raw, model.startsWith('google/') ? /missing a thought_signature/ : /Expected `thinking` or `redacted_thinking`/);

      const altered = first.details.map((d, i) => (i === 0 ? { ...d, text: `${String(d.text)} (edited)` } : d));
      const refused = await answer(followUp(assistantMessage('', first.toolCalls, altered)));
      assert.equal((refused.figures.error as OpenRouterError | undefined)?.status, 400, 'an altered block is refused too');
    });
  }

  it('a model that does not demand its reasoning back answers a tool turn without it', async () => {
    const question: ChatMessage = { role: 'user', content: 'please use tool on README.md' };
    const first = await answer({ ...ask('openai/gpt-5', ''), messages: [question], tools });
    assert.ok(first.details.length > 0);
    const lost = await answer({ ...ask('openai/gpt-5', ''), messages: [question, assistantMessage('', first.toolCalls), { role: 'tool', tool_call_id: first.toolCalls[0]!.id, content: 'ok' }], tools });
    assert.equal(lost.figures.status, 'done');
  });

  it('rebuilds whole blocks from pieces: text joined by index, the signature kept, a new index a new block', () => {
    const collector = new ReasoningDetailsCollector();
    collector.push([{ type: 'reasoning.text', text: 'Think', index: 0, format: 'anthropic-claude-v1' }]);
    collector.push([{ type: 'reasoning.text', text: 'ing.', index: 0, signature: null }]);
    collector.push([{ type: 'reasoning.text', text: '', index: 0, signature: 'sig' }, { type: 'reasoning.encrypted', data: 'abc', index: 1 }]);
    collector.push(['not a block', null]);
    assert.deepEqual(collector.details(), [
      { type: 'reasoning.text', text: 'Thinking.', index: 0, format: 'anthropic-claude-v1', signature: 'sig' },
      { type: 'reasoning.encrypted', data: 'abc', index: 1 },
    ]);
  });
});

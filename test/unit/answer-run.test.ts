import assert from 'node:assert/strict';
import { runAnswer, type AnswerDeps, type AnswerFigures, type AnswerObserver, type RetryNotice } from '../../src/answer';
import { OpenRouterProvider } from '../../src/openrouter';
import type { ChatMessage, ChatRequest, ToolCallDelta } from '../../src/openrouter/types';
import type { GenerationRecord } from '../../src/usage/usageTypes';
import { startEmulator, type Emulator } from '../emulator';
import { TEST_KEY } from '../emulator/accounts';
import { silentLog } from '../support/silentLog';


/** One answer's callbacks and records, with a wait for whatever the test needs to have happened. */
class Listener implements AnswerObserver {
  content = '';
  reasoning = '';
  readonly order: string[] = [];
  readonly toolCalls: ToolCallDelta[] = [];
  readonly retries: RetryNotice[] = [];
  readonly records: GenerationRecord[] = [];
  ended: AnswerFigures | undefined;
  finishReason: string | undefined;
  processing = 0;
  private waiters: Array<() => void> = [];

  onContent(text: string): void {
    this.content += text;
    this.order.push('content');
    this.wake();
  }
  onReasoning(text: string): void {
    this.reasoning += text;
    this.order.push('reasoning');
  }
  onToolCalls(deltas: readonly ToolCallDelta[]): void {
    this.toolCalls.push(...deltas);
  }
  onRetry(retry: RetryNotice): void {
    this.retries.push(retry);
  }
  onProcessing(): void {
    this.processing++;
  }
  onFinishReason(reason: string): void {
    this.finishReason = reason;
  }
  onEnd(figures: AnswerFigures): void {
    this.ended = figures;
  }

  async until(test: () => boolean): Promise<void> {
    while (!test()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

describe('One answer pipeline (chat, Compare Models, VS Code chat) against the emulator', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  let retrying: OpenRouterProvider;

  before(async () => {
    emulator = await startEmulator({ generationReadyAfterMs: 0 });
    provider = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl: emulator.baseUrl, maxRetries: 0 });
    retrying = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl: emulator.baseUrl, maxRetries: 1, retryBaseDelayMs: 5, retryMaxDelayMs: 20 });
  });
  after(async () => {
    await provider.close();
    await retrying.close();
    await emulator.close();
  });
  beforeEach(() => emulator.reset());

  function deps(listener: Listener, overrides: Partial<AnswerDeps> = {}): AnswerDeps {
    return { provider: () => provider, record: (record) => void listener.records.push(record), log: silentLog, generationRetryDelaysMs: [20, 20, 20, 20, 20], ...overrides };
  }
  const ask = (text: string, model = 'openai/gpt-4o-mini', extra: Partial<ChatRequest> = {}): ChatRequest => ({ model, messages: [{ role: 'user', content: text }], ...extra });
  const generationLookups = (): number => emulator.requests().filter((r) => r.path.startsWith('/generation')).length;

  it('streams the answer in pieces and reports the model, provider, tokens, cost and times the usage chunk gave; no /generation call', async () => {
    const listener = new Listener();
    const run = runAnswer(deps(listener), { source: 'chat', request: ask('[[chunks:6]] hello'), prompt: 'hello' }, listener);
    const figures = await run.settled;
    const generation = emulator.generations()[0]!;
    assert.equal(listener.order.filter((o) => o === 'content').length, 6);
    assert.equal(figures.status, 'done');
    assert.equal(figures.source, 'usage');
    assert.equal(figures.generationId, generation.id);
    assert.equal(figures.model, generation.model);
    assert.equal(figures.provider, generation.provider_name);
    assert.equal(figures.costUsd, generation.total_cost);
    assert.equal(figures.completionTokens, generation.tokens_completion);
    assert.equal(figures.finishReason, 'stop');
    assert.ok(figures.timeToFirstTokenMs! >= 0 && figures.timeToFirstTokenMs! <= figures.durationMs!, 'first token before the end');
    assert.equal(generationLookups(), 0, 'the usage chunk had the bill');
    assert.deepEqual(
      listener.records.map((r) => [r.source, r.status, r.generationId, r.costUsd, r.model, r.prompt]),
      [['chat', 'done', generation.id, generation.total_cost, generation.model, 'hello']],
      'recorded once, with the source and the prompt',
    );
  });

  it('keeps cached tokens as reported, 0 included, in the figures and the record', async () => {
    const listener = new Listener();
    const figures = await runAnswer(deps(listener), { source: 'compare', request: ask('no cache here') }, listener).settled;
    assert.equal(figures.cachedTokens, 0);
    assert.equal(listener.records[0]!.cachedTokens, 0);
  });

  it('asks /generation for what the prompt cache saved when the cache was read', async () => {
    const document = 'export function handler(request: Request): Response { return new Response("ok"); }\n'.repeat(80);
    const messages = (question: string): ChatMessage[] => [
      { role: 'user', content: [{ type: 'text', text: document, cache_control: { type: 'ephemeral' } }, { type: 'text', text: question }] },
    ];
    const model = 'anthropic/claude-sonnet-4.5';
    const first = new Listener();
    const written = await runAnswer(deps(first), { source: 'chat', request: { model, messages: messages('one') } }, first).settled;
    assert.ok(written.cacheWriteTokens! > 0);
    const second = new Listener();
    const read = await runAnswer(deps(second), { source: 'chat', request: { model, messages: messages('two') } }, second).settled;
    assert.equal(read.source, 'generation');
    assert.ok(read.cachedTokens! > 1000, `cached tokens: ${read.cachedTokens}`);
    assert.ok(read.cacheDiscountUsd! > 0, 'the saving only /generation knows');
    assert.equal(second.records[0]!.costUsd, emulator.generations()[1]!.total_cost);
  });

  it('stop() ends the answer at once as stopped, closes the stream, and bills it from /generation, recorded once', async () => {
    const listener = new Listener();
    const run = runAnswer(deps(listener), { source: 'compare', request: ask('long answer', 'emulator/long') }, listener);
    await listener.until(() => listener.content.length > 0);
    run.stop();
    assert.equal(listener.ended?.status, 'stopped', 'ended the moment Stop was pressed');
    assert.equal(run.isStreaming, false);
    const figures = await run.settled;
    const generation = emulator.generations()[0]!;
    assert.equal(generation.cancelled, true, 'the emulator saw the stream cancelled');
    assert.equal(figures.status, 'stopped');
    assert.equal(figures.source, 'generation');
    assert.equal(figures.costUsd, generation.total_cost);
    assert.deepEqual(listener.records.map((r) => [r.status, r.costUsd]), [['stopped', generation.total_cost]]);
  });

  it('the caller’s own signal (an editor cancellation) stops it too, never an error', async () => {
    const listener = new Listener();
    const controller = new AbortController();
    const run = runAnswer(deps(listener), { source: 'vscode-chat', request: ask('long', 'emulator/long'), signal: controller.signal }, listener);
    await listener.until(() => listener.content.length > 0);
    controller.abort();
    const figures = await run.settled;
    assert.equal(figures.status, 'stopped');
    assert.equal(figures.error, undefined);
  });

  it('a mid-stream error ends it as an error with the error, keeps what arrived, and bills it from /generation', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'error-chunk', afterChunks: 3, message: 'Provider disconnected' } });
    const listener = new Listener();
    const figures = await runAnswer(deps(listener), { source: 'chat', request: ask('[[chunks:10]] hi') }, listener).settled;
    assert.equal(figures.status, 'error');
    assert.match(String((figures.error as Error).message), /Provider disconnected/);
    assert.ok(listener.content.length > 0, 'the text before the error arrived');
    assert.equal(figures.source, 'generation');
    assert.deepEqual(listener.records.map((r) => r.status), ['error']);
  });

  it('a request refused before any model answered (402) ends as an error and is not recorded: it cost nothing', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 402, message: 'Insufficient credits' } });
    const listener = new Listener();
    const figures = await runAnswer(deps(listener), { source: 'chat', request: ask('hi') }, listener).settled;
    assert.equal(figures.status, 'error');
    assert.equal(figures.source, 'unavailable');
    assert.deepEqual(listener.records, []);
  });

  it('says why an attempt is retried: the kind of failure and OpenRouter’s words, in one line', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 503, message: 'No provider available' } });
    const listener = new Listener();
    const figures = await runAnswer(deps(listener, { provider: () => retrying }), { source: 'compare', request: ask('hi') }, listener).settled;
    assert.equal(figures.status, 'done');
    assert.equal(listener.retries.length, 1);
    assert.equal(listener.retries[0]!.attempt, 1);
    assert.match(listener.retries[0]!.reason, /^HTTP 503 .*: No provider available$/);
  });

  it('passes reasoning, then content, and tool-call pieces with the finish reason; the first token counts from the reasoning', async () => {
    const listener = new Listener();
    const request = ask('please use tool now', 'emulator/echo', {
      reasoning: { effort: 'low' },
      tools: [{ type: 'function', function: { name: 'lookup', description: 'Looks up', parameters: { type: 'object', properties: { query: { type: 'string' } } } } }],
    });
    const figures = await runAnswer(deps(listener), { source: 'chat', request }, listener).settled;
    assert.match(listener.reasoning, /Thinking about/);
    assert.equal(listener.order[0], 'reasoning');
    assert.ok(listener.toolCalls.length > 1, 'arguments arrive in pieces');
    assert.equal(listener.toolCalls[0]!.function?.name, 'lookup');
    assert.equal(listener.finishReason, 'tool_calls');
    assert.equal(figures.finishReason, 'tool_calls');
    assert.ok(figures.timeToFirstTokenMs !== undefined);
  });

  it('a callback that throws ends the answer as an error carrying what it threw', async () => {
    const thrown = new Error('the caller could not use that piece');
    const listener = new Listener();
    listener.onContent = () => {
      throw thrown;
    };
    const figures = await runAnswer(deps(listener), { source: 'vscode-chat', request: ask('hi') }, listener).settled;
    assert.equal(figures.status, 'error');
    assert.equal(figures.error, thrown);
  });

  it('records nothing when the feature goes away before /generation answered', async () => {
    const lifetime = new AbortController();
    const listener = new Listener();
    const run = runAnswer(deps(listener, { lifetime: lifetime.signal, generationRetryDelaysMs: [60_000] }), { source: 'chat', request: ask('long', 'emulator/long') }, listener);
    await listener.until(() => listener.content.length > 0);
    run.stop();
    lifetime.abort();
    await run.settled;
    assert.deepEqual(listener.records, []);
  });
});

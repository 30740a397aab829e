import assert from 'node:assert/strict';
import { runAnswer, type AnswerDeps, type AnswerFigures } from '../../src/answer';
import { answerStats } from '../../src/chat/answerStats';
import { OpenRouterProvider } from '../../src/openrouter';
import type { ChatRequest } from '../../src/openrouter/types';
import { webSearchTool } from '../../src/routing';
import { statsParts } from '../../src/webview/chat/format';
import { startEmulator, type Emulator } from '../emulator';
import type { EmulatedGeneration } from '../emulator/types';
import { silentLog } from '../support/silentLog';

const document = `File: src/pool.ts\n\`\`\`ts\n${'export const pool = new Pool({ connections: 10 });\n'.repeat(200)}\`\`\``;

describe('the cost shown is the bill, for each part of it (loopback emulator generations)', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  let deps: AnswerDeps;

  before(async () => {
    emulator = await startEmulator({ generationReadyAfterMs: 30, chunkDelayMs: 2 });
    provider = new OpenRouterProvider({ apiKey: 'sk-or-v1-test', baseUrl: emulator.baseUrl, maxRetries: 0 });
    deps = { provider: () => provider, log: silentLog, generationRetryDelaysMs: [30, 60, 120, 240, 480] };
  });
  after(async () => {
    await provider.close();
    await emulator.close();
  });
  beforeEach(() => emulator.reset());

  /** Runs the answer to its settled figures; `stopAfter` stops it after that many content pieces. */
  async function answer(request: ChatRequest, stopAfter?: number): Promise<{ figures: AnswerFigures; billed: EmulatedGeneration & Record<string, unknown> }> {
    let pieces = 0;
    const run = runAnswer(deps, { source: 'chat', request }, { onContent: () => ++pieces === stopAfter && run.stop() });
    const figures = await run.settled;
    const billed = emulator.generations().find((g) => g.id === figures.generationId) as EmulatedGeneration & Record<string, unknown>;
    assert.ok(billed, 'the emulator billed a generation');
    return { figures, billed };
  }

  it('cache writes, then cache reads', async () => {
    const request = (q: string): ChatRequest => ({ model: 'anthropic/claude-sonnet-4.5', messages: [{ role: 'user', content: [{ type: 'text', text: document, cache_control: { type: 'ephemeral' } }, { type: 'text', text: `[[chunks:5]] ${q}` }] }] });
    const write = await answer(request('first?'));
    assert.ok(write.figures.cacheWriteTokens! > 0);
    assert.equal(write.figures.costUsd, write.billed.total_cost);
    const read = await answer(request('second?'));
    assert.ok(read.figures.cachedTokens! > 0);
    assert.equal(read.figures.costUsd, read.billed.total_cost);
    assert.ok(read.figures.costUsd! < write.figures.costUsd!, 'reading the cache costs less than writing it');
  });

  it('reasoning tokens', async () => {
    const { figures, billed } = await answer({ model: 'deepseek/deepseek-r1', messages: [{ role: 'user', content: 'think' }], reasoning: { effort: 'low' } });
    assert.ok(figures.reasoningTokens! > 0);
    assert.equal(figures.reasoningTokens, billed['native_tokens_reasoning']);
    assert.equal(figures.costUsd, billed.total_cost);
  });

  it('web search', async () => {
    const { figures, billed } = await answer({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: '[[searches:2]] news' }], tools: [webSearchTool()] });
    assert.equal(figures.webSearches, 2);
    assert.equal(figures.costUsd, billed.total_cost);
  });

  it('your own provider key: the upstream charge is added to OpenRouter fee', async () => {
    emulator.setKey('sk-or-v1-test', { limit: 10, limit_remaining: 7.5, usage: 2.5, byok_providers: ['OpenAI'] });
    const { figures, billed } = await answer({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
    const upstream = billed['upstream_inference_cost'] as number;
    assert.ok(upstream > 0 && billed['is_byok'] === true);
    assert.equal(figures.byokUpstreamUsd, upstream);
    assert.ok(Math.abs(figures.costUsd! - (billed.total_cost + upstream)) < 1e-12, 'OpenRouter fee plus the provider charge');
    assert.ok(statsParts(answerStats(figures)).some((p) => p.includes('billed to your provider key')));
    emulator.setKey('sk-or-v1-test', { limit: 10, limit_remaining: 7.5, usage: 2.5 });
  });

  it('a stop: a provider that keeps generating bills the whole answer, and the chat says so; another bills what was sent', async () => {
    const ask = (model: string): ChatRequest => ({ model, messages: [{ role: 'user', content: '[[chunks:60]] go' }] });
    const mistral = await answer(ask('mistralai/mistral-large-2411'), 2);
    assert.equal(mistral.figures.status, 'stopped');
    assert.equal(mistral.billed.tokens_completion, 60, 'billed in full');
    assert.equal(mistral.figures.costUsd, mistral.billed.total_cost);
    assert.match(answerStats(mistral.figures).afterStop!, /Mistral keeps generating after a stop and bills the whole answer/);
    const openai = await answer(ask('openai/gpt-4o-mini'), 2);
    assert.ok(openai.billed.tokens_completion < 60, 'billed for what was sent');
    assert.equal(openai.figures.costUsd, openai.billed.total_cost);
    assert.match(answerStats(openai.figures).afterStop!, /OpenAI stopped billing/);
  });
});

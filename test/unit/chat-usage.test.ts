import assert from 'node:assert/strict';
import type { ChatSession } from '../../src/chat/chatSession';
import type { OpenRouterProvider } from '../../src/openrouter';
import type { GenerationStats } from '../../src/openrouter/types';
import { lookUpGeneration } from '../../src/usage/generationLookup';
import type { GenerationRecord } from '../../src/usage/usageTypes';
import type { ExtensionMessage } from '../../src/protocols/chat';
import type { Emulator } from '../emulator';
import { useChatSessionRig } from './fixtures/chatSessionRig';

const model = 'openai/gpt-4o-mini';

describe('chat session: budget guard and usage record (loopback emulator)', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  let posted: ExtensionMessage[];
  let records: GenerationRecord[];
  let recorded: (() => void) | undefined;
  let allow: boolean;
  let allowWith: (() => Promise<boolean>) | undefined;
  let asked: number;
  let session: ChatSession;

  const rig = useChatSessionRig({
    emulator: { generationReadyAfterMs: 200 },
    folderPrefix: 'chat-usage-',
    deps: () => ({
      confirmSend: () => {
        asked++;
        return allowWith ? allowWith() : Promise.resolve(allow);
      },
      onGeneration: (record) => {
        records.push(record);
        recorded?.();
      },
      generationRetryDelaysMs: [100, 200, 300, 400, 500, 800],
    }),
  });
  beforeEach(() => {
    records = [];
    allow = true;
    allowWith = undefined;
    asked = 0;
    ({ emulator, provider, posted, session } = rig());
  });

  const nextRecord = (): Promise<GenerationRecord> =>
    new Promise((resolve) => {
      if (records.length > 0) return resolve(records[records.length - 1]!);
      recorded = () => resolve(records[records.length - 1]!);
    });

  /** What the emulator bills for the generation (404 until it is ready, as OpenRouter does). */
  async function generation(id: string): Promise<GenerationStats> {
    const stats = await lookUpGeneration((gid, options) => provider.getGenerationStats(gid, options), id, undefined, [100, 200, 300, 400, 500]);
    assert.ok(stats, `/generation knows ${id}`);
    return stats;
  }

  it('declining the budget question sends nothing and hands the text back', async () => {
    allow = false;
    await session.send('[[chunks:3]] expensive question');
    assert.equal(asked, 1);
    assert.equal(emulator.requests().filter((r) => r.path === '/chat/completions').length, 0, 'the emulator saw no request');
    const rejected = posted.find((m) => m.type === 'sendRejected');
    assert.ok(rejected && rejected.type === 'sendRejected');
    assert.equal(rejected.text, '[[chunks:3]] expensive question', 'the text goes back into the input');
    assert.match(rejected.error.message, /budget/);
    assert.equal(session.current.turns.length, 0);
  });

  it('regenerate and edit-and-resend ask the budget question too; declining keeps the conversation as it was', async () => {
    await session.send('[[chunks:3]] first question');
    await session.idle;
    const before = session.current.turns.map((t) => t.id);
    const answer = session.current.turns[1]!;
    const question = session.current.turns[0]!;
    const sentBefore = emulator.requests().filter((r) => r.path === '/chat/completions').length;
    allow = false;
    asked = 0;
    await session.regenerate(answer.id);
    await session.editAndResend(question.id, '[[chunks:3]] edited question');
    assert.equal(asked, 2, 'one question for each');
    assert.equal(emulator.requests().filter((r) => r.path === '/chat/completions').length, sentBefore, 'no request went out');
    assert.deepEqual(session.current.turns.map((t) => t.id), before, 'the answer and the question are still there');
    assert.equal(posted.filter((m) => m.type === 'sendRejected').length, 2);
  });

  it('two sends while the budget question is open start one answer, not two', async () => {
    let answer: (go: boolean) => void = () => undefined;
    const decision = new Promise<boolean>((resolve) => (answer = resolve));
    allowWith = () => decision;
    const first = session.send('[[chunks:3]] once');
    const second = session.send('[[chunks:3]] twice');
    answer(true);
    await Promise.all([first, second]);
    await session.idle;
    assert.equal(emulator.requests().filter((r) => r.path === '/chat/completions').length, 1);
    const rejected = posted.find((m) => m.type === 'sendRejected');
    assert.ok(rejected && rejected.type === 'sendRejected' && /still streaming/.test(rejected.error.message), 'the second is told why');
  });

  it('records a finished answer with the cost, tokens and provider OpenRouter reported for it', async () => {
    await session.send('[[chunks:5]] hello');
    const record = await nextRecord();
    assert.equal(asked, 1);
    assert.ok(record.generationId);
    const truth = await generation(record.generationId);
    assert.equal(record.source, 'chat');
    assert.equal(record.model, model);
    assert.equal(record.status, 'done');
    assert.equal(record.costUsd, truth.total_cost);
    assert.equal(record.promptTokens, truth.tokens_prompt);
    assert.equal(record.completionTokens, truth.tokens_completion);
    assert.equal(record.provider, truth.provider_name);
    assert.ok(record.latencyMs! > 0);
    assert.equal(record.prompt, '[[chunks:5]] hello', 'the session offers the prompt; the recorder drops it unless opted in');
  });

  it('records a stopped answer once /generation has its cost', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 40 } });
    await session.send('[[chunks:200]] go on');
    while (!posted.some((m) => m.type === 'answerDelta')) await new Promise((resolve) => setImmediate(resolve));
    session.stop();
    const record = await nextRecord();
    assert.equal(record.status, 'stopped');
    const truth = await generation(record.generationId!);
    assert.equal(record.costUsd, truth.total_cost);
    assert.ok(record.completionTokens! > 0 && record.completionTokens! < 200, `a partial count, got ${record.completionTokens}`);
    assert.equal(records.length, 1, 'once');
  });
});

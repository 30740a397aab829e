import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ChatHistory } from '../../src/chat/chatHistory';
import { ChatSession } from '../../src/chat/chatSession';
import { OpenRouterProvider } from '../../src/openrouter';
import type { AssistantTurn, ExtensionMessage } from '../../src/protocols/chat';
import { waitFor } from '../support/waitFor';
import { model, silent, useChatSessionRig } from './chatSessionRig';
import { nodeFileStore } from '../../src/storage/nodeFileStore';

describe('chat session: answers, errors and retries (real provider, loopback emulator)', () => {
  const rig = useChatSessionRig();

  it('streams an answer in pieces and ends it with model, provider, tokens, cost and speed', async () => {
    const sentAt = performance.now();
    await rig.session.send('Hello there');
    const end = await rig.panel.next('answerEnd');
    const elapsedMs = performance.now() - sentAt;
    assert.equal(end.status, 'done');
    const deltas = rig.panel.of('answerDelta');
    assert.ok(deltas.length > 3, `expected several pieces, got ${deltas.length}`);
    assert.match(deltas.map((d) => d.content).join(''), /^You said: Hello there/);
    const stats = end.stats!;
    assert.equal(stats.source, 'usage');
    assert.equal(stats.model, model);
    assert.ok(stats.provider, 'the provider that served it');
    assert.ok(stats.promptTokens! > 0 && stats.completionTokens! > 0);
    assert.ok(stats.costUsd! > 0);
    assert.ok(stats.timeToFirstTokenMs! >= 0 && stats.timeToFirstTokenMs! <= elapsedMs, `first token after ${stats.timeToFirstTokenMs} ms of ${elapsedMs} ms`);
    assert.equal(rig.credits, 1, 'the credits item refreshes after the answer');
    const [user, answer] = rig.panel.of('turnAdded').map((m) => m.turn);
    assert.equal(user!.role, 'user');
    assert.equal(answer!.role, 'assistant');
  });

  it('sends the whole conversation, with the system prompt, on the next turn', async () => {
    await rig.session.setSystemPrompt('Answer in French.');
    await rig.session.send('First question');
    await rig.panel.next('answerEnd');
    await rig.session.send('Second question');
    await rig.panel.next('answerEnd', (m) => m.turnId !== rig.panel.of('answerEnd')[0]!.turnId);
    const messages = rig.lastRequest().messages;
    assert.deepEqual(
      messages.map((m) => m.role),
      ['system', 'user', 'assistant', 'user'],
    );
    assert.equal(messages[0]!.content, 'Answer in French.');
    assert.match(String(messages[2]!.content), /^You said: First question/);
    assert.equal(rig.lastRequest().model, model);
    assert.match(String(rig.lastRequest().session_id), /^chat-/, 'the conversation id is sent as session_id');
  });

  it('a snapshot for a panel being redrawn holds everything posted before it, even when the answer ends meanwhile', async () => {
    rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 15 } });
    await rig.session.send('[[chunks:20]] go on');
    await rig.panel.next('answerDelta');
    // The panel (re)loads and asks for a snapshot; the key read is slow, and the answer goes on and ends meanwhile.
    let release = (): void => {};
    rig.keyRead = new Promise((resolve) => (release = resolve));
    const posting = rig.session.postSnapshot();
    const end = await rig.panel.next('answerEnd');
    release();
    await posting;
    // The panel drops what comes before its snapshot, so the snapshot must already hold all of it.
    const at = rig.panel.messages.findIndex((m) => m.type === 'snapshot');
    const snapshot = (rig.panel.messages[at] as Extract<ExtensionMessage, { type: 'snapshot' }>).snapshot;
    const before = rig.panel.messages.slice(0, at);
    const turn = snapshot.conversation.turns.at(-1) as AssistantTurn;
    assert.equal(turn.id, end.turnId);
    assert.ok(before.includes(end), 'the answer ended before the snapshot was posted');
    assert.equal(turn.status, 'done', 'so the snapshot shows it ended');
    assert.equal(snapshot.busy, false);
    const pieces = before.filter((m): m is Extract<ExtensionMessage, { type: 'answerDelta' }> => m.type === 'answerDelta');
    assert.equal(turn.content, pieces.map((d) => d.content ?? '').join(''), 'every piece posted before the snapshot');
  });

  it('stops at once, keeps the partial answer marked stopped, closes the stream and costs it through /generation', async () => {
    rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 40 } });
    await rig.session.send('[[chunks:200]] go on');
    await rig.panel.next('answerDelta');
    rig.session.stop();
    const end = rig.panel.of('answerEnd')[0];
    assert.ok(end, 'answerEnd is posted synchronously by stop()');
    assert.equal(end.status, 'stopped');
    assert.equal(rig.session.busy, false);
    await waitFor('the emulator to see the stream closed by the client', () => rig.emulator.counters().streamsAbortedByClient === 1);
    const stats = await rig.panel.next('answerStats');
    assert.equal(stats.stats.source, 'generation');
    assert.ok(stats.stats.completionTokens! > 0 && stats.stats.completionTokens! < 200, `a partial count, got ${stats.stats.completionTokens}`);
    assert.equal(typeof stats.stats.costUsd, 'number');
    const generationCalls = rig.emulator.requests().filter((r) => r.path === '/generation');
    assert.ok(generationCalls.length >= 1);
  });

  it('shows a mid-stream error chunk inline and keeps the text received before it', async () => {
    rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'error-chunk', afterChunks: 3, message: 'Upstream provider failed' } });
    await rig.session.send('[[chunks:20]] tell me');
    const end = await rig.panel.next('answerEnd');
    assert.equal(end.status, 'error');
    assert.equal(end.error?.kind, 'stream');
    assert.match(end.error!.message, /Upstream provider failed/);
    assert.ok(rig.panel.of('answerDelta').length >= 1, 'text before the error was shown');
    const turn = rig.session.current.turns[1] as AssistantTurn;
    assert.ok(turn.content.length > 0, 'and kept');
  });

  it('explains a 402 with what to do, and offers to add credits', async () => {
    rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 402, message: 'Insufficient credits' } });
    await rig.session.send('hi');
    const end = await rig.panel.next('answerEnd');
    assert.equal(end.status, 'error');
    assert.equal(end.error?.kind, 'credits');
    assert.equal(end.error?.action?.action, 'openCredits');
    assert.match(end.error!.advice, /free model/);
  });

  it('tells how long a 429 asks to wait', async () => {
    rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 429, retryAfter: '7' } });
    await rig.session.send('hi');
    const end = await rig.panel.next('answerEnd');
    assert.equal(end.error?.kind, 'rate-limit');
    assert.equal(end.error?.retryAfterSeconds, 7);
    assert.ok(Math.abs(end.error!.retryAt! - (Date.now() + 7000)) < 2000, 'the end of the wait, for a countdown');
    assert.match(end.error!.advice, /7 s/);
  });

  it('shows each automatic retry with its attempt, reason and wait, then streams the answer', async () => {
    const retrying = new OpenRouterProvider({ apiKey: 'sk-or-v1-test', baseUrl: rig.emulator.baseUrl, maxRetries: 2 });
    const retrySession = new ChatSession({
      provider: () => retrying,
      hasKey: async () => true,
      selectedModel: () => model,
      models: () => [],
      history: new ChatHistory(nodeFileStore, join(rig.dir, 'retry')),
      post: rig.panel.post,
      onAnswerFinished: () => {},
      log: silent,
    });
    try {
      rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 503, retryAfter: '1', message: 'No provider available' } });
      await retrySession.send('hi');
      const retry = await rig.panel.next('answerRetry');
      assert.equal(retry.attempt, 1);
      assert.match(retry.reason, /No provider available/);
      assert.ok(retry.waitMs >= 900 && retry.waitMs <= 1100, `the server's one-second wait, got ${retry.waitMs} ms`);
      const end = await rig.panel.next('answerEnd');
      assert.equal(end.status, 'done');
      assert.equal(rig.panel.of('answerRetry').length, 1);
    } finally {
      retrySession.dispose();
      await retrySession.settled();
      await retrying.close();
    }
  });

  it('a server wait too long to sit through ends the answer at once with the wait to count down', async () => {
    const retrying = new OpenRouterProvider({ apiKey: 'sk-or-v1-test', baseUrl: rig.emulator.baseUrl, maxRetries: 3 });
    const waitSession = new ChatSession({
      provider: () => retrying,
      hasKey: async () => true,
      selectedModel: () => model,
      models: () => [],
      history: new ChatHistory(nodeFileStore, join(rig.dir, 'wait')),
      post: rig.panel.post,
      onAnswerFinished: () => {},
      log: silent,
    });
    try {
      rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 429, retryAfter: '120' } });
      const sentAt = Date.now();
      await waitSession.send('hi');
      const end = await rig.panel.next('answerEnd');
      assert.equal(end.status, 'error');
      assert.equal(end.error?.kind, 'rate-limit');
      assert.ok(Math.abs(end.error!.retryAt! - (sentAt + 120_000)) < 5000, 'the wait ends when the server said');
      assert.equal(rig.panel.of('answerRetry').length, 0, 'no automatic retry was announced');
      assert.equal(rig.emulator.counters().requestsByPath['/chat/completions'], 1, 'nor sent');
    } finally {
      waitSession.dispose();
      await waitSession.settled();
      await retrying.close();
    }
  });

  it('retries a failed answer: the failed one goes, a new one streams', async () => {
    rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 502, message: 'Bad gateway' } });
    await rig.session.send('hi');
    const failed = await rig.panel.next('answerEnd');
    assert.equal(failed.status, 'error');
    await rig.session.retry(failed.turnId);
    assert.equal(rig.panel.of('turnRemoved')[0]?.turnId, failed.turnId);
    const end = await rig.panel.next('answerEnd', (m) => m.turnId !== failed.turnId);
    assert.equal(end.status, 'done');
    assert.equal(rig.session.current.turns.length, 2, 'one question, one answer');
    assert.deepEqual(rig.lastRequest().messages.map((m) => m.role), ['user']);
  });

  it('shows "processing" while only keep-alive comments arrive', async () => {
    rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'keepalive-first', count: 3, intervalMs: 30 } });
    await rig.session.send('hi');
    await rig.panel.next('answerEnd');
    const kinds = rig.panel.messages.map((m) => m.type);
    assert.ok(kinds.includes('answerProcessing'));
    assert.ok(kinds.indexOf('answerProcessing') < kinds.indexOf('answerDelta'), 'processing shows before the first token');
  });

  it('streams reasoning separately from the answer', async () => {
    rig.routing = (_m, sessionId) => ({ session_id: sessionId, reasoning: { effort: 'low' } });
    const reasoningSession = new ChatSession({
      provider: () => rig.provider,
      hasKey: async () => true,
      selectedModel: () => 'deepseek/deepseek-r1',
      models: () => [],
      routing: rig.routing,
      history: new ChatHistory(nodeFileStore, join(rig.dir, 'r')),
      post: rig.panel.post,
      onAnswerFinished: () => {},
      log: silent,
    });
    try {
      await reasoningSession.send('why');
      await rig.panel.next('answerEnd');
      const reasoning = rig.panel.of('answerDelta').filter((d) => d.reasoning).map((d) => d.reasoning).join('');
      const content = rig.panel.of('answerDelta').filter((d) => d.content).map((d) => d.content).join('');
      assert.match(reasoning, /Thinking about/);
      assert.doesNotMatch(content, /Thinking about/);
    } finally {
      reasoningSession.dispose();
    }
  });
});

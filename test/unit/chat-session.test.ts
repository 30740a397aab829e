import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatHistory } from '../../src/chat/chatHistory';
import { ChatSession, type ChatSessionDeps } from '../../src/chat/chatSession';
import type { Log } from '../../src/log/logger';
import { OpenRouterProvider } from '../../src/openrouter';
import type { ChatRequest } from '../../src/openrouter/types';
import type { AssistantTurn, ExtensionMessage } from '../../src/webview/protocol';
import { buildRouting, defaultRoutingSettings, type RoutingSettings } from '../../src/routing';
import { startEmulator, type Emulator } from '../emulator';
import { waitFor } from '../support/waitFor';

const silent: Log = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const model = 'openai/gpt-4o-mini';

/** Collects what the session posts to the panel and lets a test wait for a message as it arrives. */
class Panel {
  readonly messages: ExtensionMessage[] = [];
  private waiters: Array<{ test: (m: ExtensionMessage) => boolean; resolve: (m: ExtensionMessage) => void }> = [];

  post = (message: ExtensionMessage): void => {
    this.messages.push(message);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(message)) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(message);
      }
    }
  };

  next<T extends ExtensionMessage['type']>(type: T, test: (m: Extract<ExtensionMessage, { type: T }>) => boolean = () => true): Promise<Extract<ExtensionMessage, { type: T }>> {
    const match = (m: ExtensionMessage): m is Extract<ExtensionMessage, { type: T }> => m.type === type && test(m as Extract<ExtensionMessage, { type: T }>);
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test: match, resolve: (m) => resolve(m as Extract<ExtensionMessage, { type: T }>) }));
  }

  of<T extends ExtensionMessage['type']>(type: T): Array<Extract<ExtensionMessage, { type: T }>> {
    return this.messages.filter((m): m is Extract<ExtensionMessage, { type: T }> => m.type === type);
  }
}

describe('chat session (real provider, loopback emulator)', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  let dir: string;
  let panel: Panel;
  let session: ChatSession;
  let hasKey: boolean;
  /** While set, reading whether there is a key waits for it (as a SecretStorage read can). */
  let keyRead: Promise<void> | undefined;
  let credits: number;
  let routing: ChatSessionDeps['routing'];
  let history: ChatHistory;

  before(async () => {
    emulator = await startEmulator({ generationReadyAfterMs: 200 });
    provider = new OpenRouterProvider({ apiKey: 'sk-or-v1-test', baseUrl: emulator.baseUrl, maxRetries: 0 });
  });

  after(async () => {
    await provider.close();
    await emulator.close();
  });

  beforeEach(() => {
    emulator.reset();
    dir = mkdtempSync(join(tmpdir(), 'chat-session-'));
    panel = new Panel();
    hasKey = true;
    keyRead = undefined;
    credits = 0;
    routing = undefined;
    session = newSession();
  });

  afterEach(async () => {
    session.dispose();
    // Every answer, stats poll and history write started by the test has ended before its folder goes.
    await session.settled();
    rmSync(dir, { recursive: true, force: true });
  });

  function newSession(): ChatSession {
    return new ChatSession({
      provider: () => provider,
      hasKey: async () => {
        await keyRead;
        return hasKey;
      },
      selectedModel: () => model,
      models: () => [],
      routing: (m, sessionId, overrides) => routing?.(m, sessionId, overrides) ?? { session_id: sessionId },
      history: (history = new ChatHistory(join(dir, 'chats'))),
      post: panel.post,
      onAnswerFinished: () => credits++,
      log: silent,
      generationRetryDelaysMs: [100, 200, 300, 400, 500, 800],
    });
  }

  function lastRequest(): ChatRequest {
    const seen = emulator.requests().filter((r) => r.path === '/chat/completions');
    return seen[seen.length - 1]!.body as ChatRequest;
  }

  it('streams an answer in pieces and ends it with model, provider, tokens, cost and speed', async () => {
    const sentAt = performance.now();
    await session.send('Hello there');
    const end = await panel.next('answerEnd');
    const elapsedMs = performance.now() - sentAt;
    assert.equal(end.status, 'done');
    const deltas = panel.of('answerDelta');
    assert.ok(deltas.length > 3, `expected several pieces, got ${deltas.length}`);
    assert.match(deltas.map((d) => d.content).join(''), /^You said: Hello there/);
    const stats = end.stats!;
    assert.equal(stats.source, 'usage');
    assert.equal(stats.model, model);
    assert.ok(stats.provider, 'the provider that served it');
    assert.ok(stats.promptTokens! > 0 && stats.completionTokens! > 0);
    assert.ok(stats.costUsd! > 0);
    assert.ok(stats.timeToFirstTokenMs! >= 0 && stats.timeToFirstTokenMs! <= elapsedMs, `first token after ${stats.timeToFirstTokenMs} ms of ${elapsedMs} ms`);
    assert.equal(credits, 1, 'the credits item refreshes after the answer');
    const [user, answer] = panel.of('turnAdded').map((m) => m.turn);
    assert.equal(user!.role, 'user');
    assert.equal(answer!.role, 'assistant');
  });

  it('sends the whole conversation, with the system prompt, on the next turn', async () => {
    await session.setSystemPrompt('Answer in French.');
    await session.send('First question');
    await panel.next('answerEnd');
    await session.send('Second question');
    await panel.next('answerEnd', (m) => m.turnId !== panel.of('answerEnd')[0]!.turnId);
    const messages = lastRequest().messages;
    assert.deepEqual(
      messages.map((m) => m.role),
      ['system', 'user', 'assistant', 'user'],
    );
    assert.equal(messages[0]!.content, 'Answer in French.');
    assert.match(String(messages[2]!.content), /^You said: First question/);
    assert.equal(lastRequest().model, model);
    assert.match(String(lastRequest().session_id), /^chat-/, 'the conversation id is sent as session_id');
  });

  it('a snapshot for a panel being redrawn holds everything posted before it, even when the answer ends meanwhile', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 15 } });
    await session.send('[[chunks:20]] go on');
    await panel.next('answerDelta');
    // The panel (re)loads and asks for a snapshot; the key read is slow, and the answer goes on and ends meanwhile.
    let release = (): void => {};
    keyRead = new Promise((resolve) => (release = resolve));
    const posting = session.postSnapshot();
    const end = await panel.next('answerEnd');
    release();
    await posting;
    // The panel drops what comes before its snapshot, so the snapshot must already hold all of it.
    const at = panel.messages.findIndex((m) => m.type === 'snapshot');
    const snapshot = (panel.messages[at] as Extract<ExtensionMessage, { type: 'snapshot' }>).snapshot;
    const before = panel.messages.slice(0, at);
    const turn = snapshot.conversation.turns.at(-1) as AssistantTurn;
    assert.equal(turn.id, end.turnId);
    assert.ok(before.includes(end), 'the answer ended before the snapshot was posted');
    assert.equal(turn.status, 'done', 'so the snapshot shows it ended');
    assert.equal(snapshot.busy, false);
    const pieces = before.filter((m): m is Extract<ExtensionMessage, { type: 'answerDelta' }> => m.type === 'answerDelta');
    assert.equal(turn.content, pieces.map((d) => d.content ?? '').join(''), 'every piece posted before the snapshot');
  });

  it('stops at once, keeps the partial answer marked stopped, closes the stream and costs it through /generation', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 40 } });
    await session.send('[[chunks:200]] go on');
    await panel.next('answerDelta');
    session.stop();
    const end = panel.of('answerEnd')[0];
    assert.ok(end, 'answerEnd is posted synchronously by stop()');
    assert.equal(end.status, 'stopped');
    assert.equal(session.busy, false);
    await waitFor('the emulator to see the stream closed by the client', () => emulator.counters().streamsAbortedByClient === 1);
    const stats = await panel.next('answerStats');
    assert.equal(stats.stats.source, 'generation');
    assert.ok(stats.stats.completionTokens! > 0 && stats.stats.completionTokens! < 200, `a partial count, got ${stats.stats.completionTokens}`);
    assert.equal(typeof stats.stats.costUsd, 'number');
    const generationCalls = emulator.requests().filter((r) => r.path === '/generation');
    assert.ok(generationCalls.length >= 1);
  });

  it('shows a mid-stream error chunk inline and keeps the text received before it', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'error-chunk', afterChunks: 3, message: 'Upstream provider failed' } });
    await session.send('[[chunks:20]] tell me');
    const end = await panel.next('answerEnd');
    assert.equal(end.status, 'error');
    assert.equal(end.error?.kind, 'stream');
    assert.match(end.error!.message, /Upstream provider failed/);
    assert.ok(panel.of('answerDelta').length >= 1, 'text before the error was shown');
    const turn = session.current.turns[1] as AssistantTurn;
    assert.ok(turn.content.length > 0, 'and kept');
  });

  it('explains a 402 with what to do, and offers to add credits', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 402, message: 'Insufficient credits' } });
    await session.send('hi');
    const end = await panel.next('answerEnd');
    assert.equal(end.status, 'error');
    assert.equal(end.error?.kind, 'credits');
    assert.equal(end.error?.action?.action, 'openCredits');
    assert.match(end.error!.advice, /free model/);
  });

  it('tells how long a 429 asks to wait', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 429, retryAfter: '7' } });
    await session.send('hi');
    const end = await panel.next('answerEnd');
    assert.equal(end.error?.kind, 'rate-limit');
    assert.equal(end.error?.retryAfterSeconds, 7);
    assert.ok(Math.abs(end.error!.retryAt! - (Date.now() + 7000)) < 2000, 'the end of the wait, for a countdown');
    assert.match(end.error!.advice, /7 s/);
  });

  it('shows each automatic retry with its attempt, reason and wait, then streams the answer', async () => {
    const retrying = new OpenRouterProvider({ apiKey: 'sk-or-v1-test', baseUrl: emulator.baseUrl, maxRetries: 2 });
    const retrySession = new ChatSession({
      provider: () => retrying,
      hasKey: async () => true,
      selectedModel: () => model,
      models: () => [],
      history: new ChatHistory(join(dir, 'retry')),
      post: panel.post,
      onAnswerFinished: () => {},
      log: silent,
    });
    try {
      emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 503, retryAfter: '1', message: 'No provider available' } });
      await retrySession.send('hi');
      const retry = await panel.next('answerRetry');
      assert.equal(retry.attempt, 1);
      assert.match(retry.reason, /No provider available/);
      assert.ok(retry.waitMs >= 900 && retry.waitMs <= 1100, `the server's one-second wait, got ${retry.waitMs} ms`);
      const end = await panel.next('answerEnd');
      assert.equal(end.status, 'done');
      assert.equal(panel.of('answerRetry').length, 1);
    } finally {
      retrySession.dispose();
      await retrySession.settled();
      await retrying.close();
    }
  });

  it('a server wait too long to sit through ends the answer at once with the wait to count down', async () => {
    const retrying = new OpenRouterProvider({ apiKey: 'sk-or-v1-test', baseUrl: emulator.baseUrl, maxRetries: 3 });
    const waitSession = new ChatSession({
      provider: () => retrying,
      hasKey: async () => true,
      selectedModel: () => model,
      models: () => [],
      history: new ChatHistory(join(dir, 'wait')),
      post: panel.post,
      onAnswerFinished: () => {},
      log: silent,
    });
    try {
      emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 429, retryAfter: '120' } });
      const sentAt = Date.now();
      await waitSession.send('hi');
      const end = await panel.next('answerEnd');
      assert.equal(end.status, 'error');
      assert.equal(end.error?.kind, 'rate-limit');
      assert.ok(Math.abs(end.error!.retryAt! - (sentAt + 120_000)) < 5000, 'the wait ends when the server said');
      assert.equal(panel.of('answerRetry').length, 0, 'no automatic retry was announced');
      assert.equal(emulator.counters().requestsByPath['/chat/completions'], 1, 'nor sent');
    } finally {
      waitSession.dispose();
      await waitSession.settled();
      await retrying.close();
    }
  });

  it('retries a failed answer: the failed one goes, a new one streams', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 502, message: 'Bad gateway' } });
    await session.send('hi');
    const failed = await panel.next('answerEnd');
    assert.equal(failed.status, 'error');
    await session.retry(failed.turnId);
    assert.equal(panel.of('turnRemoved')[0]?.turnId, failed.turnId);
    const end = await panel.next('answerEnd', (m) => m.turnId !== failed.turnId);
    assert.equal(end.status, 'done');
    assert.equal(session.current.turns.length, 2, 'one question, one answer');
    assert.deepEqual(lastRequest().messages.map((m) => m.role), ['user']);
  });

  it('shows "processing" while only keep-alive comments arrive', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'keepalive-first', count: 3, intervalMs: 30 } });
    await session.send('hi');
    await panel.next('answerEnd');
    const kinds = panel.messages.map((m) => m.type);
    assert.ok(kinds.includes('answerProcessing'));
    assert.ok(kinds.indexOf('answerProcessing') < kinds.indexOf('answerDelta'), 'processing shows before the first token');
  });

  it('streams reasoning separately from the answer', async () => {
    routing = (_m, sessionId) => ({ session_id: sessionId, reasoning: { effort: 'low' } });
    const reasoningSession = new ChatSession({
      provider: () => provider,
      hasKey: async () => true,
      selectedModel: () => 'deepseek/deepseek-r1',
      models: () => [],
      routing,
      history: new ChatHistory(join(dir, 'r')),
      post: panel.post,
      onAnswerFinished: () => {},
      log: silent,
    });
    try {
      await reasoningSession.send('why');
      await panel.next('answerEnd');
      const reasoning = panel.of('answerDelta').filter((d) => d.reasoning).map((d) => d.reasoning).join('');
      const content = panel.of('answerDelta').filter((d) => d.content).map((d) => d.content).join('');
      assert.match(reasoning, /Thinking about/);
      assert.doesNotMatch(content, /Thinking about/);
    } finally {
      reasoningSession.dispose();
    }
  });

  it('refuses to send without a key, keeping the text, and sends nothing', async () => {
    hasKey = false;
    await session.send('my question');
    const rejected = await panel.next('sendRejected');
    assert.equal(rejected.text, 'my question');
    assert.equal(rejected.error.kind, 'no-key');
    assert.equal(rejected.error.action?.action, 'setApiKey');
    assert.equal(emulator.counters().requestsByPath['/chat/completions'] ?? 0, 0);
    assert.equal(session.current.turns.length, 0);
  });

  it('keeps chats across sessions, reopens and deletes them', async () => {
    await session.send('Remember this chat');
    await panel.next('answerEnd');
    const firstId = session.current.id;
    await session.newChat();
    session.dispose();

    const reopened = newSession();
    try {
      const snapshot = await reopened.snapshot();
      assert.equal(snapshot.history.length, 1);
      assert.equal(snapshot.history[0]!.title, 'Remember this chat');
      await reopened.openChat(firstId);
      assert.equal(reopened.current.turns.length, 2);
      assert.equal((reopened.current.turns[1] as AssistantTurn).status, 'done');
      await reopened.deleteChat(firstId);
      assert.equal((await reopened.snapshot()).history.length, 0);
      assert.notEqual(reopened.current.id, firstId, 'deleting the open chat starts a new one');
    } finally {
      reopened.dispose();
    }
  });

  /** What a fresh window would read from the shared folder. */
  async function storedChats(): Promise<ChatHistory> {
    const reader = new ChatHistory(join(dir, 'chats'));
    await history.flush();
    await reader.load();
    return reader;
  }

  it('deleting the open chat while it streams keeps it deleted', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 40 } });
    await session.send('[[chunks:200]] delete me');
    await panel.next('answerDelta');
    const deletedId = session.current.id;
    await session.deleteChat(deletedId);
    assert.equal(panel.of('answerEnd')[0]?.status, 'stopped', 'the answer stopped with its chat');
    // The stopped answer's /generation poll ends with one more save of the deleted chat.
    await session.settled();
    assert.ok(emulator.requests().some((r) => r.path === '/generation'), 'the stats were asked for');
    const stored = await storedChats();
    assert.equal(stored.get(deletedId), undefined);
    assert.ok(!(await session.snapshot()).history.some((c) => c.id === deletedId), 'the panel list does not show it either');
    assert.equal(panel.of('sendRejected').length, 0, 'deleting it here raises no "deleted elsewhere" notice');
  });

  it('Stop then New Chat before /generation answers still stores the stopped answer’s stats', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 40 } });
    await session.send('[[chunks:200]] stop and leave');
    await panel.next('answerDelta');
    const stoppedId = session.current.id;
    session.stop();
    await session.newChat();
    await session.settled();
    const turn = (await storedChats()).get(stoppedId)?.turns[1];
    assert.equal(turn?.role === 'assistant' && turn.stats?.source, 'generation', 'the stats are saved with their own chat');
    assert.equal(session.current.turns.length, 0, 'the new chat stays empty');
  });

  it('switching chats mid-answer keeps each answer in its own chat', async () => {
    await session.send('The first chat');
    await panel.next('answerEnd');
    const firstId = session.current.id;
    await session.newChat();
    emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 40 } });
    await session.send('[[chunks:200]] The second chat');
    await panel.next('answerDelta', (m) => m.turnId !== panel.of('answerEnd')[0]!.turnId);
    const secondId = session.current.id;
    await session.openChat(firstId);
    await session.settled();
    const stored = await storedChats();
    const first = stored.get(firstId)!;
    const second = stored.get(secondId)!;
    assert.deepEqual(first.turns.map((t) => t.content.slice(0, 24)), ['The first chat', 'You said: The first chat']);
    assert.equal(second.turns.length, 2);
    assert.match(second.turns[0]!.content, /The second chat/);
    const answer = second.turns[1]!;
    assert.ok(answer.role === 'assistant' && answer.status === 'stopped' && answer.content.length > 0, 'the partial answer is kept');
    assert.equal(answer.role === 'assistant' && answer.stats?.source, 'generation', 'its stats went to its own chat');
    assert.equal(session.current.id, firstId);
    assert.equal(session.current.turns.length, 2, 'the chat on screen got no foreign turn');
  });

  it('tells once that the chat on screen was deleted in another window, and keeps it deleted', async () => {
    await session.send('Shared chat');
    await panel.next('answerEnd');
    const sharedId = session.current.id;
    await session.settled();

    // Another window, on the same folder, deletes the chat while this one still shows it.
    const otherPanel = new Panel();
    const other = new ChatSession({
      provider: () => provider,
      hasKey: async () => true,
      selectedModel: () => model,
      models: () => [],
      history: new ChatHistory(join(dir, 'chats')),
      post: otherPanel.post,
      onAnswerFinished: () => {},
      log: silent,
    });
    try {
      await other.deleteChat(sharedId);
      assert.equal(otherPanel.of('sendRejected').length, 0, 'the window that deleted it is not told anything');
    } finally {
      other.dispose();
    }

    await session.send('Still here?');
    await panel.next('answerEnd', (m) => m.turnId !== panel.of('answerEnd')[0]!.turnId);
    await session.settled();
    const told = panel.of('sendRejected');
    assert.equal(told.length, 1, 'told once, not on every save');
    assert.match(told[0]!.error.message, /deleted in another window/);
    assert.equal((await storedChats()).get(sharedId), undefined, 'and it stays deleted');
  });

  it('closing the panel mid-stream aborts the request', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 40 } });
    await session.send('[[chunks:200]] go');
    await panel.next('answerDelta');
    session.dispose();
    assert.equal(panel.of('answerEnd')[0]?.status, 'stopped');
    await waitFor('the stream to be closed', () => emulator.counters().streamsAbortedByClient === 1);
  });

  it("applies the chat's routing choices over the settings on every request, keeps them with the chat, and resets them", async () => {
    const settings: RoutingSettings = { ...defaultRoutingSettings, sort: 'price', ignore: ['deepinfra'], dataCollection: 'deny', reasoningEffort: 'low' };
    routing = (m, sessionId, overrides) => buildRouting(settings, overrides, { model: m, sessionId, supportsReasoning: true });
    const ask = async (text: string) => {
      const before = panel.of('answerEnd').length;
      await session.send(text);
      await waitFor('the answer to end', () => panel.of('answerEnd').length > before);
      return lastRequest();
    };

    const first = await ask('Route with the settings');
    assert.deepEqual(first.provider, { sort: 'price', ignore: ['deepinfra'], data_collection: 'deny' });
    assert.deepEqual(first.reasoning, { effort: 'low' });
    assert.equal(first.models, undefined);
    const sessionId = first.session_id;
    assert.ok(sessionId, 'a session id is sent');

    // What the panel sends is untrusted: the bad value is reported and the setting stays in force for it.
    await session.setRouting({ sort: 'latency', order: ['anthropic'], allowFallbacks: false, zeroDataRetention: true, fallbackModels: ['anthropic/claude-3.5-haiku'], reasoningEffort: 'high', dataCollection: 'maybe' });
    const shown = panel.of('routing').at(-1)!;
    assert.equal(shown.routing.sort, 'latency');
    assert.equal(shown.problems.length, 1);
    assert.match(shown.problems[0]!, /dataCollection/);

    const second = await ask('Route with my choices');
    assert.deepEqual(second.provider, { sort: 'latency', order: ['anthropic'], ignore: ['deepinfra'], allow_fallbacks: false, data_collection: 'deny', zdr: true });
    assert.deepEqual(second.models, [model, 'anthropic/claude-3.5-haiku']);
    assert.deepEqual(second.reasoning, { effort: 'high' });
    assert.equal(second.session_id, sessionId, 'the same session id on every request of the chat');

    const chatId = session.current.id;
    assert.match(readFileSync(join(dir, 'chats', `${chatId}.json`), 'utf8'), /"routing":\{"sort":"latency"/, 'the choices are saved with the chat');
    await session.newChat();
    const fresh = await ask('A new chat starts from the settings');
    assert.deepEqual(fresh.provider, { sort: 'price', ignore: ['deepinfra'], data_collection: 'deny' });
    assert.notEqual(fresh.session_id, sessionId);

    await session.openChat(chatId);
    const reopened = await ask('The reopened chat keeps its choices');
    assert.equal(reopened.provider?.sort, 'latency');
    assert.deepEqual(reopened.models, [model, 'anthropic/claude-3.5-haiku']);
    assert.equal(reopened.session_id, sessionId);

    await session.setRouting({});
    assert.deepEqual(panel.of('routing').at(-1)!.routing, {});
    const reset = await ask('Back to the settings');
    assert.deepEqual(reset.provider, { sort: 'price', ignore: ['deepinfra'], data_collection: 'deny' });
    assert.deepEqual(reset.reasoning, { effort: 'low' });
    assert.equal(reset.models, undefined);
  });
});

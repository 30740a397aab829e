// The chat with reasoning models and long conversations, against the emulator: each answer's reasoning_details
// go back with it in later requests (after a reload too), and a conversation that outgrows the model's context
// is condensed (a summary request shown with its cost and recorded) or shortened, never refused with a 400.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContextStrategy } from '../../src/answer';
import { ChatHistory } from '../../src/chat/chatHistory';
import { ChatSession } from '../../src/chat/chatSession';
import { OpenRouterProvider } from '../../src/openrouter';
import type { ChatMessage, ChatRequest, Model } from '../../src/openrouter/types';
import type { GenerationRecord } from '../../src/usage/usageTypes';
import type { AssistantTurn, ExtensionMessage } from '../../src/protocols/chat';
import { startEmulator, type Emulator } from '../emulator';
import { TEST_KEY } from '../emulator/accounts';
import { RecordingPanel as Panel } from '../support/recordingPanel';
import { silentLog } from '../support/silentLog';
import { nodeFileStore } from '../../src/storage/nodeFileStore';


describe('Chat with reasoning models and long conversations (emulator)', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  let catalogue: Model[];
  let dir: string;
  let sessions: ChatSession[];

  before(async () => {
    emulator = await startEmulator({ generationReadyAfterMs: 0 });
    provider = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl: emulator.baseUrl, maxRetries: 0 });
    catalogue = await provider.listModels();
  });
  after(async () => {
    await provider.close();
    await emulator.close();
  });
  beforeEach(() => {
    emulator.reset();
    dir = mkdtempSync(join(tmpdir(), 'chat-long-'));
    sessions = [];
  });
  afterEach(async () => {
    for (const session of sessions) {
      session.dispose();
      await session.settled();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  function open(model: string, options: { maxTokens?: number; strategy?: ContextStrategy; records?: GenerationRecord[]; panel?: Panel } = {}): { session: ChatSession; panel: Panel } {
    const panel = options.panel ?? new Panel();
    const session = new ChatSession({
      provider: () => provider,
      hasKey: () => Promise.resolve(true),
      selectedModel: () => model,
      models: () => [],
      routing: (_m, sessionId) => ({ session_id: sessionId, reasoning: { effort: 'low' }, ...(options.maxTokens ? { max_tokens: options.maxTokens } : {}) }),
      history: new ChatHistory(nodeFileStore, join(dir, 'chats')),
      post: panel.post,
      onAnswerFinished: () => {},
      onGeneration: (record) => void options.records?.push(record),
      log: silentLog,
      generationRetryDelaysMs: [20, 20, 20],
      catalogModel: (id) => catalogue.find((m) => m.id === id),
      contextOverflow: () => options.strategy ?? 'condense',
    });
    sessions.push(session);
    return { session, panel };
  }

  async function ask(session: ChatSession, panel: Panel, text: string): Promise<Extract<ExtensionMessage, { type: 'answerEnd' }>> {
    const before = panel.of('answerEnd').length;
    await session.send(text);
    await panel.until(() => panel.of('answerEnd').length > before);
    return panel.of('answerEnd').at(-1)!;
  }

  const chatRequests = (): Array<{ status: number; body: ChatRequest }> =>
    emulator
      .requests()
      .filter((r) => r.path === '/chat/completions')
      .map((r) => ({ status: r.status ?? 0, body: r.body as ChatRequest }));

  it("sends each answer's reasoning_details back with it in later turns, exactly as received, after a reload too", async () => {
    const model = 'anthropic/claude-sonnet-4.5';
    const { session, panel } = open(model);
    await ask(session, panel, 'first question');
    await ask(session, panel, 'second question');
    const [, second] = chatRequests();
    const assistant = second!.body.messages.find((m) => m.role === 'assistant')!;
    const details = assistant.reasoning_details as Array<Record<string, unknown>>;
    assert.equal(details.length, 1);
    assert.equal(details[0]!.type, 'reasoning.text');
    assert.match(String(details[0]!.text), /^Thinking about: first question/);
    assert.equal(typeof details[0]!.signature, 'string');

    // A new window reads the chat from disk and sends the same blocks.
    await session.settled();
    const reopened = open(model);
    await reopened.session.openChat(session.current.id);
    await ask(reopened.session, reopened.panel, 'third question');
    const third = chatRequests().at(-1)!.body;
    const assistants = third.messages.filter((m: ChatMessage) => m.role === 'assistant');
    assert.equal(assistants.length, 2);
    assert.deepEqual(assistants[0]!.reasoning_details, details);
  });

  function smallModel(): Model {
    // Without reasoning, so each turn's size is the question and the answer's echo of it.
    const found = catalogue.find((m) => m.context_length === 8192 && !m.id.endsWith(':free') && Number(m.pricing?.prompt) > 0 && !m.supported_parameters?.includes('reasoning'));
    assert.ok(found, 'the emulator lists a model with an 8K context');
    return found;
  }
  // About 1,700 tokens; the emulator's answer echoes it (up to max_tokens words), so each turn adds about 3,000.
  const long = (label: string): string => `${label} ${'lorem ipsum dolor sit amet '.repeat(250)}`;

  it('condenses older turns before a request would exceed the context: the summary request is shown with its cost, recorded, and nothing gets a 400', async () => {
    const model = smallModel().id;
    const records: GenerationRecord[] = [];
    const { session, panel } = open(model, { maxTokens: 1000, records });
    await ask(session, panel, long('one'));
    await ask(session, panel, long('two'));
    assert.equal(panel.of('answerContext').length, 0, 'two turns still fit');
    const end = await ask(session, panel, long('three'));
    assert.equal(end.status, 'done');

    const notices = panel.of('answerContext');
    assert.equal(notices[0]?.context.action, 'condensing', 'the chat says it is condensing before it does');
    await panel.until(() => panel.of('answerContext').some((n) => n.context.action === 'condensed' && n.context.stats?.costUsd !== undefined));
    const condensed = panel.of('answerContext').filter((n) => n.context.action === 'condensed').at(-1)!.context;
    assert.equal(condensed.olderMessages, 2, 'the first turn; the second still fits next to the third');
    assert.ok(condensed.summary && condensed.summary.length > 0);
    assert.ok(condensed.stats!.costUsd! > 0, 'the summary has its own cost');

    const requests = chatRequests();
    assert.equal(requests.length, 4, 'two answers, the summary, the third answer');
    assert.ok(requests.every((r) => r.status === 200), `statuses: ${requests.map((r) => r.status).join(', ')}`);
    const summaryRequest = requests[2]!.body;
    assert.match(String(summaryRequest.messages[0]!.content), /^Summarise the conversation/);
    const third = requests[3]!.body;
    assert.match(String(third.messages[0]!.content), /^Summary of the earlier part/);
    assert.match(String(third.messages.at(-1)!.content), /^three /);
    await panel.until(() => records.length >= 4);
    assert.equal(records.filter((r) => r.source === 'chat').length, 4, 'the summary is recorded in usage like an answer');

    // Sent whole, the third request would have been refused for its length.
    const secondAnswer = (session.current.turns[3] as AssistantTurn).content;
    const whole = await provider.execute({ model, max_tokens: 1000, messages: [...requests[1]!.body.messages, { role: 'assistant', content: secondAnswer }, { role: 'user', content: long('three') }] }).catch((error: unknown) => error);
    assert.equal((whole as { status?: number }).status, 400);

    // The next question starts from the summary: the first turn is never sent whole again.
    await ask(session, panel, 'a short follow-up');
    const followUp = chatRequests().at(-1)!;
    assert.equal(followUp.status, 200);
    assert.match(String(followUp.body.messages[0]!.content), /^Summary of the earlier part/);
    assert.ok(!followUp.body.messages.some((m) => String(m.content).startsWith('one ')));
  });

  it('leaves older turns out when condensing is off, says so, and sends nothing the model would refuse', async () => {
    const model = smallModel().id;
    const { session, panel } = open(model, { maxTokens: 1000, strategy: 'drop' });
    await ask(session, panel, long('one'));
    await ask(session, panel, long('two'));
    const end = await ask(session, panel, long('three'));
    assert.equal(end.status, 'done');
    const notice = panel.of('answerContext').at(-1)!.context;
    assert.equal(notice.action, 'dropped');
    assert.equal(notice.olderMessages, 2);
    const requests = chatRequests();
    assert.equal(requests.length, 3, 'no summary request');
    assert.ok(requests.every((r) => r.status === 200));
    assert.match(String(requests[2]!.body.messages[0]!.content), /2 earlier messages .* left out/);
  });

  it('does not send a question longer than the model reads, and says why', async () => {
    const model = smallModel().id;
    const { session, panel } = open(model, { maxTokens: 1000 });
    const end = await ask(session, panel, long('huge').repeat(5));
    assert.equal(end.status, 'error');
    assert.match(end.error!.message, /longer than .* reads/);
    assert.equal(chatRequests().length, 0);
    const turn = session.current.turns.at(-1) as AssistantTurn;
    assert.equal(turn.context?.action, 'too-long');
  });
});

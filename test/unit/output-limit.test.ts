import { standIn } from './vscode/install';
import { silent, workspaceConsent } from './vscode/providerHostFixture';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatHistory } from '../../src/chat/chatHistory';
import { ChatSession } from '../../src/chat/chatSession';
import { outputLimit, outputPrice } from '../../src/models/outputLimit';
import { OpenRouterProvider } from '../../src/openrouter';
import type { ChatRequest, Model } from '../../src/openrouter/types';
import { RoutingSettingsReader } from '../../src/routing/routingSettingsReader';
import type { AssistantTurn, ExtensionMessage } from '../../src/protocols/chat';
import { startEmulator, type Emulator } from '../emulator';
import { auth, send, testKey } from '../emulator/rawClient';
import { EventEmitter } from './vscode/standIn';
import { nodeFileStore } from '../../src/storage/nodeFileStore';

const question = { role: 'user', content: 'What is 2 + 2?' };

describe('output limit: max_tokens from the setting, capped at the model', () => {
  it('caps the chosen limit at the model’s own, sends the model’s own for 0, and nothing only when neither is known', () => {
    const model = (max: number | null): Pick<Model, 'top_provider'> => ({ top_provider: { max_completion_tokens: max } });
    assert.equal(outputLimit(model(65_536), 4096), 4096);
    assert.equal(outputLimit(model(1024), 4096), 1024, 'never more than the model allows');
    assert.equal(outputLimit(model(65_536), 0), 65_536, '0 is the model’s maximum');
    assert.equal(outputLimit(model(null), 4096), 4096);
    assert.equal(outputLimit(undefined, 4096), 4096, 'a model missing from the catalogue still gets the limit');
    assert.equal(outputLimit(model(null), 0), undefined);
    assert.equal(outputPrice({ pricing: { completion: '0.000002' } }), 0.000002);
    assert.equal(outputPrice({ pricing: { completion: null } }), undefined);
  });
});

describe("the emulator's pre-flight credit check (402 before any answer)", () => {
  let emulator: Emulator;
  let models: Model[];
  /** A paid model that states a large output limit. */
  let pricey: Model;

  before(async () => {
    emulator = await startEmulator();
    models = (JSON.parse((await send(emulator.origin, { path: '/api/v1/models' })).body) as { data: Model[] }).data;
    pricey = models.find((m) => (m.top_provider?.max_completion_tokens ?? 0) >= 32_768 && Number(m.pricing?.completion) > 0)!;
    assert.ok(pricey, 'the catalogue has a paid model with a large output limit');
  });

  after(() => emulator.close());
  afterEach(() => emulator.reset());

  const chat = (body: Record<string, unknown>) => send(emulator.origin, { path: '/api/v1/chat/completions', headers: auth(), body: { messages: [question], ...body } });

  it('refuses with OpenRouter’s message when the balance cannot cover the prompt plus the whole output allowance', async () => {
    const price = Number(pricey.pricing!.completion);
    const limit = pricey.top_provider!.max_completion_tokens!;
    emulator.setKey(testKey, { limit: 10, limit_remaining: price * 8192, usage: 1 });
    try {
      const refused = await chat({ model: pricey.id });
      assert.equal(refused.status, 402);
      const body = JSON.parse(refused.body) as { error: { code: number; message: string; metadata: unknown } };
      assert.equal(body.error.code, 402);
      assert.match(body.error.message, new RegExp(`^This request requires more credits, or fewer max_tokens\\. You requested up to ${limit} tokens, but can only afford (\\d+)\\. To increase, visit https://openrouter\\.ai/settings/keys`));
      const affordable = Number(/afford (\d+)/.exec(body.error.message)![1]);
      assert.ok(affordable < 8192 && affordable > 8000, `the balance covers about 8192 output tokens less the prompt, said ${affordable}`);
      assert.deepEqual(body.error.metadata, { provider_name: null });

      assert.equal((await chat({ model: pricey.id, max_tokens: 4096 })).status, 200, 'a small max_tokens fits');
      assert.equal((await chat({ model: pricey.id, max_completion_tokens: 9000 })).status, 402, 'max_completion_tokens counts the same');
      const free = models.find((m) => m.id.endsWith(':free'))!;
      assert.equal((await chat({ model: free.id })).status, 200, 'a free model reserves nothing');
    } finally {
      emulator.setKey(testKey, { limit: 10, limit_remaining: 7.5, usage: 2.5 });
    }
  });

  it('names the account’s credits when they, not the key’s limit, are short', async () => {
    emulator.setCredits({ total_credits: 1, total_usage: 1 });
    try {
      const refused = await chat({ model: pricey.id, max_tokens: 100 });
      assert.equal(refused.status, 402);
      assert.match(refused.body, /can only afford 0\. To increase, visit https:\/\/openrouter\.ai\/settings\/credits and add more credits/);
    } finally {
      emulator.setCredits({ total_credits: 25, total_usage: 7.5 });
    }
  });
});

describe('chat requests carry the output limit (real provider, loopback emulator, vscode stand-in)', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  let models: Model[];
  let pricey: Model;
  let dir: string;
  let reader: RoutingSettingsReader;
  let setting: number;
  let messages: ExtensionMessage[];
  let session: ChatSession;

  before(async () => {
    emulator = await startEmulator({ generationReadyAfterMs: 50 });
    provider = new OpenRouterProvider({ apiKey: testKey, baseUrl: emulator.baseUrl, maxRetries: 0 });
    models = (await provider.listModels()).filter((m) => (m.top_provider?.max_completion_tokens ?? 0) >= 32_768 && Number(m.pricing?.completion) > 0);
    pricey = models[0]!;
  });

  after(async () => {
    await provider.close();
    await emulator.close();
  });

  beforeEach(() => {
    standIn.reset();
    emulator.reset();
    dir = mkdtempSync(join(tmpdir(), 'output-limit-'));
    setting = 4096;
    messages = [];
    const changed = new EventEmitter<unknown>();
    reader = new RoutingSettingsReader(silent, workspaceConsent(), { maxOutputTokens: () => setting, onDidChange: changed.event });
    const routing = reader.requestRouting((id) => models.find((m) => m.id === id));
    session = new ChatSession({
      provider: () => provider,
      hasKey: () => Promise.resolve(true),
      selectedModel: () => pricey.id,
      models: () => [],
      routing,
      routingDefaults: () => structuredClone({ ...reader.settings }),
      history: new ChatHistory(nodeFileStore, join(dir, 'chats')),
      post: (message) => void messages.push(message),
      onAnswerFinished: () => undefined,
      noticeContext: () => ({ spendableUsd: Number(pricey.pricing!.completion) * 8192, outputUsdPerToken: Number(pricey.pricing!.completion) }),
      log: silent,
      generationRetryDelaysMs: [50],
    });
    // A balance that covers a few thousand output tokens of this model, not its whole output limit.
    emulator.setKey(testKey, { limit: 10, limit_remaining: Number(pricey.pricing!.completion) * 8192, usage: 1 });
  });

  afterEach(async () => {
    session.dispose();
    await session.settled();
    reader.dispose();
    emulator.setKey(testKey, { limit: 10, limit_remaining: 7.5, usage: 2.5 });
    rmSync(dir, { recursive: true, force: true });
  });

  async function ask(text: string): Promise<AssistantTurn> {
    const before = messages.filter((m) => m.type === 'answerEnd').length;
    await session.send(text);
    while (messages.filter((m) => m.type === 'answerEnd').length === before) await new Promise((resolve) => setImmediate(resolve));
    const ends = messages.filter((m): m is Extract<ExtensionMessage, { type: 'answerEnd' }> => m.type === 'answerEnd');
    const end = ends[ends.length - 1]!;
    return { role: 'assistant', id: end.turnId, content: '', reasoning: '', model: pricey.id, status: end.status, createdAt: 0, ...(end.error ? { error: end.error } : {}) } as AssistantTurn;
  }

  const lastBody = (): ChatRequest => emulator.requests().filter((r) => r.path === '/chat/completions').at(-1)!.body as ChatRequest;

  it('a cheap question with a small balance is answered: max_tokens is the setting, not the model’s whole output', async () => {
    const answer = await ask('What is 2 + 2?');
    assert.equal(answer.status, 'done', JSON.stringify(answer.error));
    assert.equal(lastBody().max_tokens, 4096);
  });

  it("a chat's own output limit replaces the setting; 0 asks for the model's maximum and a 402 says what was reserved and what to do", async () => {
    await session.setRouting({ maxOutputTokens: 1000 });
    assert.equal((await ask('short, please')).status, 'done');
    assert.equal(lastBody().max_tokens, 1000);

    await session.setRouting({ maxOutputTokens: 0 });
    const refused = await ask('as long as you like');
    const limit = pricey.top_provider!.max_completion_tokens!;
    assert.equal(lastBody().max_tokens, limit);
    assert.equal(refused.status, 'error');
    const notice = refused.error!;
    assert.equal(notice.kind, 'credits');
    const reserved = (limit * Number(pricey.pricing!.completion)).toFixed(2);
    assert.match(notice.message, new RegExp(`whole output limit, ${limit} tokens \\(\\$${reserved.replace('.', '\\.')} at the model's output price\\), and your balance covers \\d+\\.`));
    assert.match(notice.message, /Your key may spend \$\d/);
    assert.match(notice.advice, /Set the output limit below \d+ \(this chat's routing options, or openrouter\.chat\.maxOutputTokens\), or add credits/);
    assert.equal(notice.action?.action, 'openCredits');

    await session.setRouting({ maxOutputTokens: -5 });
    const problems = messages.filter((m): m is Extract<ExtensionMessage, { type: 'routing' }> => m.type === 'routing').at(-1)!.problems;
    assert.match(problems.join(' '), /Output limit: -5 is not a whole number of tokens/, 'a bad value from the panel is refused');
    assert.equal((await ask('back to the setting')).status, 'done');
    assert.equal(lastBody().max_tokens, 4096);
  });

  it('the setting follows changes, and the panel shows it as the default', async () => {
    setting = 2048;
    assert.equal((await ask('two thousand')).status, 'done');
    assert.equal(lastBody().max_tokens, 2048);
    assert.equal(reader.settings.maxOutputTokens, 2048);
  });
});

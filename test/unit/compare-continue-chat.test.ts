import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatHistory } from '../../src/chat/chatHistory';
import { ChatSession } from '../../src/chat/chatSession';
import { OpenRouterProvider } from '../../src/openrouter';
import type { ChatRequest } from '../../src/openrouter/types';
import type { ExtensionMessage } from '../../src/protocols/chat';
import { TEST_KEY } from '../emulator/accounts';
import { startEmulator, type Emulator } from '../emulator';
import { silentLog as silent } from '../support/silentLog';
import { nodeFileStore } from '../../src/storage/nodeFileStore';

const model = 'anthropic/claude-sonnet-4';

describe('Compare Models → continue in chat (the chat session seeded with a comparison column)', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  let dir: string;

  beforeEach(async () => {
    emulator = await startEmulator({ generationReadyAfterMs: 0 });
    provider = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl: emulator.baseUrl, maxRetries: 0 });
    dir = mkdtempSync(join(tmpdir(), 'compare-continue-'));
  });

  afterEach(async () => {
    await provider.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a new saved chat holding the prompt and that answer, and the next message sends both as history', async () => {
    const posted: ExtensionMessage[] = [];
    const history = new ChatHistory(nodeFileStore, join(dir, 'chats'));
    const session = new ChatSession({
      provider: () => provider,
      hasKey: async () => true,
      selectedModel: () => model,
      models: () => [],
      history,
      post: (message) => posted.push(message),
      onAnswerFinished: () => undefined,
      log: silent,
    });
    try {
      await session.send('[[chunks:2]] an earlier chat');
      await session.idle;
      const earlier = session.current.id;

      await session.seedConversation({ prompt: 'Which pool is best?', answer: 'The one that reuses connections.', model });
      const snapshot = posted.filter((m) => m.type === 'snapshot').pop();
      assert.ok(snapshot && snapshot.type === 'snapshot');
      const shown = snapshot.snapshot.conversation;
      assert.notEqual(shown.id, earlier, 'a new chat, the earlier one kept');
      assert.equal(shown.title, 'Which pool is best?');
      assert.deepEqual(shown.turns.map((t) => [t.role, t.content]), [['user', 'Which pool is best?'], ['assistant', 'The one that reuses connections.']]);
      assert.ok(history.list().some((c) => c.id === shown.id && c.turnCount === 2), 'saved in the history');
      assert.ok(history.list().some((c) => c.id === earlier));

      await session.send('[[chunks:2]] Why?');
      await session.idle;
      const sent = emulator.requests().filter((r) => r.path === '/chat/completions').pop()!.body as ChatRequest;
      assert.equal(sent.model, model);
      assert.deepEqual(sent.messages.map((m) => [m.role, m.content]), [['user', 'Which pool is best?'], ['assistant', 'The one that reuses connections.'], ['user', '[[chunks:2]] Why?']]);
    } finally {
      session.dispose();
      await session.settled();
    }
  });
});

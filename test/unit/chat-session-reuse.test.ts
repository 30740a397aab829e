// Reusing answers in the chat session, against the emulator over a real socket: regenerate (same model or
// another), edit a question and resend from there, copy an answer's markdown; what is saved follows.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ChatHistory } from '../../src/chat/chatHistory';
import type { ChatSession } from '../../src/chat/chatSession';
import type { ChatRequest } from '../../src/openrouter/types';
import type { ExtensionMessage } from '../../src/protocols/chat';
import type { Emulator } from '../emulator';
import { useChatSessionRig } from './fixtures/chatSessionRig';
import { nodeFileStore } from '../../src/storage/nodeFileStore';


describe('chat session: regenerate, edit and resend, copy (real provider, loopback emulator)', () => {
  let emulator: Emulator;
  let dir: string;
  let posted: ExtensionMessage[];
  let session: ChatSession;
  let selected: string;

  const rig = useChatSessionRig({
    emulator: { generationReadyAfterMs: 50 },
    folderPrefix: 'chat-reuse-',
    deps: () => ({ selectedModel: () => selected, generationRetryDelaysMs: [50, 50] }),
  });
  beforeEach(() => {
    selected = 'openai/gpt-4o-mini';
    ({ emulator, dir, posted, session } = rig());
  });

  const chatRequests = (): ChatRequest[] => emulator.requests().filter((r) => r.path === '/chat/completions').map((r) => r.body as ChatRequest);
  const conversationShape = (): string[] => session.current.turns.map((t) => `${t.role}:${t.role === 'user' ? t.content : t.model}`);

  async function ask(text: string): Promise<void> {
    await session.send(text);
    await session.idle;
  }

  /** The conversation as saved on disk, read by a fresh history (another window's view). */
  async function saved(): Promise<string[]> {
    await session.settled();
    const history = new ChatHistory(nodeFileStore, join(dir, 'chats'));
    await history.load();
    return (history.get(session.current.id)?.turns ?? []).map((t) => `${t.role}:${t.role === 'user' ? t.content : t.model}`);
  }

  it('regenerates an answer with its own model, then with another; the question is sent alone and the old answer is gone', async () => {
    await ask('[[echo]]What is a pool?');
    const first = session.current.turns[1]!;
    selected = 'anthropic/claude-3.5-sonnet';
    await session.regenerate(first.id);
    await session.idle;
    assert.equal(chatRequests().at(-1)!.model, 'openai/gpt-4o-mini', 'the answer’s own model, not the one chosen since');
    assert.deepEqual(chatRequests().at(-1)!.messages, [{ role: 'user', content: '[[echo]]What is a pool?' }]);
    assert.ok(posted.some((m) => m.type === 'turnRemoved' && m.turnId === first.id), 'the panel drops the old answer');

    await session.regenerate(session.current.turns[1]!.id, 'emulator/echo');
    await session.idle;
    assert.equal(chatRequests().at(-1)!.model, 'emulator/echo');
    assert.deepEqual(conversationShape(), ['user:[[echo]]What is a pool?', 'assistant:emulator/echo']);
    assert.deepEqual(await saved(), conversationShape());
  });

  it('regenerating an earlier answer drops every turn after it', async () => {
    await ask('[[echo]]one');
    await ask('[[echo]]two');
    await session.regenerate(session.current.turns[1]!.id);
    await session.idle;
    assert.deepEqual(conversationShape(), ['user:[[echo]]one', 'assistant:openai/gpt-4o-mini']);
    assert.deepEqual(chatRequests().at(-1)!.messages, [{ role: 'user', content: '[[echo]]one' }]);
  });

  it('edits a question and resends: later turns are dropped, the edited text is sent with the turns before it, and saved', async () => {
    await ask('[[echo]]one');
    await ask('[[echo]]two');
    await ask('[[echo]]three');
    const second = session.current.turns[2]!;
    await session.editAndResend(second.id, '[[echo]]two, edited');
    await session.idle;
    assert.deepEqual(chatRequests().at(-1)!.messages, [
      { role: 'user', content: '[[echo]]one' },
      { role: 'assistant', content: 'one' },
      { role: 'user', content: '[[echo]]two, edited' },
    ]);
    assert.deepEqual(conversationShape(), ['user:[[echo]]one', 'assistant:openai/gpt-4o-mini', 'user:[[echo]]two, edited', 'assistant:openai/gpt-4o-mini']);
    assert.deepEqual(await saved(), conversationShape());
  });

  it('editing the first question renames the chat; an answer still streaming is stopped first', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 50 }, times: 1 });
    await session.send('[[chunks:50]] Original title');
    const streaming = session.current.turns[1]!;
    await session.editAndResend(session.current.turns[0]!.id, 'New title please');
    await session.idle;
    assert.ok(posted.some((m) => m.type === 'answerEnd' && m.turnId === streaming.id && m.status === 'stopped'));
    assert.equal(session.current.title, 'New title please');
    assert.deepEqual(conversationShape(), ['user:New title please', 'assistant:openai/gpt-4o-mini']);
  });

  it('copies an answer as the markdown the model wrote; not a question', async () => {
    await ask('[[echo]]**bold** and `code`');
    assert.equal(session.answerText(session.current.turns[1]!.id), '**bold** and `code`');
    assert.equal(session.answerText(session.current.turns[0]!.id), undefined);
  });
});

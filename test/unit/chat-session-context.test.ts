import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatHistory } from '../../src/chat/chatHistory';
import { ChatSession } from '../../src/chat/chatSession';
import { estimateTextTokens } from '../../src/models/tokenEstimate';
import type { ChatContentPart, ChatRequest } from '../../src/openrouter/types';
import type { ExtensionMessage, TurnAttachment } from '../../src/protocols/chat';
import type { Emulator } from '../emulator';
import { silentLog, useChatSessionRig } from './fixtures/chatSessionRig';
import { nodeFileStore } from '../../src/storage/nodeFileStore';

const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function file(text: string): TurnAttachment {
  return { id: `f-${Math.random().toString(36).slice(2)}`, kind: 'file', label: 'pool.ts', detail: 'src/pool.ts', path: 'src/pool.ts', bytes: text.length, tokens: estimateTextTokens(text), text, languageId: 'typescript' };
}

describe('chat session with attachments (real provider, loopback emulator)', () => {
  let emulator: Emulator;
  let dir: string;
  let posted: ExtensionMessage[];
  let model: string;
  let session: ChatSession;

  const rig = useChatSessionRig({
    emulator: { generationReadyAfterMs: 100 },
    folderPrefix: 'chat-context-',
    deps: () => ({ selectedModel: () => model, generationRetryDelaysMs: [50, 100, 200, 400, 800], modelReadsImages: (id) => id !== 'openai/gpt-4o-mini' }),
  });
  beforeEach(() => {
    model = 'openai/gpt-4o-mini';
    ({ emulator, dir, posted, session } = rig());
  });


  function chatBodies(): ChatRequest[] {
    return emulator.requests().filter((r) => r.path === '/chat/completions').map((r) => r.body as ChatRequest);
  }

  async function answered(count: number): Promise<Extract<ExtensionMessage, { type: 'answerEnd' }>> {
    await session.idle;
    const ends = posted.filter((m): m is Extract<ExtensionMessage, { type: 'answerEnd' }> => m.type === 'answerEnd');
    assert.equal(ends.length, count);
    return ends[count - 1]!;
  }

  it('sends the file’s text with the question; history keeps it, the panel gets only the chip', async () => {
    const attachment = file('export const poolSize = 10;\n');
    assert.equal(await session.send('What is poolSize?', { attachments: [attachment], imageData: new Map() }), true);
    assert.equal((await answered(1)).status, 'done');
    const parts = chatBodies()[0]!.messages[0]!.content as ChatContentPart[];
    assert.match((parts[0] as { text: string }).text, /File: src\/pool\.ts\n```typescript\nexport const poolSize = 10;\n```/);
    assert.equal((parts[1] as { text: string }).text, 'What is poolSize?');
    const added = posted.find((m) => m.type === 'turnAdded' && m.turn.role === 'user');
    assert.ok(added && JSON.stringify(added).includes('pool.ts') && !JSON.stringify(added).includes('poolSize = 10'), 'the panel sees the chip, not the text');
    const shown = (await session.snapshot()).conversation.turns[0]!;
    assert.ok(shown.role === 'user' && shown.attachments?.[0]?.label === 'pool.ts' && shown.attachments[0].text === undefined, 'nor does a snapshot (a reloaded panel)');
    await session.settled();
    const saved = readFileSync(join(dir, 'chats', readdirSync(join(dir, 'chats')).find((f) => f.endsWith('.json'))!), 'utf8');
    assert.ok(saved.includes('export const poolSize = 10;'), 'the follow-up questions can send it again');

    // A follow-up sends the earlier attachment again, as part of the conversation.
    await session.send('And twice that?');
    await answered(2);
    assert.match(JSON.stringify(chatBodies()[1]!.messages), /poolSize = 10/);
  });

  it('history keeps a file attached twice unchanged once; both questions still send it', async () => {
    const text = 'export const onlyOnceMarker = 42;\n';
    await session.send('[[chunks:2]] First look', { attachments: [file(text)], imageData: new Map() });
    await answered(1);
    await session.send('[[chunks:2]] Second look', { attachments: [file(text)], imageData: new Map() });
    await answered(2);
    const questions = chatBodies()[1]!.messages.filter((m) => m.role === 'user');
    assert.equal(JSON.stringify(questions).split('onlyOnceMarker').length - 1, 2, 'the second request carries both copies');
    await session.settled();
    const saved = readFileSync(join(dir, 'chats', readdirSync(join(dir, 'chats')).find((f) => f.endsWith('.json'))!), 'utf8');
    assert.equal(saved.split('onlyOnceMarker').length - 1, 1, 'history holds the text once');
  });

  it('a question edited and resent keeps its attachments', async () => {
    await session.send('What is poolSize?', { attachments: [file('export const poolSize = 10;\n')], imageData: new Map() });
    await answered(1);
    const question = session.current.turns[0]!;
    await session.editAndResend(question.id, 'What is poolSize, exactly?');
    await answered(2);
    const parts = chatBodies()[1]!.messages[0]!.content as ChatContentPart[];
    assert.match((parts[0] as { text: string }).text, /poolSize = 10/);
    assert.equal((parts[1] as { text: string }).text, 'What is poolSize, exactly?');
    assert.equal(session.current.turns.length, 2, 'the edited question and its new answer');
  });

  it('sends an image as an image_url part to a vision model; the chat file keeps its name only', async () => {
    model = 'anthropic/claude-sonnet-4.5';
    const image: TurnAttachment = { id: 'img-1', kind: 'image', label: 'shot.png', detail: 'shot.png', path: 'shot.png', bytes: 70, tokens: 765, mimeType: 'image/png' };
    await session.send('What is in the picture?', { attachments: [image], imageData: new Map([['img-1', pixel]]) });
    await answered(1);
    const parts = chatBodies()[0]!.messages[0]!.content as ChatContentPart[];
    assert.deepEqual(parts.at(-1), { type: 'image_url', image_url: { url: pixel } });
    await session.settled();
    const saved = readFileSync(join(dir, 'chats', readdirSync(join(dir, 'chats')).find((f) => f.endsWith('.json'))!), 'utf8');
    assert.ok(saved.includes('shot.png') && !saved.includes('base64'), 'no image data in history');
  });

  it('a chat reopened in a later session sends its image again with the follow-up; deleting the chat deletes the image', async () => {
    model = 'anthropic/claude-sonnet-4.5';
    const image: TurnAttachment = { id: 'img-later', kind: 'image', label: 'diagram.png', detail: 'diagram.png', path: 'diagram.png', bytes: 70, tokens: 765, mimeType: 'image/png' };
    await session.send('What is in the picture?', { attachments: [image], imageData: new Map([['img-later', pixel]]) });
    await answered(1);
    await session.settled();
    const chatId = session.current.id;

    // VS Code restarted: a new session on the same history, with nothing in memory.
    const { provider } = rig();
    const laterPosted: ExtensionMessage[] = [];
    const later = new ChatSession({
      provider: () => provider,
      hasKey: () => Promise.resolve(true),
      selectedModel: () => model,
      models: () => [],
      history: new ChatHistory(nodeFileStore, join(dir, 'chats')),
      post: (message) => laterPosted.push(message),
      onAnswerFinished: () => undefined,
      log: silentLog,
    });
    try {
      await later.openChat(chatId);
      assert.equal(later.current.id, chatId);
      assert.equal(await later.send('And what colour is it?'), true);
      await later.settled();
      const follow = chatBodies()[1]!;
      const firstQuestion = follow.messages[0]!.content as ChatContentPart[];
      assert.deepEqual(firstQuestion.at(-1), { type: 'image_url', image_url: { url: pixel } }, 'the image went again, not a note that it was attached');
      assert.ok(!JSON.stringify(laterPosted).includes('base64'), 'the panel never receives image data');

      await later.deleteChat(chatId);
      const left = readdirSync(join(dir, 'chats')).filter((name) => name.startsWith(chatId));
      assert.deepEqual(left, [`${chatId}.deleted`], 'neither the chat nor its image is left, only the mark that it was deleted');
    } finally {
      later.dispose();
      await later.settled();
    }
  });

  it('marks a large attachment cacheable for Anthropic; the follow-up’s footer shows the cached tokens and the saving', async () => {
    model = 'anthropic/claude-sonnet-4.5';
    const large = file('export function handler(request: Request): Response { return new Response("ok"); }\n'.repeat(80));
    assert.ok(large.tokens >= 1024);
    await session.send('Summarise this file', { attachments: [large], imageData: new Map() });
    const first = await answered(1);
    const firstParts = chatBodies()[0]!.messages[0]!.content as ChatContentPart[];
    assert.deepEqual(firstParts[0]!.cache_control, { type: 'ephemeral' });
    assert.ok(first.stats?.cacheWriteTokens && first.stats.cacheWriteTokens > 0, 'the first request writes the cache');

    await session.send('Which status does it return?');
    const second = await answered(2);
    assert.ok(second.stats?.cachedTokens && second.stats.cachedTokens > 1000, `cached tokens from usage: ${JSON.stringify(second.stats)}`);
    await session.settled();
    const stats = posted.filter((m): m is Extract<ExtensionMessage, { type: 'answerStats' }> => m.type === 'answerStats' && m.turnId === second.turnId).at(-1)?.stats;
    assert.ok(stats?.cacheDiscountUsd && stats.cacheDiscountUsd > 0, `the generation's cache_discount: ${JSON.stringify(stats)}`);
  });
});

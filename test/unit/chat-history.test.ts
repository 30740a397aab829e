import assert from 'node:assert/strict';
import { ChatHistory, type HistoryFile } from '../../src/chat/chatHistory';
import type { Conversation } from '../../src/protocol';

function memoryFile(initial?: string): HistoryFile & { text: string | undefined; writes: number } {
  const file = {
    text: initial,
    writes: 0,
    read: async () => file.text,
    write: async (text: string) => {
      file.text = text;
      file.writes++;
    },
  };
  return file;
}

function chat(id: string, words = 1, updatedAt = Date.now()): Conversation {
  return {
    id,
    title: `Chat ${id}`,
    createdAt: updatedAt,
    updatedAt,
    systemPrompt: '',
    turns: [
      { role: 'user', id: `${id}-u`, content: 'word '.repeat(words), createdAt: updatedAt },
      { role: 'assistant', id: `${id}-a`, content: 'answer', reasoning: '', model: 'm', status: 'done', createdAt: updatedAt },
    ],
  };
}

describe('chat history', () => {
  it('lists chats newest first and reads them back from the file', async () => {
    const file = memoryFile();
    const history = new ChatHistory(file);
    await history.save(chat('a'));
    await history.save(chat('b'));
    await history.save(chat('a'));
    assert.deepEqual(history.list().map((c) => c.id), ['a', 'b']);
    const again = new ChatHistory(file);
    await again.load();
    assert.deepEqual(again.list().map((c) => c.id), ['a', 'b']);
    assert.equal(again.get('b')?.turns.length, 2);
  });

  it('keeps at most maxChats, dropping the oldest', async () => {
    const history = new ChatHistory(memoryFile(), { maxChats: 3, maxChars: 1e9 });
    for (const id of ['1', '2', '3', '4', '5']) await history.save(chat(id));
    assert.deepEqual(history.list().map((c) => c.id), ['5', '4', '3']);
  });

  it('keeps the file under maxChars, dropping old chats, then the oldest turns of a huge one', async () => {
    const file = memoryFile();
    const history = new ChatHistory(file, { maxChats: 100, maxChars: 5000 });
    for (const id of ['1', '2', '3']) await history.save(chat(id, 300));
    assert.ok(file.text!.length <= 5000 + 50, `file is ${file.text!.length} chars`);
    assert.equal(history.list()[0]?.id, '3');
    const huge = chat('huge', 2000);
    await history.save(huge);
    assert.deepEqual(history.list().map((c) => c.id), ['huge']);
    assert.equal(history.get('huge')?.turns.at(-1)?.role, 'assistant', 'the latest turns survive');
  });

  it('deletes a chat', async () => {
    const history = new ChatHistory(memoryFile());
    await history.save(chat('a'));
    await history.save(chat('b'));
    await history.delete('a');
    assert.deepEqual(history.list().map((c) => c.id), ['b']);
  });

  it('starts empty from an unreadable or foreign file instead of failing', async () => {
    const problems: string[] = [];
    const history = new ChatHistory(memoryFile('{not json'), undefined, (m) => problems.push(m));
    await history.load();
    assert.deepEqual(history.list(), []);
    assert.equal(problems.length, 1);
    const other = new ChatHistory(memoryFile(JSON.stringify({ version: 1, chats: [{ id: 1 }, chat('ok')] })));
    await other.load();
    assert.deepEqual(other.list().map((c) => c.id), ['ok']);
  });
});

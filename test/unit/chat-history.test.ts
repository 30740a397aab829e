import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatHistory } from '../../src/chat/chatHistory';
import type { Conversation } from '../../src/webview/protocol';

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
  let dir: string;
  let folder: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chat-history-'));
    folder = join(dir, 'chats');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists chats newest first and reads them back from the folder', async () => {
    const history = new ChatHistory(folder);
    await history.save(chat('a', 1, 1000));
    await history.save(chat('b', 1, 2000));
    await history.save(chat('a', 1, 3000));
    assert.deepEqual(history.list().map((c) => c.id), ['a', 'b']);
    const again = new ChatHistory(folder);
    await again.load();
    assert.deepEqual(again.list().map((c) => c.id), ['a', 'b']);
    assert.equal(again.get('b')?.turns.length, 2);
  });

  it('keeps at most maxChats, dropping the oldest', async () => {
    const history = new ChatHistory(folder, { limits: { maxChats: 3, maxChars: 1e9 } });
    for (const [i, id] of ['1', '2', '3', '4', '5'].entries()) await history.save(chat(id, 1, 1000 + i));
    assert.deepEqual(history.list().map((c) => c.id), ['5', '4', '3']);
    assert.deepEqual(readdirSync(folder).sort(), ['3.json', '4.json', '5.json']);
  });

  it('keeps the files under maxChars, dropping old chats, then the oldest turns of a huge one', async () => {
    const history = new ChatHistory(folder, { limits: { maxChats: 100, maxChars: 5000 } });
    for (const [i, id] of ['1', '2', '3'].entries()) await history.save(chat(id, 200, 1000 + i));
    const folderChars = (): number => readdirSync(folder).reduce((sum, name) => sum + readFileSync(join(folder, name), 'utf8').length, 0);
    assert.ok(folderChars() <= 5000, `the folder holds ${folderChars()} chars`);
    assert.deepEqual(history.list().map((c) => c.id), ['3', '2', '1']);
    await history.save(chat('4', 200, 1003));
    assert.deepEqual(history.list().map((c) => c.id), ['4', '3', '2'], 'the oldest chat went');
    await history.save(chat('huge', 2000, 2000));
    assert.ok(folderChars() <= 5000, `the folder holds ${folderChars()} chars`);
    assert.equal(history.list()[0]?.id, 'huge');
    assert.equal(history.get('huge')?.turns.at(-1)?.role, 'assistant', 'the latest turns survive');
  });

  it('deletes a chat, and a later save of it (an answer still finishing) does not bring it back', async () => {
    const history = new ChatHistory(folder);
    await history.save(chat('a'));
    await history.save(chat('b'));
    await history.delete('a');
    await history.save(chat('a', 5));
    assert.deepEqual(history.list().map((c) => c.id), ['b']);
    const reread = new ChatHistory(folder);
    await reread.load();
    assert.deepEqual(reread.list().map((c) => c.id), ['b']);
  });

  it('two windows sharing the folder keep both windows’ chats', async () => {
    const left = new ChatHistory(folder);
    const right = new ChatHistory(folder);
    await left.load();
    await right.load();
    // Interleaved, as two windows answering at once would write.
    await Promise.all([left.save(chat('left-1', 1, 1000)), right.save(chat('right-1', 1, 1001)), left.save(chat('left-2', 1, 1002)), right.save(chat('right-2', 1, 1003))]);
    await left.load();
    await right.load();
    const ids = ['right-2', 'left-2', 'right-1', 'left-1'];
    assert.deepEqual(left.list().map((c) => c.id), ids);
    assert.deepEqual(right.list().map((c) => c.id), ids);
  });

  it('two processes saving into the folder at the same time lose none of each other’s chats', async function () {
    this.timeout(60_000);
    const writer = (prefix: string): Promise<number | null> =>
      new Promise((resolve, reject) => {
        const child = fork(join(__dirname, 'fixtures', 'historyWriter.ts'), [folder, prefix, '25'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
        child.on('error', reject);
        child.on('exit', resolve);
      });
    assert.deepEqual(await Promise.all([writer('left'), writer('right')]), [0, 0]);
    const reader = new ChatHistory(folder);
    await reader.load();
    const ids = new Set(reader.list().map((c) => c.id));
    assert.equal(ids.size, 50, `all fifty chats are there, found ${ids.size}`);
    assert.equal(readdirSync(folder).filter((name) => name.endsWith('.tmp')).length, 0, 'no half-written file is left');
  });

  it('a chat deleted in one window is not written back by another window still answering in it', async () => {
    const left = new ChatHistory(folder);
    const right = new ChatHistory(folder);
    await left.save(chat('shared'));
    await right.load();
    await left.delete('shared');
    await right.save(chat('shared', 3));
    await left.load();
    await right.load();
    assert.deepEqual(left.list(), []);
    assert.deepEqual(right.list(), []);
  });

  it('moves the single-file history of earlier versions into the folder once', async () => {
    const legacyFile = join(dir, 'chat-history.json');
    writeFileSync(legacyFile, JSON.stringify({ version: 1, chats: [chat('old-1', 1, 1000), { id: 1 }, chat('old-2', 1, 2000)] }));
    const history = new ChatHistory(folder, { legacyFile });
    await history.load();
    assert.deepEqual(history.list().map((c) => c.id), ['old-2', 'old-1']);
    assert.equal(existsSync(legacyFile), false, 'the old file is retired');
    assert.equal(existsSync(`${legacyFile}.migrated`), true, 'and kept aside, not destroyed');
  });

  it('skips unreadable files and refuses ids that are not plain names', async () => {
    const history = new ChatHistory(folder);
    await history.save(chat('ok'));
    writeFileSync(join(folder, 'broken.json'), '{not json');
    await history.save({ ...chat('x'), id: '../escape' });
    await history.delete('../../etc');
    await history.load();
    assert.deepEqual(history.list().map((c) => c.id), ['ok']);
    assert.equal(existsSync(join(dir, 'escape.json')), false);
  });
});

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatHistory } from '../../src/chat/chatHistory';
import { HistoryFolder } from '../../src/chat/historyFolder';
import type { Conversation } from '../../src/webview/protocol';

function chat(id: string, updatedAt: number, imageIds: string[] = []): Conversation {
  return {
    id,
    title: `Chat ${id}`,
    createdAt: updatedAt,
    updatedAt,
    systemPrompt: '',
    turns: [
      {
        role: 'user',
        id: `${id}-u`,
        content: 'What is in the picture?',
        createdAt: updatedAt,
        attachments: imageIds.map((imageId) => ({ id: imageId, kind: 'image' as const, label: `${imageId}.png`, detail: `${imageId}.png`, path: `${imageId}.png`, bytes: 10, tokens: 765, mimeType: 'image/png' })),
      },
      { role: 'assistant', id: `${id}-a`, content: 'A cat.', reasoning: '', model: 'm', status: 'done', createdAt: updatedAt },
    ],
  };
}

/** A data URL of about `chars` characters, distinct per `seed`. */
function image(seed: string, chars = 100): string {
  const prefix = `data:image/png;base64,${seed}`;
  return prefix + 'A'.repeat(Math.max(0, chars - prefix.length));
}

describe('chat history: the images of its questions', () => {
  let dir: string;
  let folder: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chat-history-images-'));
    folder = join(dir, 'chats');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps them beside the chat, out of its file, for another window or a later session to read', async () => {
    const history = new ChatHistory(folder);
    await history.save(chat('c1', 1000, ['img-1', 'img-2']));
    await history.saveImages('c1', new Map([['img-1', image('one')], ['img-2', image('two')]]));
    const later = new ChatHistory(folder);
    await later.load();
    const images = await later.loadImages('c1', ['img-1', 'img-2', 'img-3']);
    assert.deepEqual([...images.keys()].sort(), ['img-1', 'img-2'], 'the two kept, none made up for the third');
    assert.equal(images.get('img-2'), image('two'));
    assert.ok(!JSON.stringify(later.get('c1')).includes('base64'), 'the chat file holds no image data');
  });

  it('deletes them with the chat, and never writes them for a chat deleted already', async () => {
    const history = new ChatHistory(folder);
    await history.save(chat('c1', 1000, ['img-1']));
    await history.saveImages('c1', new Map([['img-1', image('one')]]));
    assert.ok(existsSync(join(folder, 'c1.images')));
    await history.delete('c1');
    assert.ok(!existsSync(join(folder, 'c1.images')), 'the images went with the chat');
    await history.saveImages('c1', new Map([['img-1', image('one')]]));
    assert.ok(!existsSync(join(folder, 'c1.images')), 'a late write of a deleted chat’s images is dropped');
    assert.equal((await new ChatHistory(folder).loadImages('c1', ['img-1'])).size, 0);
  });

  it('drops them with a chat the history lets go past its bounds', async () => {
    const history = new ChatHistory(folder, { limits: { maxChats: 1, maxChars: 1e9 } });
    await history.save(chat('old', 1000, ['img-1']));
    await history.saveImages('old', new Map([['img-1', image('one')]]));
    await history.save(chat('new', 2000));
    assert.deepEqual(history.list().map((c) => c.id), ['new']);
    assert.ok(!existsSync(join(folder, 'old.images')), 'the dropped chat’s images went too');
  });

  it('keeps all images under their bound, letting the least recently used chats’ images go first', async () => {
    const history = new ChatHistory(folder, { limits: { maxChats: 100, maxChars: 1e9, maxImageBytes: 2500 } });
    await history.save(chat('a', 1000, ['a-1']));
    await history.save(chat('b', 2000, ['b-1']));
    await history.save(chat('c', 3000, ['c-1']));
    await history.saveImages('a', new Map([['a-1', image('a', 1000)]]));
    await history.saveImages('b', new Map([['b-1', image('b', 1000)]]));
    assert.equal((await history.loadImages('a', ['a-1'])).size, 1, 'two images fit');
    await history.saveImages('c', new Map([['c-1', image('c', 1000)]]));
    assert.equal((await history.loadImages('a', ['a-1'])).size, 0, 'the least recently used chat’s image went');
    assert.equal((await history.loadImages('b', ['b-1'])).size, 1);
    assert.equal((await history.loadImages('c', ['c-1'])).size, 1);
    assert.deepEqual(history.list().map((c) => c.id), ['c', 'b', 'a'], 'the chat itself stays, with its image’s name');

    // One image larger than the whole bound is still kept for its own chat, which is the one in use.
    await history.saveImages('a', new Map([['a-2', image('huge', 4000)]]));
    assert.equal((await history.loadImages('a', ['a-2'])).size, 1);
    assert.equal((await history.loadImages('b', ['b-1'])).size + (await history.loadImages('c', ['c-1'])).size, 0);
  });

  it('tidies images whose chat was deleted elsewhere or never written, but not those of a question still on its way', async () => {
    const images = (id: string): string => join(folder, `${id}.images`);
    mkdirSync(folder, { recursive: true });
    const history = new ChatHistory(folder);
    await history.save(chat('kept', 1000, ['k']));
    await history.saveImages('kept', new Map([['k', image('k')]]));
    for (const id of ['gone', 'orphan', 'fresh']) {
      mkdirSync(images(id));
      writeFileSync(join(images(id), 'x.dataurl'), image(id));
    }
    writeFileSync(join(folder, 'gone.deleted'), String(Date.now()));
    // A window that closed before its question was saved, two hours ago.
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
    utimesSync(images('orphan'), twoHoursAgo, twoHoursAgo);
    await new HistoryFolder(folder).list();
    assert.deepEqual(readdirSync(folder).filter((name) => name.endsWith('.images')).sort(), ['fresh.images', 'kept.images']);
  });

  it('never reads or writes outside its folder, whatever ids a hand-edited history holds', async () => {
    const history = new ChatHistory(folder);
    await history.save(chat('c1', 1000));
    writeFileSync(join(dir, 'secret.dataurl'), 'data:image/png;base64,outside');
    assert.equal((await history.loadImages('c1', ['../../secret', '..'])).size, 0);
    assert.equal((await history.loadImages('../c1', ['img'])).size, 0);
    const errors: string[] = [];
    const strict = new ChatHistory(folder, { onError: (message) => errors.push(message) });
    await strict.saveImages('c1', new Map([['../escape', image('e')]]));
    assert.ok(!existsSync(join(folder, 'escape.dataurl')) && !existsSync(join(folder, 'c1.images', '..', 'escape.dataurl')));
    assert.match(errors.join('\n'), /unsafe attachment id/);
  });
});

import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatHistory } from '../../src/chat/chatHistory';
import { HistoryFolder } from '../../src/chat/historyFolder';
import { nodeFileStore } from '../../src/storage/nodeFileStore';
import { savedChat as chat } from '../support/savedChat';

/** A data URL of about `chars` characters, distinct per `seed`. */
function image(seed: string, chars = 100): string {
  const prefix = `data:image/png;base64,${seed}`;
  return prefix + 'A'.repeat(Math.max(0, chars - prefix.length));
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
    const history = new ChatHistory(nodeFileStore, folder);
    await history.save(chat('a', 1, 1000));
    await history.save(chat('b', 1, 2000));
    await history.save(chat('a', 1, 3000));
    assert.deepEqual(history.list().map((c) => c.id), ['a', 'b']);
    const again = new ChatHistory(nodeFileStore, folder);
    await again.load();
    assert.deepEqual(again.list().map((c) => c.id), ['a', 'b']);
    assert.equal(again.get('b')?.turns.length, 2);
  });

  it('keeps at most maxChats, dropping the oldest', async () => {
    const history = new ChatHistory(nodeFileStore, folder, { limits: { maxChats: 3, maxChars: 1e9 } });
    for (const [i, id] of ['1', '2', '3', '4', '5'].entries()) await history.save(chat(id, 1, 1000 + i));
    assert.deepEqual(history.list().map((c) => c.id), ['5', '4', '3']);
    assert.deepEqual(readdirSync(folder).sort(), ['3.json', '4.json', '5.json']);
  });

  it('keeps the files under maxChars, dropping old chats, then the oldest turns of a huge one', async () => {
    const history = new ChatHistory(nodeFileStore, folder, { limits: { maxChats: 100, maxChars: 5000 } });
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
    const history = new ChatHistory(nodeFileStore, folder);
    await history.save(chat('a'));
    await history.save(chat('b'));
    await history.delete('a');
    await history.save(chat('a', 5));
    assert.deepEqual(history.list().map((c) => c.id), ['b']);
    const reread = new ChatHistory(nodeFileStore, folder);
    await reread.load();
    assert.deepEqual(reread.list().map((c) => c.id), ['b']);
  });

  it('two windows sharing the folder keep both windows’ chats', async () => {
    const left = new ChatHistory(nodeFileStore, folder);
    const right = new ChatHistory(nodeFileStore, folder);
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
    const reader = new ChatHistory(nodeFileStore, folder);
    await reader.load();
    const ids = new Set(reader.list().map((c) => c.id));
    assert.equal(ids.size, 50, `all fifty chats are there, found ${ids.size}`);
    assert.equal(readdirSync(folder).filter((name) => name.endsWith('.tmp')).length, 0, 'no half-written file is left');
  });

  it('a chat deleted in one window is not written back by another window still answering in it', async () => {
    const left = new ChatHistory(nodeFileStore, folder);
    const right = new ChatHistory(nodeFileStore, folder);
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
    const history = new ChatHistory(nodeFileStore, folder, { legacyFile });
    await history.load();
    assert.deepEqual(history.list().map((c) => c.id), ['old-2', 'old-1']);
    assert.equal(existsSync(legacyFile), false, 'the old file is retired');
    assert.equal(existsSync(`${legacyFile}.migrated`), true, 'and kept aside, not destroyed');
  });

  it('skips unreadable files and refuses ids that are not plain names', async () => {
    const history = new ChatHistory(nodeFileStore, folder);
    await history.save(chat('ok'));
    writeFileSync(join(folder, 'broken.json'), '{not json');
    await history.save({ ...chat('x'), id: '../escape' });
    await history.delete('../../etc');
    await history.load();
    assert.deepEqual(history.list().map((c) => c.id), ['ok']);
    assert.equal(existsSync(join(dir, 'escape.json')), false);
  });

  describe('on disk, for this user only', () => {
    const modeOf = (path: string): number => statSync(path).mode & 0o777;
    before(function () {
      if (process.platform === 'win32') this.skip();
    });

    it('writes chats, images and tombstones readable by no other local user (files 0600, folders 0700)', async () => {
      const history = new ChatHistory(nodeFileStore, folder);
      await history.save(chat('a', 1, 1000, ['img1']));
      await history.saveImages('a', new Map([['img1', image('p')]]));
      await history.save(chat('b'));
      await history.delete('b');
      assert.equal(modeOf(folder), 0o700, 'the history folder');
      assert.equal(modeOf(join(folder, 'a.json')), 0o600, 'a chat');
      assert.equal(modeOf(join(folder, 'a.images')), 0o700, 'its images folder');
      assert.equal(modeOf(join(folder, 'a.images', 'img1.dataurl')), 0o600, 'an image');
      assert.equal(modeOf(join(folder, 'b.deleted')), 0o600, 'a tombstone');
    });

    it('tightens a history an earlier version left readable by everyone, and its retired single file', async () => {
      mkdirSync(join(folder, 'old.images'), { recursive: true, mode: 0o755 });
      chmodSync(folder, 0o755);
      writeFileSync(join(folder, 'old.json'), JSON.stringify({ version: 1, chat: chat('old') }), { mode: 0o644 });
      const legacyFile = join(dir, 'chat-history.json');
      writeFileSync(legacyFile, JSON.stringify({ version: 1, chats: [chat('older')] }), { mode: 0o644 });
      const history = new ChatHistory(nodeFileStore, folder, { legacyFile });
      await history.load();
      assert.deepEqual(history.list().map((c) => c.id).sort(), ['old', 'older']);
      assert.deepEqual([modeOf(folder), modeOf(join(folder, 'old.json')), modeOf(join(folder, 'old.images')), modeOf(`${legacyFile}.migrated`)], [0o700, 0o600, 0o700, 0o600]);
    });
  });

  describe('a chat file that cannot be read', () => {
    it('is kept aside under a new name, said once with its title and place, and never deleted', async () => {
      const told: Array<{ title: string | undefined; keptAt: string }> = [];
      const history = new ChatHistory(nodeFileStore, folder, { onUnreadable: (chat) => told.push(chat) });
      await history.save(chat('ok'));
      const damaged = JSON.stringify({ version: 1, chat: chat('broken') }).slice(0, -40);
      writeFileSync(join(folder, 'broken.json'), damaged);
      await history.load();
      await history.load();
      const other = new ChatHistory(nodeFileStore, folder, { onUnreadable: (chat) => told.push(chat) });
      await other.load();
      assert.deepEqual(history.list().map((c) => c.id), ['ok']);
      assert.equal(told.length, 1, 'said once, whichever window looks');
      assert.equal(told[0]?.title, 'Chat broken');
      assert.match(told[0]?.keptAt ?? '', /[/\\]broken\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
      assert.equal(readFileSync(told[0]?.keptAt ?? '', 'utf8'), damaged, 'the file is unchanged');
      // The bounds and deletions of the history never touch it.
      const bounded = new ChatHistory(nodeFileStore, folder, { limits: { maxChats: 1, maxChars: 10_000 } });
      await bounded.save(chat('newer', 1, Date.now() + 1000));
      await bounded.delete('broken');
      assert.equal(readFileSync(told[0]?.keptAt ?? '', 'utf8'), damaged);
    });

    it('leaves a later version’s file where it is, unreported', async () => {
      const told: unknown[] = [];
      mkdirSync(folder, { recursive: true });
      const later = JSON.stringify({ version: 2, chat: { id: 'next', somethingNew: true } });
      writeFileSync(join(folder, 'next.json'), later);
      const history = new ChatHistory(nodeFileStore, folder, { onUnreadable: (chat) => told.push(chat) });
      await history.load();
      assert.deepEqual([history.list().length, told.length, readFileSync(join(folder, 'next.json'), 'utf8')], [0, 0, later]);
    });
  });

  describe('openrouter.chat.keepHistory off', () => {
    it('writes no chat and no image, and leaves the chats saved before as they are', async () => {
      let keep = true;
      const history = new ChatHistory(nodeFileStore, folder, { keep: () => keep });
      await history.save(chat('before'));
      keep = false;
      await history.save(chat('after', 1, 1000, ['img']));
      await history.saveImages('after', new Map([['img', image('x')]]));
      await history.save(chat('before', 5, Date.now() + 1000));
      assert.deepEqual(readdirSync(folder).sort(), ['before.json']);
      const again = new ChatHistory(nodeFileStore, folder);
      await again.load();
      assert.equal(again.get('before')?.turns[0]?.content, 'word ', 'unchanged');
    });

    it('deletes every saved chat when the user accepts the offer', async () => {
      const history = new ChatHistory(nodeFileStore, folder);
      await history.save(chat('a'));
      await history.save(chat('b', 1, 1000, ['img']));
      await history.saveImages('b', new Map([['img', image('x')]]));
      assert.equal(await history.deleteAll(), 2);
      const again = new ChatHistory(nodeFileStore, folder);
      await again.load();
      assert.deepEqual(again.list(), []);
      assert.deepEqual(readdirSync(folder).filter((name) => name.endsWith('.json') || name.endsWith('.images')), []);
    });
  });

  describe('the images of its questions', () => {
    it('keeps them beside the chat, out of its file, for another window or a later session to read', async () => {
      const history = new ChatHistory(nodeFileStore, folder);
      await history.save(chat('c1', 1, 1000, ['img-1', 'img-2']));
      await history.saveImages('c1', new Map([['img-1', image('one')], ['img-2', image('two')]]));
      const later = new ChatHistory(nodeFileStore, folder);
      await later.load();
      const images = await later.loadImages('c1', ['img-1', 'img-2', 'img-3']);
      assert.deepEqual([...images.keys()].sort(), ['img-1', 'img-2'], 'the two kept, none made up for the third');
      assert.equal(images.get('img-2'), image('two'));
      assert.ok(!JSON.stringify(later.get('c1')).includes('base64'), 'the chat file holds no image data');
    });

    it('deletes them with the chat, and never writes them for a chat deleted already', async () => {
      const history = new ChatHistory(nodeFileStore, folder);
      await history.save(chat('c1', 1, 1000, ['img-1']));
      await history.saveImages('c1', new Map([['img-1', image('one')]]));
      assert.ok(existsSync(join(folder, 'c1.images')));
      await history.delete('c1');
      assert.ok(!existsSync(join(folder, 'c1.images')), 'the images went with the chat');
      await history.saveImages('c1', new Map([['img-1', image('one')]]));
      assert.ok(!existsSync(join(folder, 'c1.images')), 'a late write of a deleted chat’s images is dropped');
      assert.equal((await new ChatHistory(nodeFileStore, folder).loadImages('c1', ['img-1'])).size, 0);
    });

    it('drops them with a chat the history lets go past its bounds', async () => {
      const history = new ChatHistory(nodeFileStore, folder, { limits: { maxChats: 1, maxChars: 1e9 } });
      await history.save(chat('old', 1, 1000, ['img-1']));
      await history.saveImages('old', new Map([['img-1', image('one')]]));
      await history.save(chat('new', 1, 2000));
      assert.deepEqual(history.list().map((c) => c.id), ['new']);
      assert.ok(!existsSync(join(folder, 'old.images')), 'the dropped chat’s images went too');
    });

    it('keeps all images under their bound, letting the least recently used chats’ images go first', async () => {
      const history = new ChatHistory(nodeFileStore, folder, { limits: { maxChats: 100, maxChars: 1e9, maxImageBytes: 2500 } });
      await history.save(chat('a', 1, 1000, ['a-1']));
      await history.save(chat('b', 1, 2000, ['b-1']));
      await history.save(chat('c', 1, 3000, ['c-1']));
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
      const history = new ChatHistory(nodeFileStore, folder);
      await history.save(chat('kept', 1, 1000, ['k']));
      await history.saveImages('kept', new Map([['k', image('k')]]));
      for (const id of ['gone', 'orphan', 'fresh']) {
        mkdirSync(images(id));
        writeFileSync(join(images(id), 'x.dataurl'), image(id));
      }
      writeFileSync(join(folder, 'gone.deleted'), String(Date.now()));
      // A window that closed before its question was saved, two hours ago.
      const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
      utimesSync(images('orphan'), twoHoursAgo, twoHoursAgo);
      await new HistoryFolder(nodeFileStore, folder).list();
      assert.deepEqual(readdirSync(folder).filter((name) => name.endsWith('.images')).sort(), ['fresh.images', 'kept.images']);
    });

    it('never reads or writes outside its folder, whatever ids a hand-edited history holds', async () => {
      const history = new ChatHistory(nodeFileStore, folder);
      await history.save(chat('c1', 1, 1000));
      writeFileSync(join(dir, 'secret.dataurl'), 'data:image/png;base64,outside');
      assert.equal((await history.loadImages('c1', ['../../secret', '..'])).size, 0);
      assert.equal((await history.loadImages('../c1', ['img'])).size, 0);
      const errors: string[] = [];
      const strict = new ChatHistory(nodeFileStore, folder, { onError: (message) => errors.push(message) });
      await strict.saveImages('c1', new Map([['../escape', image('e')]]));
      assert.ok(!existsSync(join(folder, 'escape.dataurl')) && !existsSync(join(folder, 'c1.images', '..', 'escape.dataurl')));
      assert.match(errors.join('\n'), /unsafe attachment id/);
    });
  });
});

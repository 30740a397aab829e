// The storage seam is real: the chat history and the usage record keep their whole behaviour (atomic writes,
// tombstones, private files, the legacy file, crash leftovers, one file per writer, retention) on a store held in
// memory, with no file system, as they would on a browser build's store.
import assert from 'node:assert/strict';
import { ChatHistory } from '../../src/chat/chatHistory';
import { HistoryFolder } from '../../src/chat/historyFolder';
import { UsageFolder } from '../../src/usage/usageFolder';
import { UsageRecorder } from '../../src/usage/usageRecorder';
import { MemoryFileStore } from '../support/memoryFileStore';
import { savedChat } from '../support/savedChat';
import { silentLog } from '../support/silentLog';

const DAY = 24 * 60 * 60_000;

describe('storage seam: the records on a store held in memory', () => {
  it('keeps chats and their images, replacing each file whole and privately; a deleted chat stays deleted in another window', async () => {
    const store = new MemoryFileStore();
    await store.makeFolder('profile');
    const history = new ChatHistory(store, 'profile/chats');
    await history.save(savedChat('a', 1, 1000));
    await history.save(savedChat('b', 1, 2000));
    await history.saveImages('a', new Map([['img1', 'data:image/png;base64,AAAA']]));
    await history.delete('b');
    await history.save(savedChat('b', 1, 3000));

    const other = new ChatHistory(store, 'profile/chats');
    await other.load();
    assert.deepEqual(other.list().map((c) => c.id), ['a']);
    assert.deepEqual([...(await other.loadImages('a', ['img1']))], [['img1', 'data:image/png;base64,AAAA']]);
    assert.deepEqual([...store.entries.keys()].filter((p) => p.startsWith('profile/chats/')).sort(), [
      'profile/chats/a.images',
      'profile/chats/a.images/img1.dataurl',
      'profile/chats/a.json',
      'profile/chats/b.deleted',
    ]);
    assert.ok(store.calls.includes('replaceText profile/chats/a.json'), 'a chat is replaced whole, never written in place');
    assert.ok(!store.calls.some((call) => call.startsWith('writeText profile/chats/a')), 'nothing of a chat is written in place');
    const open = [...store.entries].filter(([path, entry]) => path.startsWith('profile/chats') && !entry.private).map(([path]) => path);
    assert.deepEqual(open, [], 'every folder and file of the history is the user’s only');
  });

  it('moves the earlier single-file history in, makes it private, and tightens what an earlier version left open', async () => {
    const store = new MemoryFileStore();
    await store.makeFolder('profile/chats');
    store.seed('profile/chats/old.json', JSON.stringify({ version: 1, chat: savedChat('old', 1, 500) }));
    store.seed('profile/chat-history.json', JSON.stringify({ version: 1, chats: [savedChat('older', 1, 100)] }));
    const history = new ChatHistory(store, 'profile/chats', { legacyFile: 'profile/chat-history.json' });
    await history.load();
    assert.deepEqual(history.list().map((c) => c.id), ['old', 'older']);
    assert.equal(store.entries.has('profile/chat-history.json'), false);
    assert.equal(store.entries.get('profile/chat-history.json.migrated')?.private, true, 'the old file is kept aside, private');
    assert.equal(store.entries.get('profile/chats/old.json')?.private, true, 'an open chat file is tightened on listing');
    assert.equal(store.entries.get('profile/chats')?.private, true, 'and so is the folder');
  });

  it('tidies a crashed write’s temporary file and an old tombstone by their age, and sets a damaged chat aside', async () => {
    const store = new MemoryFileStore();
    await store.makeFolder('chats', { private: true });
    const folder = new HistoryFolder(store, 'chats');
    store.seed('chats/a.json.1.tmp', 'half', { mtimeMs: store.now - 2 * 60 * 60_000 });
    store.seed('chats/b.json.2.tmp', 'being written', { mtimeMs: store.now });
    store.seed('chats/gone.deleted', '1', { mtimeMs: store.now - 8 * DAY });
    store.seed('chats/recent.deleted', '1', { mtimeMs: store.now });
    store.seed('chats/broken.json', '{ not json');
    const listing = await folder.list(store.now);
    assert.deepEqual([...listing.deleted], ['recent']);
    assert.deepEqual(listing.chats.map((c) => c.id), ['broken']);
    assert.deepEqual([...store.entries.keys()].filter((p) => p.endsWith('.tmp') || p.endsWith('.deleted')).sort(), ['chats/b.json.2.tmp', 'chats/recent.deleted']);
    const aside = await folder.keepAside('broken', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    assert.equal(aside, 'chats/broken.corrupt-2026-01-02T03-04-05-000Z.json');
    assert.equal(store.entries.get(aside)?.text, '{ not json', 'the damaged file is kept, unchanged');
    assert.equal(await folder.keepAside('broken'), undefined, 'another window moved it first');
  });

  it('the usage record: two windows append to their own day files on one store, each sees both, and old days go', async () => {
    const store = new MemoryFileStore();
    const now = Date.UTC(2026, 10, 30, 12);
    const left = new UsageRecorder({ folder: new UsageFolder(store, 'usage'), keepPrompts: () => false, log: silentLog, now: () => now });
    const rightFolder = new UsageFolder(store, 'usage');
    const right = new UsageRecorder({ folder: rightFolder, keepPrompts: () => false, log: silentLog, now: () => now });
    await left.record({ source: 'chat', model: 'a/x', generationId: 'gen-left', costUsd: 0.25 });
    await right.record({ source: 'compare', model: 'b/y', generationId: 'gen-right', costUsd: 0.5 });
    await right.record({ source: 'compare', model: 'b/y', generationId: 'gen-left', costUsd: 0.25 });
    const files = [...store.entries.keys()].filter((p) => p.endsWith('.jsonl'));
    assert.equal(files.length, 2, 'one file per writer');
    assert.ok(files.every((p) => /^usage\/\d{4}-\d\d-\d\d\.memory-\d\.jsonl$/.test(p)), files.join(', '));
    assert.ok(!store.calls.some((call) => call.startsWith('writeText') || call.startsWith('replaceText')), 'the record only ever appends');
    for (const recorder of [left, right]) assert.deepEqual((await recorder.entries()).map((e) => e.id).sort(), ['gen-left', 'gen-right']);

    store.seed('usage/2000-01-01.elsewhere.jsonl', '');
    assert.equal(await rightFolder.prune(now), 1);
    assert.equal(store.entries.has('usage/2000-01-01.elsewhere.jsonl'), false);
  });
});

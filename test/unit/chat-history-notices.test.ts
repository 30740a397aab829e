import { standIn } from './vscode/install';
import { silent, workspaceConsent } from './vscode/providerHostFixture';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatHistory } from '../../src/chat/chatHistory';
import { offerToDeleteHistory, unreadableChatNotice } from '../../src/chat/historyNotices';
import { Settings } from '../../src/config/settings';
import { waitFor } from '../support/waitFor';
import { nodeFileStore } from '../../src/storage/nodeFileStore';

describe('chat history notices (vscode stand-in)', () => {
  let dir: string;
  beforeEach(() => {
    standIn.reset();
    dir = mkdtempSync(join(tmpdir(), 'chat-notices-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names a damaged chat and where its file is kept, once, and the file stays', async () => {
    const history = new ChatHistory(nodeFileStore, dir, { onUnreadable: unreadableChatNotice(silent) });
    writeFileSync(join(dir, 'c1.json'), '{"version":1,"chat":{"id":"c1","title":"Refactor the parser","turns":[');
    await history.load();
    await history.load();
    const warnings = standIn.messages.filter((m) => m.level === 'warning');
    assert.equal(warnings.length, 1);
    const kept = readdirSync(dir).find((name) => name.startsWith('c1.corrupt-')) ?? '';
    assert.ok(kept, readdirSync(dir).join(', '));
    assert.equal(warnings[0]?.text, `The saved chat “Refactor the parser” could not be read and is no longer in the chat history. Its file is kept, unchanged, at ${join(dir, kept)}.`);
  });

  it('turning openrouter.chat.keepHistory off offers to delete the chats saved before, and deletes nothing by itself', async () => {
    const settings = new Settings(silent, workspaceConsent());
    const history = new ChatHistory(nodeFileStore, dir, { keep: () => settings.values['chat.keepHistory'] });
    const now = Date.now();
    await history.save({ id: 'kept', title: 'Kept', createdAt: now, updatedAt: now, systemPrompt: '', turns: [] });
    const offer = offerToDeleteHistory(settings, history, silent, () => undefined);
    try {
      standIn.setConfiguration('openrouter.chat.keepHistory', false);
      await waitFor('the offer', () => standIn.messages.length > 0);
      assert.deepEqual(standIn.messages, [{ level: 'info', text: 'Chat history is off: new chats are not saved. The chat saved before is still on this computer.' }]);
      assert.deepEqual(readdirSync(dir), ['kept.json'], 'dismissed: nothing deleted');
    } finally {
      offer.dispose();
      settings.dispose();
    }
  });
});

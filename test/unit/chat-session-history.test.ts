import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatHistory } from '../../src/chat/chatHistory';
import { ChatSession } from '../../src/chat/chatSession';
import type { AssistantTurn } from '../../src/protocols/chat';
import { buildRouting, defaultRoutingSettings, type RoutingSettings } from '../../src/routing';
import { waitFor } from '../support/waitFor';
import { Panel, model, silent, useChatSessionRig } from './chatSessionRig';
import { nodeFileStore } from '../../src/storage/nodeFileStore';

describe('chat session: keys, history, switching chats and routing (real provider, loopback emulator)', () => {
  const rig = useChatSessionRig();

  it('refuses to send without a key, keeping the text, and sends nothing', async () => {
    rig.hasKey = false;
    await rig.session.send('my question');
    const rejected = await rig.panel.next('sendRejected');
    assert.equal(rejected.text, 'my question');
    assert.equal(rejected.error.kind, 'no-key');
    assert.equal(rejected.error.action?.action, 'setApiKey');
    assert.equal(rig.emulator.counters().requestsByPath['/chat/completions'] ?? 0, 0);
    assert.equal(rig.session.current.turns.length, 0);
  });

  it('keeps chats across sessions, reopens and deletes them', async () => {
    await rig.session.send('Remember this chat');
    await rig.panel.next('answerEnd');
    const firstId = rig.session.current.id;
    await rig.session.newChat();
    rig.session.dispose();

    const reopened = rig.newSession();
    try {
      const snapshot = await reopened.snapshot();
      assert.equal(snapshot.history.length, 1);
      assert.equal(snapshot.history[0]!.title, 'Remember this chat');
      await reopened.openChat(firstId);
      assert.equal(reopened.current.turns.length, 2);
      assert.equal((reopened.current.turns[1] as AssistantTurn).status, 'done');
      await reopened.deleteChat(firstId);
      assert.equal((await reopened.snapshot()).history.length, 0);
      assert.notEqual(reopened.current.id, firstId, 'deleting the open chat starts a new one');
    } finally {
      reopened.dispose();
    }
  });

  /** What a fresh window would read from the shared folder. */
  async function storedChats(): Promise<ChatHistory> {
    const reader = new ChatHistory(nodeFileStore, join(rig.dir, 'chats'));
    await rig.history.flush();
    await reader.load();
    return reader;
  }

  it('deleting the open chat while it streams keeps it deleted', async () => {
    rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 40 } });
    await rig.session.send('[[chunks:200]] delete me');
    await rig.panel.next('answerDelta');
    const deletedId = rig.session.current.id;
    await rig.session.deleteChat(deletedId);
    assert.equal(rig.panel.of('answerEnd')[0]?.status, 'stopped', 'the answer stopped with its chat');
    // The stopped answer's /generation poll ends with one more save of the deleted chat.
    await rig.session.settled();
    assert.ok(rig.emulator.requests().some((r) => r.path === '/generation'), 'the stats were asked for');
    const stored = await storedChats();
    assert.equal(stored.get(deletedId), undefined);
    assert.ok(!(await rig.session.snapshot()).history.some((c) => c.id === deletedId), 'the panel list does not show it either');
    assert.equal(rig.panel.of('sendRejected').length, 0, 'deleting it here raises no "deleted elsewhere" notice');
  });

  it('Stop then New Chat before /generation answers still stores the stopped answer’s stats', async () => {
    rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 40 } });
    await rig.session.send('[[chunks:200]] stop and leave');
    await rig.panel.next('answerDelta');
    const stoppedId = rig.session.current.id;
    rig.session.stop();
    await rig.session.newChat();
    await rig.session.settled();
    const turn = (await storedChats()).get(stoppedId)?.turns[1];
    assert.equal(turn?.role === 'assistant' && turn.stats?.source, 'generation', 'the stats are saved with their own chat');
    assert.equal(rig.session.current.turns.length, 0, 'the new chat stays empty');
  });

  it('switching chats mid-answer keeps each answer in its own chat', async () => {
    await rig.session.send('The first chat');
    await rig.panel.next('answerEnd');
    const firstId = rig.session.current.id;
    await rig.session.newChat();
    rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 40 } });
    await rig.session.send('[[chunks:200]] The second chat');
    await rig.panel.next('answerDelta', (m) => m.turnId !== rig.panel.of('answerEnd')[0]!.turnId);
    const secondId = rig.session.current.id;
    await rig.session.openChat(firstId);
    await rig.session.settled();
    const stored = await storedChats();
    const first = stored.get(firstId)!;
    const second = stored.get(secondId)!;
    assert.deepEqual(first.turns.map((t) => t.content.slice(0, 24)), ['The first chat', 'You said: The first chat']);
    assert.equal(second.turns.length, 2);
    assert.match(second.turns[0]!.content, /The second chat/);
    const answer = second.turns[1]!;
    assert.ok(answer.role === 'assistant' && answer.status === 'stopped' && answer.content.length > 0, 'the partial answer is kept');
    assert.equal(answer.role === 'assistant' && answer.stats?.source, 'generation', 'its stats went to its own chat');
    assert.equal(rig.session.current.id, firstId);
    assert.equal(rig.session.current.turns.length, 2, 'the chat on screen got no foreign turn');
  });

  it('tells once that the chat on screen was deleted in another window, and keeps it deleted', async () => {
    await rig.session.send('Shared chat');
    await rig.panel.next('answerEnd');
    const sharedId = rig.session.current.id;
    await rig.session.settled();

    // Another window, on the same folder, deletes the chat while this one still shows it.
    const otherPanel = new Panel();
    const other = new ChatSession({
      provider: () => rig.provider,
      hasKey: async () => true,
      selectedModel: () => model,
      models: () => [],
      history: new ChatHistory(nodeFileStore, join(rig.dir, 'chats')),
      post: otherPanel.post,
      onAnswerFinished: () => {},
      log: silent,
    });
    try {
      await other.deleteChat(sharedId);
      assert.equal(otherPanel.of('sendRejected').length, 0, 'the window that deleted it is not told anything');
    } finally {
      other.dispose();
    }

    await rig.session.send('Still here?');
    await rig.panel.next('answerEnd', (m) => m.turnId !== rig.panel.of('answerEnd')[0]!.turnId);
    await rig.session.settled();
    const told = rig.panel.of('sendRejected');
    assert.equal(told.length, 1, 'told once, not on every save');
    assert.match(told[0]!.error.message, /deleted in another window/);
    assert.equal((await storedChats()).get(sharedId), undefined, 'and it stays deleted');
  });

  it('closing the panel mid-stream aborts the request', async () => {
    rig.emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 40 } });
    await rig.session.send('[[chunks:200]] go');
    await rig.panel.next('answerDelta');
    rig.session.dispose();
    assert.equal(rig.panel.of('answerEnd')[0]?.status, 'stopped');
    await waitFor('the stream to be closed', () => rig.emulator.counters().streamsAbortedByClient === 1);
  });

  it("applies the chat's routing choices over the settings on every request, keeps them with the chat, and resets them", async () => {
    const settings: RoutingSettings = { ...defaultRoutingSettings, sort: 'price', ignore: ['deepinfra'], dataCollection: 'deny', reasoningEffort: 'low' };
    rig.routing = (m, sessionId, overrides) => buildRouting(settings, overrides, { model: m, sessionId, supportsReasoning: true });
    const ask = async (text: string) => {
      const before = rig.panel.of('answerEnd').length;
      await rig.session.send(text);
      await waitFor('the answer to end', () => rig.panel.of('answerEnd').length > before);
      return rig.lastRequest();
    };

    const first = await ask('Route with the settings');
    assert.deepEqual(first.provider, { sort: 'price', ignore: ['deepinfra'], data_collection: 'deny' });
    assert.deepEqual(first.reasoning, { effort: 'low' });
    assert.equal(first.models, undefined);
    const sessionId = first.session_id;
    assert.ok(sessionId, 'a session id is sent');

    // What the panel sends is untrusted: the bad value is reported and the setting stays in force for it.
    await rig.session.setRouting({ sort: 'latency', order: ['anthropic'], allowFallbacks: false, zeroDataRetention: true, fallbackModels: ['anthropic/claude-3.5-haiku'], reasoningEffort: 'high', dataCollection: 'maybe' });
    const shown = rig.panel.of('routing').at(-1)!;
    assert.equal(shown.routing.sort, 'latency');
    assert.equal(shown.problems.length, 1);
    assert.match(shown.problems[0]!, /dataCollection/);

    const second = await ask('Route with my choices');
    assert.deepEqual(second.provider, { sort: 'latency', order: ['anthropic'], ignore: ['deepinfra'], allow_fallbacks: false, data_collection: 'deny', zdr: true });
    assert.deepEqual(second.models, [model, 'anthropic/claude-3.5-haiku']);
    assert.deepEqual(second.reasoning, { effort: 'high' });
    assert.equal(second.session_id, sessionId, 'the same session id on every request of the chat');

    const chatId = rig.session.current.id;
    assert.match(readFileSync(join(rig.dir, 'chats', `${chatId}.json`), 'utf8'), /"routing":\{"sort":"latency"/, 'the choices are saved with the chat');
    await rig.session.newChat();
    const fresh = await ask('A new chat starts from the settings');
    assert.deepEqual(fresh.provider, { sort: 'price', ignore: ['deepinfra'], data_collection: 'deny' });
    assert.notEqual(fresh.session_id, sessionId);

    await rig.session.openChat(chatId);
    const reopened = await ask('The reopened chat keeps its choices');
    assert.equal(reopened.provider?.sort, 'latency');
    assert.deepEqual(reopened.models, [model, 'anthropic/claude-3.5-haiku']);
    assert.equal(reopened.session_id, sessionId);

    await rig.session.setRouting({});
    assert.deepEqual(rig.panel.of('routing').at(-1)!.routing, {});
    const reset = await ask('Back to the settings');
    assert.deepEqual(reset.provider, { sort: 'price', ignore: ['deepinfra'], data_collection: 'deny' });
    assert.deepEqual(reset.reasoning, { effort: 'low' });
    assert.equal(reset.models, undefined);
  });
});

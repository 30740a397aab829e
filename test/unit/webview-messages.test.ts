import assert from 'node:assert/strict';
import { chatMessageShapes } from '../../src/chat/chatMessageShapes';
import { compareMessageShapes } from '../../src/compare/compareMessageShapes';
import { parseMessage, type MessageShapes } from '../../src/util/webviewMessages';
import type { WebviewMessage } from '../../src/protocols/chat';

const chat = (raw: unknown) => parseMessage<WebviewMessage>(chatMessageShapes, raw);

describe('webview messages are checked against their protocol before they are handled', () => {
  it('lets a well-formed message through, without the fields its protocol does not have', () => {
    assert.deepEqual(chat({ type: 'send', text: 'hello', injected: '<script>' }), { ok: true, message: { type: 'send', text: 'hello' } });
    assert.deepEqual(chat({ type: 'regenerate', turnId: 't1' }), { ok: true, message: { type: 'regenerate', turnId: 't1' } });
    assert.deepEqual(chat({ type: 'regenerate', turnId: 't1', pickModel: true }), { ok: true, message: { type: 'regenerate', turnId: 't1', pickModel: true } });
  });

  it('refuses what a compromised page could send, saying which field is wrong', () => {
    assert.deepEqual(chat('send'), { ok: false, problem: 'the message is not an object' });
    assert.deepEqual(chat(null), { ok: false, problem: 'the message is not an object' });
    assert.deepEqual(chat({ type: 'deleteEverything' }), { ok: false, problem: 'unknown message type "deleteEverything"' });
    assert.deepEqual(chat({ type: 'toString' }), { ok: false, problem: 'unknown message type "toString"' }, 'no inherited property counts as a type');
    assert.deepEqual(chat({ type: 'send' }), { ok: false, problem: 'send.text is missing' });
    assert.deepEqual(chat({ type: 'send', text: { toString: 1 } }), { ok: false, problem: 'send.text must be a string' });
    assert.deepEqual(chat({ type: 'regenerate', turnId: 't1', pickModel: 'yes' }), { ok: false, problem: 'regenerate.pickModel must be a boolean' });
    assert.deepEqual(chat({ type: 'runAction', action: 'deleteKey' }), {
      ok: false,
      problem: 'runAction.action must be one of setApiKey, selectModel, openCredits, openSettings, openProxySettings, showLog',
    });
    assert.deepEqual(chat({ type: 'applyCode', turnId: 't', index: Number.NaN, code: '' }), { ok: false, problem: 'applyCode.index must be a finite number' });
    assert.deepEqual(parseMessage(compareMessageShapes, { type: 'stop', column: '0' }), { ok: false, problem: 'stop.column must be a finite number' });
  });

  it('makes every protocol list all its message types and fields (checked when the project compiles)', () => {
    type Probe = { type: 'a'; text: string } | { type: 'b'; count?: number };
    const complete: MessageShapes<Probe> = { a: { text: 'string' }, b: { count: 'number?' } };
    // @ts-expect-error a message type is missing
    const missingType: MessageShapes<Probe> = { a: { text: 'string' } };
    // @ts-expect-error a field is missing
    const missingField: MessageShapes<Probe> = { a: {}, b: { count: 'number?' } };
    // @ts-expect-error a field has the wrong kind
    const wrongKind: MessageShapes<Probe> = { a: { text: 'number' }, b: { count: 'number?' } };
    assert.deepEqual(parseMessage(complete, { type: 'b' }), { ok: true, message: { type: 'b' } });
    assert.ok(missingType && missingField && wrongKind);
  });
});

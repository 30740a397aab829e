import assert from 'node:assert/strict';
import { chatHtml } from '../../src/chat/chatHtml';
import { firstMessageId, jsonForScriptBlock } from '../../src/util/pageMessage';
import type { ExtensionMessage } from '../../src/protocols/chat';
import { useChatSessionRig } from './chatSessionRig';

const parts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', mediaUri: 'https://x/media/', script: 'document.title = "chat";', style: 'body{margin:0}' };

/** The data block's text as the browser's parser would hand it over: everything up to the first `</script`. */
function dataBlock(html: string): string {
  const open = `<script type="application/json" id="${firstMessageId}">`;
  const start = html.indexOf(open);
  assert.ok(start >= 0, 'the page has its first message');
  const from = start + open.length;
  return html.slice(from, html.toLowerCase().indexOf('</script', from));
}

describe('a panel page sent with its first message', () => {
  const hostile = 'ok </script><script>alert(1)</script> <!-- <script> & \u2028\u2029 </SCRIPT >';

  it('writes JSON no script element can be ended or changed by, that parses back to the same value', () => {
    const value = { text: hostile, nested: [{ html: '<img src=x onerror=alert(1)>' }] };
    const json = jsonForScriptBlock(value);
    assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
    assert.deepEqual(JSON.parse(json), value);
  });

  it('carries the chat as a data block the page reads, not a second script: model text cannot break out of it', () => {
    const message = { type: 'snapshot', snapshot: { conversation: { id: 'c1', turns: [{ role: 'assistant', content: hostile }] } } } as unknown as ExtensionMessage;
    const html = chatHtml({ ...parts, firstMessage: message }, 'n0nce');
    assert.deepEqual(JSON.parse(dataBlock(html)), message);
    assert.equal((html.match(/<script/gi) ?? []).length, 2, 'the data block and the one module script');
    assert.equal((html.match(/<\/script/gi) ?? []).length, 2);
    assert.ok(html.indexOf('application/json') < html.indexOf('type="module"'), 'read by the script, so before it');
    assert.doesNotMatch(html, /unsafe-inline/);
  });

  it('has no data block without a first message', () => {
    assert.ok(!chatHtml(parts, 'n0nce').includes(firstMessageId));
  });

  describe('the chat session’s snapshot in the page', () => {
    const rig = useChatSessionRig();

    it('holds what the posted snapshot holds, and never the API key the answers were asked with', async () => {
      await rig.session.send('What does the key look like?');
      await rig.panel.next('answerEnd');
      const snapshot = await rig.session.snapshot();
      const firstMessage: ExtensionMessage = { type: 'snapshot', snapshot };
      const html = chatHtml({ ...parts, firstMessage }, 'n0nce');
      await rig.session.postSnapshot();
      assert.deepEqual(JSON.parse(dataBlock(html)), rig.panel.of('snapshot').at(-1));
      assert.equal(snapshot.conversation.turns.length, 2, 'the question and its answer');
      assert.ok(!html.includes('sk-or-v1-test'), 'the key the provider sent is not in the page');
    });
  });
});

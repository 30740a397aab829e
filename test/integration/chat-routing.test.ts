import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatRequest } from '../../src/openrouter/types';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { chooseModelInPanel, emulator, inPanel, prepareChat, screenshot, sendAndWait, toggleSection } from './chat-ui';
import { waitFor } from '../support/waitFor';

const plainModel = 'openai/gpt-4o-mini';
const reasoningModel = 'deepseek/deepseek-r1';

async function lastChatRequest(): Promise<ChatRequest> {
  const seen = (await emulator.requests()).filter((r) => r.path === '/chat/completions');
  assert.ok(seen.length > 0, 'a chat request reached the emulator');
  return seen[seen.length - 1]!.body as ChatRequest;
}

async function chooseModel(id: string): Promise<void> {
  await chooseModelInPanel(id);
  await waitFor(`the extension to take ${id}`, async () => vscode.commands.executeCommand<{ selectedModelId: string }>('openrouter.internal.state'), { accept: (state) => state.selectedModelId === id });
}

/** Picks an option of a native <select> as the keyboard would (its popup is outside the page in headless Chromium). */
async function choose(selector: string, value: string): Promise<void> {
  await inPanel(`(() => {
    const select = document.querySelector(${JSON.stringify(selector)});
    select.focus();
    select.value = ${JSON.stringify(value)};
    select.dispatchEvent(new Event('change', { bubbles: true }));
  })()`);
}

/** Types into a text field and leaves it with Tab, as a user does. */
async function type(selector: string, text: string): Promise<void> {
  await browserAction('webviewFill', { selector, text });
  await browserAction('webviewPress', { selector, key: 'Tab' });
}

function summary(): Promise<string> {
  return inPanel<string>(`(() => { const s = document.getElementById('routing-summary'); return s.hidden ? '' : s.textContent; })()`);
}

function effortOffered(): Promise<boolean> {
  return inPanel<boolean>(`!document.getElementById('routing-effort').closest('.routing-row').hidden`);
}

describe('sidebar chat: routing for this chat', function () {
  this.timeout(120_000);

  before(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
    await prepareChat({ fresh: true });
  });

  it('sends the routing chosen in the panel, with the chat session id, on every request until reset', async () => {
    await chooseModel(plainModel);
    assert.equal(await effortOffered(), false, 'no reasoning effort for a model without reasoning');
    await chooseModel(reasoningModel);
    await waitFor('the reasoning effort to be offered for a reasoning model', effortOffered, { accept: (on) => on });

    await toggleSection('routing', true);
    await browserAction('webviewWaitFor', { selector: '#routing-panel:not([hidden]) #routing-sort' });
    assert.equal(await inPanel(`document.activeElement?.id`), 'routing-sort', 'the opened section has the focus');

    await choose('#routing-sort', 'throughput');
    await type('#routing-ignore', 'deepinfra, together');
    await choose('#routing-fallbacks', 'false');
    await choose('#routing-data', 'deny');
    await choose('#routing-zdr', 'true');
    await type('#routing-fallback-models', 'openai/gpt-4o-mini');
    await choose('#routing-effort', 'high');
    await type('#routing-max-output', '1500');
    const shown = await waitFor('the routing summary', summary, { accept: (text) => /throughput/.test(text) && /high/.test(text) && /gpt-4o-mini/.test(text) && /output limit 1500/.test(text) });
    assert.match(shown, /deepinfra, together/);
    await screenshot('chat-routing-set');

    await sendAndWait('Route this one');
    const first = await lastChatRequest();
    assert.equal(first.model, reasoningModel);
    assert.equal(first.provider?.sort, 'throughput');
    assert.deepEqual(first.provider?.ignore, ['deepinfra', 'together']);
    assert.equal(first.provider?.allow_fallbacks, false);
    assert.equal(first.provider?.data_collection, 'deny');
    assert.equal(first.provider?.zdr, true);
    assert.deepEqual(first.models, [reasoningModel, 'openai/gpt-4o-mini']);
    assert.deepEqual(first.reasoning, { effort: 'high' });
    assert.equal(first.max_tokens, 1500, "the chat's own output limit");
    assert.ok(typeof first.session_id === 'string' && first.session_id.length > 0, 'a session id');

    await sendAndWait('And this one');
    const second = await lastChatRequest();
    assert.equal(second.session_id, first.session_id, 'the same session id on the next request of the chat');
    assert.equal(second.provider?.sort, 'throughput');
    assert.deepEqual(second.reasoning, { effort: 'high' });

    await browserAction('webviewClick', { selector: '#routing-reset' });
    await waitFor('the summary to go after reset', summary, { accept: (text) => text === '' });
    await sendAndWait('Back to the settings');
    const reset = await lastChatRequest();
    assert.notEqual(reset.provider?.sort, 'throughput');
    assert.notEqual(reset.max_tokens, 1500, 'the output limit from the setting again');
    assert.equal(reset.models, undefined);
    assert.equal(reset.session_id, first.session_id);
    await screenshot('chat-routing-reset');
    await toggleSection('routing', false);
  });
});

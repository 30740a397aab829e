// The sidebar chat with a reasoning model, in the real VS Code against the emulator: only the efforts the
// model takes are offered, the reasoning streams into a collapsed section whose summary gives its tokens and
// its share of the cost, and the answer's reasoning_details go back with it on the next question.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatRequest } from '../../src/openrouter/types';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { chooseModelInPanel, emulator, inPanel, lastAnswer, prepareChat, screenshot, sendAndWait, toggleSection } from './chat-ui';
import { apiGet } from './openrouterKit';
import { waitFor } from '../support/waitFor';

const thinkingModel = 'anthropic/claude-sonnet-4.5';

async function chatRequests(): Promise<ChatRequest[]> {
  return (await emulator.requests()).filter((r) => r.path === '/chat/completions').map((r) => r.body as ChatRequest);
}

function reasoningSection(): Promise<{ shown: boolean; open: boolean; summary: string; body: string } | null> {
  return inPanel(`(() => {
    const all = document.querySelectorAll('article.turn.assistant');
    const details = all[all.length - 1]?.querySelector('details.reasoning');
    if (!details) return null;
    return { shown: !details.hidden, open: details.open, summary: details.querySelector('summary').textContent, body: details.querySelector('.reasoning-body').textContent };
  })()`);
}

describe('sidebar chat: reasoning models', function () {
  this.timeout(120_000);

  before(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
    await prepareChat({ fresh: true });
  });

  it('offers only the efforts the model takes, shows the reasoning collapsed with its tokens and cost share, and sends it back on the next turn', async () => {
    await chooseModelInPanel(thinkingModel);
    await waitFor(`the extension to take ${thinkingModel}`, async () => vscode.commands.executeCommand<{ selectedModelId: string }>('openrouter.internal.state'), { accept: (state) => state.selectedModelId === thinkingModel });
    await toggleSection('routing', true);
    await browserAction('webviewWaitFor', { selector: '#routing-panel:not([hidden]) #routing-effort' });
    // The emulator lists high, medium and low for this model, and lets it stop reasoning.
    const efforts = await waitFor('the efforts of the chosen model', () => inPanel<string[]>(`[...document.querySelectorAll('#routing-effort option')].map((o) => o.value)`), { accept: (values) => values.includes('none') });
    assert.deepEqual(efforts, ['', 'default', 'none', 'low', 'medium', 'high']);
    await inPanel(`(() => { const s = document.getElementById('routing-effort'); s.focus(); s.value = 'low'; s.dispatchEvent(new Event('change', { bubbles: true })); })()`);
    await waitFor('the effort to be kept for this chat', () => inPanel<string>(`document.getElementById('routing-summary').textContent`), { accept: (text) => /low/.test(text) });

    await sendAndWait('explain the release plan');
    const section = await waitFor('the reasoning figures', reasoningSection, { accept: (s) => s !== null && /tokens · \$[\d.]+ \(\d+% of this answer\)/.test(s.summary) });
    assert.ok(section);
    assert.equal(section.shown, true);
    assert.equal(section.open, false, 'collapsed by default');
    assert.match(section.summary, /^Reasoning · \d+ tokens/);
    assert.match(section.body, /^Thinking about: explain the release plan/);
    await screenshot('chat-reasoning-collapsed');

    await sendAndWait('and the next step?');
    // This chat's two requests: the emulator also holds the requests of the suites before this one.
    const [first, second] = (await chatRequests()).slice(-2);
    assert.deepEqual(first?.reasoning, { effort: 'low' });
    const assistant = second?.messages.find((m) => m.role === 'assistant');
    const details = assistant?.reasoning_details as Array<{ type: string; signature?: string }> | undefined;
    assert.equal(details?.[0]?.type, 'reasoning.text');
    assert.equal(typeof details?.[0]?.signature, 'string');

    await browserAction('webviewClick', { selector: '#routing-reset' });
    await toggleSection('routing', false);
  });

  it('condenses the older turns of a conversation that outgrows the model, shows the summary with its cost, and never gets a 400', async () => {
    // On a connection of its own, closed after: a kept socket would count among the extension's at the emulator.
    const catalogue = await apiGet<{ data: Array<{ id: string; context_length: number; supported_parameters: string[] }> }>('/models');
    const small = catalogue.data.find((m) => m.context_length === 8192 && !m.id.endsWith(':free') && !m.supported_parameters.includes('reasoning'));
    assert.ok(small, 'an 8K model without reasoning in the emulator');
    await vscode.commands.executeCommand('openrouter.newChat');
    await chooseModelInPanel(small.id);
    await waitFor(`the extension to take ${small.id}`, async () => vscode.commands.executeCommand<{ selectedModelId: string }>('openrouter.internal.state'), { accept: (state) => state.selectedModelId === small.id });
    const before = (await chatRequests()).length;
    const long = (label: string): string => `${label} ${'lorem ipsum dolor sit amet '.repeat(250)}`;
    await sendAndWait(long('one'));
    await browserAction('webviewFill', { selector: '#input', text: long('two') });
    // The composer warns before sending what will happen to the older turns.
    await waitFor('the estimate to say the older turns will be condensed', () => inPanel<string>(`[...document.querySelectorAll('.estimate-warning')].map((w) => w.textContent).join(' ')`), { accept: (text) => /condensed into a summary/.test(text) });
    await browserAction('webviewPress', { selector: '#input', key: 'Enter' });
    const notice = await waitFor('the condensed notice with the summary’s cost', () => inPanel<string | null>(`(() => { const all = document.querySelectorAll('article.turn.assistant'); const n = all[all.length - 1]?.querySelector('.context-notice summary'); return n ? n.textContent : null; })()`), { accept: (text) => text !== null && /\$[\d.]+/.test(text), timeoutMs: 60_000 });
    assert.match(notice!, /^Condensed 2 earlier messages into a summary/);
    await waitFor('the answer to end', lastAnswer, { accept: (answer) => answer?.status === 'done' });
    await screenshot('chat-condensed');
    const seen = (await emulator.requests()).filter((r) => r.path === '/chat/completions').slice(before);
    assert.equal(seen.length, 3, 'the first answer, the summary, the second answer');
    assert.deepEqual(seen.map((r) => r.status), [200, 200, 200]);
    assert.match(String((seen[2]!.body as ChatRequest).messages[0]!.content), /^Summary of the earlier part/);
  });
});

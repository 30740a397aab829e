import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SeenRequest } from '../emulator/types';
import { browserAction } from '../vscode-host/browser';
import { emulator, inPanel, prepareChat, sendAndWait } from './chat-ui';
import { apiGet, setSetting } from './openrouterKit';

interface ToolCallShown {
  name: string;
  summary: string;
  meta: string;
  status: string;
}

/** The tool calls the last answer shows, as a user reads them. */
function toolCallsShown(): Promise<ToolCallShown[]> {
  return inPanel<ToolCallShown[]>(`(() => {
    const answers = document.querySelectorAll('article.turn.assistant');
    const last = answers[answers.length - 1];
    return [...(last?.querySelectorAll('.tool-call-item') ?? [])].map((item) => ({
      name: item.querySelector('.tool-name')?.textContent ?? '',
      summary: item.querySelector('.tool-summary')?.textContent ?? '',
      meta: item.querySelector('.tool-meta')?.textContent ?? '',
      status: item.dataset.status ?? '',
    }));
  })()`);
}

/** Switches the chat on screen to Agent (or Ask) with the composer's switch, as the keyboard would. */
async function chooseMode(mode: 'ask' | 'agent'): Promise<void> {
  await inPanel(`(() => {
    const select = document.getElementById('agent-mode');
    select.focus();
    select.value = ${JSON.stringify(mode)};
    select.dispatchEvent(new Event('change', { bubbles: true }));
  })()`);
  await browserAction('webviewWaitFor', { selector: `body[data-mode="${mode}"]`, timeoutMs: 10_000 });
}

const chatRequests = async (): Promise<SeenRequest[]> => (await emulator.requests()).filter((r) => r.path === '/chat/completions');

describe('Agent mode in the sidebar chat, in the real VS Code', function () {
  this.timeout(120_000);
  let model: string;

  before(async () => {
    await prepareChat({ fresh: true });
    model = vscode.workspace.getConfiguration('openrouter').get<string>('defaultModel') ?? 'openai/gpt-4o-mini';
  });
  after(async () => {
    await setSetting('agent.maxTaskCostUsd', undefined);
    await setSetting('chat.maxOutputTokens', undefined);
    await chooseMode('ask');
  });

  it('stops a never-ending task before its cost cap, shows every call, and the emulator counted one request per step', async () => {
    const { data } = await apiGet<{ data: Array<{ id: string; pricing: { prompt: string; completion: string } }> }>('/models');
    const priced = data.find((m) => m.id === model);
    assert.ok(priced, `the catalogue has ${model}`);
    // One output token per answer keeps a step's worst case close to what it costs: the prompt, about 400 tokens
    // at first. The cap leaves room for a few steps.
    await setSetting('chat.maxOutputTokens', 1);
    const cap = 2400 * Number(priced.pricing.prompt);
    await setSetting('agent.maxTaskCostUsd', cap);
    await chooseMode('agent');
    const before = (await chatRequests()).length;
    const answer = await sendAndWait('[[agent:loop]] keep going forever', 60_000);

    assert.equal(answer.status, 'stopped');
    assert.match(answer.notice, /Stopped before step \d+: it could cost up to .* past its cost cap/);
    const requests = (await chatRequests()).slice(before);
    const progress = await inPanel<string>(`document.querySelector('article.turn.assistant:last-of-type .agent-progress')?.textContent ?? ''`);
    const steps = Number(/Step (\d+) of at most/.exec(progress)?.[1]);
    assert.ok(steps >= 2 && steps < 25, `several steps ran before the cap, fewer than the step limit (${progress})`);
    assert.equal(requests.length, steps, 'the emulator counted exactly one request per step');
    assert.ok(requests.every((r) => Array.isArray((r.body as { messages: unknown[] }).messages)));
    const shown = await toolCallsShown();
    assert.equal(shown.length, steps, 'each step’s call is shown');
    for (const call of shown) {
      assert.ok(call.name !== '' && call.summary !== '', `a shown call has its name and what came of it: ${JSON.stringify(call)}`);
      assert.match(call.meta, /\d+(\.\d)? (ms|s)/, 'and how long it took');
    }
  });

  it('shows a tool name and arguments from the model as text, never as HTML', async () => {
    await setSetting('agent.maxTaskCostUsd', undefined);
    await chooseMode('agent');
    const name = '<img src=x onerror="document.body.dataset.pwned=1">';
    const answer = await sendAndWait(`[[agent:call:${name}]]{"note":"<b>bold</b><script>document.body.dataset.pwned=2</script>"}`, 60_000);
    assert.equal(answer.status, 'done');
    const seen = await inPanel<{ name: string; args: string; elements: number; pwned: string | null }>(`(() => {
      const item = [...document.querySelectorAll('article.turn.assistant:last-of-type .tool-call-item')][0];
      return {
        name: item?.querySelector('.tool-name')?.textContent ?? '',
        args: item?.querySelector('.tool-args')?.textContent ?? '',
        elements: item?.querySelectorAll('img, b, script').length ?? -1,
        pwned: document.body.dataset.pwned ?? null,
      };
    })()`);
    assert.equal(seen.name, name);
    assert.match(seen.args, /<b>bold<\/b><script>/);
    assert.equal(seen.elements, 0);
    assert.equal(seen.pwned, null);
    assert.match((await toolCallsShown())[0]!.summary, /Unknown tool/);
  });
});

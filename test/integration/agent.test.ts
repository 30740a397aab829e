import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SeenRequest } from '../emulator/types';
import { browserAction } from '../vscode-host/browser';
import { commandIds, internalCommandIds } from '../../src/commands/commandIds';
import type { ChatMessage } from '../../src/openrouter/types';
import { waitFor } from '../support/waitFor';
import { emulator, inPanel, lastAnswer, prepareChat, sendAndWait, sendMessage } from './chat-ui';
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

function fileUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function readDisk(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

const pendingProposals = (): Promise<unknown[]> => Promise.resolve(vscode.commands.executeCommand(internalCommandIds.pendingProposals)) as Promise<unknown[]>;

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
    // One output token per answer keeps a step's worst case close to what it costs: its prompt, most of it the
    // tool list. A one-step task measures that prompt; the cap leaves room for a few steps of that size.
    await setSetting('chat.maxOutputTokens', 1);
    await setSetting('agent.maxTaskCostUsd', 100);
    await chooseMode('agent');
    assert.equal((await sendAndWait('[[agent:script]]{"steps":[],"answer":"Nothing to do."}', 60_000)).status, 'done');
    const probe = (await chatRequests()).at(-1)!.body;
    const cap = 5 * (JSON.stringify(probe).length / 4) * Number(priced.pricing.prompt);
    await setSetting('agent.maxTaskCostUsd', cap);
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

  it('reads a file and proposes an edit; once the user accepts it the file on disk changes, and the model got the file and each result in order', async () => {
    // The emulator's price for the chat's model is high: room for the task's three steps.
    await setSetting('agent.maxTaskCostUsd', 100);
    const uri = fileUri('agent-edit.txt');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('hello agent\nsecond line\n'));
    await chooseMode('agent');
    const before = (await chatRequests()).length;
    await sendMessage('[[agent:read-edit:agent-edit.txt]] make the first line loud');
    await waitFor('the proposed edit to be shown for review', pendingProposals, { timeoutMs: 60_000, accept: (list) => list.length === 1 });
    assert.equal(await readDisk(uri), 'hello agent\nsecond line\n', 'nothing is written before Accept');
    assert.equal(await vscode.commands.executeCommand(commandIds.acceptProposedChange), 'written');
    const answer = await waitFor('the answer to end', lastAnswer, { timeoutMs: 60_000, accept: (a) => a !== null && a.status !== 'streaming' });
    assert.equal(answer.status, 'done');
    assert.equal(await readDisk(uri), 'HELLO AGENT\nsecond line\n');

    const sent = (await chatRequests()).slice(before).map((r) => (r.body as { messages: ChatMessage[] }).messages);
    assert.equal(sent.length, 3, 'read, edit, answer');
    const last = sent[2]!.slice(-4);
    assert.deepEqual(last.map((m) => m.role), ['assistant', 'tool', 'assistant', 'tool']);
    assert.equal(last[0]!.tool_calls![0]!.function.name, 'read_file');
    assert.equal(last[1]!.tool_call_id, last[0]!.tool_calls![0]!.id);
    assert.match(String(last[1]!.content), /^agent-edit\.txt \(2 lines\):\nhello agent\nsecond line/, 'the file’s content came back first');
    assert.equal(last[2]!.tool_calls![0]!.function.name, 'propose_edit');
    assert.equal(last[3]!.tool_call_id, last[2]!.tool_calls![0]!.id);
    assert.match(String(last[3]!.content), /accepted it; it is written/);
    const shown = await toolCallsShown();
    assert.deepEqual(shown.map((c) => c.name), ['read_file', 'propose_edit']);
    assert.match(shown[1]!.summary, /Edited agent-edit\.txt \(accepted\)/);
    assert.match(shown[1]!.meta, /confirmed/);
  });

  it('asks in the conversation before a terminal command, and a declined command never runs', async () => {
    await setSetting('agent.maxTaskCostUsd', 100);
    await chooseMode('agent');
    const marker = fileUri('agent-terminal-ran.txt');
    await sendMessage('[[agent:terminal:echo ran > agent-terminal-ran.txt]] please');
    await browserAction('webviewWaitFor', { selector: 'article.turn.assistant:last-of-type .tool-question .tool-decline', timeoutMs: 60_000 });
    const card = await inPanel<{ title: string; code: string }>(`(() => {
      const card = document.querySelector('article.turn.assistant:last-of-type .tool-question');
      return { title: card.querySelector('strong').textContent, code: card.querySelector('pre')?.textContent ?? '' };
    })()`);
    assert.match(card.code, /echo ran > agent-terminal-ran\.txt/, 'the command is shown exactly as it would run');
    await browserAction('webviewClick', { selector: 'article.turn.assistant:last-of-type .tool-question .tool-decline' });
    const answer = await waitFor('the answer to end', lastAnswer, { timeoutMs: 60_000, accept: (a) => a !== null && a.status !== 'streaming' });
    assert.equal(answer.status, 'done');
    assert.equal(await readDisk(marker), undefined, 'the command did not run');
    const shown = await toolCallsShown();
    assert.equal(shown[0]!.name, 'run_terminal_command');
    assert.match(shown[0]!.meta, /declined/);
  });
});

// OpenRouter models in the editor's own chat API (vscode.lm), in the real VS Code against the emulator.
// What the stable API does not show a consumer (a model's maxOutputTokens and capabilities) is covered
// by test/unit/lmModelInformation.test.ts; the exact parts per chunk by test/unit/lmRoundTrip.test.ts.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import * as vscode from 'vscode';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { openChatPanel, sendAndWait, startNewChat } from './chat-ui';
import { commandIds } from '../../src/commands/commandIds';
import { LM_VENDOR } from '../../src/lm/vendor';
import { toModelInformationList } from '../../src/lm/modelInformation';
import type { Model } from '../../src/openrouter/types';
import { waitFor } from '../support/waitFor';

const EXTENSION_ID = 'openrouter-community.openrouter-vscode';
const TEST_KEY = 'sk-or-v1-test';
const MODEL = 'emulator/echo';
const baseUrl = process.env.OPENROUTER_TEST_BASE_URL;

interface SeenRequest {
  method: string;
  path: string;
  body?: Record<string, unknown>;
}

function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(url, { method, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 400) reject(new Error(`${method} ${url}: ${res.statusCode} ${text.slice(0, 200)}`));
        else resolve((text ? JSON.parse(text) : undefined) as T);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  assert.ok(baseUrl);
  return call<T>(method, `${new URL(baseUrl).origin}/__emulator${path}`, body);
}

async function chatRequests(): Promise<SeenRequest[]> {
  return (await control<SeenRequest[]>('GET', '/requests')).filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
}

async function ourModels(): Promise<vscode.LanguageModelChat[]> {
  return vscode.lm.selectChatModels({ vendor: LM_VENDOR });
}

async function model(id = MODEL): Promise<vscode.LanguageModelChat> {
  return waitFor(`model ${id} in vscode.lm`, async () => (await vscode.lm.selectChatModels({ vendor: LM_VENDOR, id }))[0]);
}

async function collect(response: vscode.LanguageModelChatResponse): Promise<unknown[]> {
  const parts: unknown[] = [];
  for await (const part of response.stream) parts.push(part);
  return parts;
}

function textOf(parts: unknown[]): string {
  return parts.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe('OpenRouter models in the editor’s chat (vscode.lm)', function () {
  this.timeout(60_000);

  before(async function () {
    if (!baseUrl) this.skip();
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await vscode.commands.executeCommand('openrouter.setApiKey', TEST_KEY);
  });

  beforeEach(async () => {
    await control('POST', '/reset');
  });

  // This VS Code ships Copilot Chat, which claims the `openrouter` vendor: a vendor clash would leave this list empty.
  it('lists the emulator’s text models with their names, families, versions and input limits', async () => {
    assert.ok(baseUrl);
    const catalogue = (await call<{ data: Model[] }>('GET', `${baseUrl}/models`)).data;
    const expected = toModelInformationList(catalogue);
    const models = await waitFor('the models to be listed', async () => {
      const found = await ourModels();
      return found.length === expected.length ? found : undefined;
    });
    const byId = new Map(models.map((m) => [m.id, m]));
    for (const info of expected) {
      const chat = byId.get(info.id);
      assert.ok(chat, `${info.id} missing`);
      assert.equal(chat.vendor, LM_VENDOR);
      assert.equal(chat.name, info.name);
      assert.equal(chat.family, info.family);
      assert.equal(chat.version, info.version);
      assert.equal(chat.maxInputTokens, info.maxInputTokens, info.id);
    }
    const echo = byId.get(MODEL);
    // 1M context, no stated completion limit: 32K kept for output.
    assert.equal(echo?.maxInputTokens, 1_000_000 - 32_768);
  });

  it('streams an answer in several text parts', async () => {
    const chat = await model();
    const response = await chat.sendRequest([vscode.LanguageModelChatMessage.User('hello [[chunks:24]]')]);
    const fragments: string[] = [];
    for await (const fragment of response.text) fragments.push(fragment);
    assert.ok(fragments.length > 1, `the answer came in ${fragments.length} part(s)`);
    assert.match(fragments.join(''), /^You said: hello /);
    const [sent] = await chatRequests();
    assert.equal(sent?.body?.model, MODEL);
    assert.equal(sent?.body?.stream, true);
  });

  it('sends the output limit from openrouter.chat.maxOutputTokens; a caller’s own max_tokens wins', async () => {
    const chat = await model();
    const config = vscode.workspace.getConfiguration('openrouter');
    await chat.sendRequest([vscode.LanguageModelChatMessage.User('a short answer')]).then(collect);
    assert.equal((await chatRequests()).at(-1)?.body?.max_tokens, 4096, 'the default, under the model’s own limit');
    await config.update('chat.maxOutputTokens', 777, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the setting to apply', async () => (vscode.workspace.getConfiguration('openrouter').get('chat.maxOutputTokens') === 777 ? true : undefined));
      await chat.sendRequest([vscode.LanguageModelChatMessage.User('shorter')]).then(collect);
      assert.equal((await chatRequests()).at(-1)?.body?.max_tokens, 777);
      await chat.sendRequest([vscode.LanguageModelChatMessage.User('the caller decides')], { modelOptions: { max_tokens: 55 } }).then(collect);
      assert.equal((await chatRequests()).at(-1)?.body?.max_tokens, 55);
    } finally {
      await config.update('chat.maxOutputTokens', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('returns a tool call with parsed arguments and answers from the tool result', async () => {
    const chat = await model();
    const tools: vscode.LanguageModelChatTool[] = [
      { name: 'read_file', description: 'Reads a file of the workspace', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
    ];
    const ask = vscode.LanguageModelChatMessage.User('please use tool on README.md');
    const first = await collect(await chat.sendRequest([ask], { tools }));
    const calls = first.filter((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart);
    assert.equal(calls.length, 1, `parts: ${JSON.stringify(first)}`);
    const [toolCall] = calls;
    assert.ok(toolCall);
    assert.equal(toolCall.name, 'read_file');
    assert.deepEqual(toolCall.input, { path: 'please use tool on README.md' });

    const followUp = [
      ask,
      vscode.LanguageModelChatMessage.Assistant([toolCall]),
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(toolCall.callId, [new vscode.LanguageModelTextPart('# Test workspace')])]),
    ];
    const second = await collect(await chat.sendRequest(followUp, { tools }));
    assert.match(textOf(second), /^Tool result: # Test workspace/);
    const sent = (await chatRequests()).at(-1)?.body as { messages: Array<{ role: string; tool_call_id?: string; tool_calls?: Array<{ id: string }> }> };
    assert.deepEqual(sent.messages.map((m) => m.role), ['user', 'assistant', 'tool']);
    assert.equal(sent.messages[1]?.tool_calls?.[0]?.id, toolCall.callId);
    assert.equal(sent.messages[2]?.tool_call_id, toolCall.callId);
  });

  it('stops the emulator’s stream when the request is cancelled', async () => {
    const chat = await model('emulator/long');
    await control('POST', '/faults', { path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 20 } });
    const source = new vscode.CancellationTokenSource();
    const response = await chat.sendRequest([vscode.LanguageModelChatMessage.User('a long one')], {}, source.token);
    // Cancel once the answer has started streaming.
    for await (const fragment of response.text) {
      if (fragment) break;
    }
    source.cancel();
    const counters = await waitFor('the emulator to see the stream aborted', async () => {
      const now = await control<{ streamsAbortedByClient: number; streamsCompleted: number }>('GET', '/counters');
      return now.streamsAbortedByClient >= 1 ? now : undefined;
    });
    assert.equal(counters.streamsCompleted, 0);
  });

  it('reports a 429 as a LanguageModelError with OpenRouter’s message', async () => {
    const chat = await model();
    // Enough 429s to outlast the provider's retries.
    await control('POST', '/faults', { path: '/chat/completions', times: 10, fault: { type: 'status', status: 429, retryAfter: '0', message: 'Rate limit exceeded: emulator says slow down' } });
    const failure = await (async () => {
      try {
        await collect(await chat.sendRequest([vscode.LanguageModelChatMessage.User('hi')]));
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    assert.ok(failure instanceof vscode.LanguageModelError, `got ${String(failure)}`);
    assert.equal(failure.code, vscode.LanguageModelError.Blocked.name);
    assert.match(failure.message, /Rate limit exceeded: emulator says slow down/);
  });

  it('lists no models while there is no key, and lists them again once one is set', async () => {
    await vscode.commands.executeCommand('openrouter.clearApiKey');
    await waitFor('the models to disappear', async () => ((await ourModels()).length === 0 ? true : undefined));
    await vscode.commands.executeCommand('openrouter.setApiKey', TEST_KEY);
    const models = await waitFor('the models to come back', async () => {
      const found = await ourModels();
      return found.length > 0 ? found : undefined;
    });
    assert.ok(models.some((m) => m.id === MODEL));
  });

  it('offers the key, the default model and the routing settings from the picker’s manage command', async function () {
    if (!hasBrowserDriver()) this.skip();
    const done = vscode.commands.executeCommand(commandIds.manageLanguageModels);
    try {
      const items = await browserAction('quickPickItems', { waitFor: 'Routing Settings' });
      const labels = items.map((item) => item.label);
      for (const wanted of ['Set API Key', 'Select Default Model', 'Routing Settings', 'All OpenRouter Settings']) {
        assert.ok(labels.some((label) => label.includes(wanted)), `"${wanted}" not among: ${labels.join(' | ')}`);
      }
      await browserAction('pickQuickPickItem', { label: 'Routing Settings' });
    } finally {
      await browserAction('closeQuickInput', {});
    }
    await done;
    await waitFor('the Settings editor', async () => (vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Settings' ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  describe('routing', () => {
    const section = 'openrouter.routing';
    const configured = {
      sort: 'throughput',
      order: ['anthropic', 'openai'],
      ignore: ['deepinfra'],
      allowFallbacks: false,
      dataCollection: 'deny',
      zeroDataRetention: true,
      fallbackModels: ['openai/gpt-4o', 'anthropic/claude-sonnet-4.5'],
      reasoningEffort: 'high',
    };

    before(async () => {
      const config = vscode.workspace.getConfiguration(section);
      for (const [key, value] of Object.entries(configured)) await config.update(key, value, vscode.ConfigurationTarget.Global);
      // The extension host's configuration and its change event are updated together.
      await waitFor('the routing settings to apply', async () => (vscode.workspace.getConfiguration(section).get('reasoningEffort') === 'high' ? true : undefined));
    });

    after(async () => {
      const config = vscode.workspace.getConfiguration(section);
      for (const key of Object.keys(configured)) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    });

    it('sends the routing settings and one session id per conversation, exactly as configured', async () => {
      const chat = await model();
      const ask = async (messages: vscode.LanguageModelChatMessage[]) => collect(await chat.sendRequest(messages));
      const opening = vscode.LanguageModelChatMessage.User('plan the release');
      await ask([opening]);
      await ask([opening, vscode.LanguageModelChatMessage.Assistant('First, tag it.'), vscode.LanguageModelChatMessage.User('and then?')]);
      await ask([vscode.LanguageModelChatMessage.User('an unrelated question')]);

      const [first, second, other] = (await chatRequests()).map((r) => r.body ?? {});
      assert.deepEqual(first?.provider, { sort: 'throughput', order: ['anthropic', 'openai'], ignore: ['deepinfra'], allow_fallbacks: false, data_collection: 'deny', zdr: true });
      assert.deepEqual(first?.models, [MODEL, 'openai/gpt-4o', 'anthropic/claude-sonnet-4.5']);
      assert.deepEqual(first?.reasoning, { effort: 'high' });
      assert.equal(typeof first?.session_id, 'string');
      assert.equal(second?.session_id, first?.session_id, 'the second turn of the same conversation');
      assert.notEqual(other?.session_id, first?.session_id, 'a different conversation');
      assert.deepEqual(second?.provider, first?.provider);
    });

    it('sends the same routing from the sidebar chat, with one session id per sidebar conversation', async function () {
      if (!hasBrowserDriver()) this.skip();
      await openChatPanel();
      await startNewChat();
      await sendAndWait('first question');
      await sendAndWait('second question');
      await startNewChat();
      await sendAndWait('another conversation');

      const [first, second, other] = (await chatRequests()).map((r) => r.body ?? {});
      const chosen = first?.model;
      assert.equal(typeof chosen, 'string');
      assert.deepEqual(first?.provider, { sort: 'throughput', order: ['anthropic', 'openai'], ignore: ['deepinfra'], allow_fallbacks: false, data_collection: 'deny', zdr: true });
      assert.deepEqual(first?.models, [chosen, ...configured.fallbackModels.filter((id) => id !== chosen)]);
      assert.equal(typeof first?.session_id, 'string');
      assert.equal(second?.session_id, first?.session_id);
      assert.notEqual(other?.session_id, first?.session_id);
    });
  });
});

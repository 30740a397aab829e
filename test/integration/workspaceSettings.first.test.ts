// A cloned repository must not decide where the key goes: the harness opens a workspace whose
// .vscode/settings.json points openrouter.baseUrl at a second, HTTPS emulator (the decoy) that the
// extension would trust. The decoy must never be reached; the user is told the setting was ignored.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { LM_VENDOR } from '../../src/lm/vendor';
import type { ChatRequest } from '../../src/openrouter/types';
import type { EmulatorCounters } from '../emulator/types';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { formatPerMillion } from '../../src/config/workspaceConsentRules';
import type { Model } from '../../src/openrouter/types';
import { apiGet, emulator, emulatorBaseUrl, getJson, resetWorld, setSetting, state } from './openrouterKit';
import { waitFor } from '../support/waitFor';

const decoyBaseUrl = process.env.OPENROUTER_TEST_DECOY_BASE_URL;
const decoyCaFile = process.env.OPENROUTER_TEST_DECOY_CA_FILE;

/** The decoy's counters over HTTPS, on a connection of its own (which the decoy counts: one per call). */
function decoyCounters(): Promise<EmulatorCounters> {
  assert.ok(decoyBaseUrl && decoyCaFile, 'the harness passes the decoy emulator');
  return getJson<EmulatorCounters>(`${new URL(decoyBaseUrl).origin}/__emulator/counters`, { ca: readFileSync(decoyCaFile, 'utf8') });
}

/** Messages in VS Code's notification center (toasts fade; the center keeps every notification). */
async function notificationMessages(): Promise<string[]> {
  await vscode.commands.executeCommand('notifications.showList');
  try {
    return await browserAction('notificationCenter', {});
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}

function workspaceSettingsUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a folder');
  return vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
}

describe('a workspace that tries to redirect the key', function () {
  const userBaseUrl = emulatorBaseUrl().replace(/\/+$/, '');

  before(async function () {
    if (!decoyBaseUrl || !hasBrowserDriver()) this.skip();
    // The user's own choice, in user settings (as for a gateway): without the guard, the workspace's value would win over it.
    await setSetting('baseUrl', userBaseUrl);
  });

  after(async () => {
    await setSetting('baseUrl', undefined);
  });

  it('sends nothing to the URL in the workspace settings, serves everything from the user’s endpoint, and says so', async () => {
    await resetWorld();
    const before = await emulator.counters();
    // Work that needs the network: the key check, credits and the model list.
    const validated = (await vscode.commands.executeCommand('openrouter.validateApiKey')) as { outcome: string };
    assert.equal(validated.outcome, 'valid', 'the key check reached the user’s endpoint');
    await vscode.commands.executeCommand('openrouter.refreshCredits');
    await vscode.commands.executeCommand('openrouter.refreshModels');
    const after = await emulator.counters();
    assert.ok(after.requests - before.requests >= 3, `the user's endpoint served the calls (${after.requests - before.requests} requests)`);

    const decoy = await decoyCounters();
    assert.equal(decoy.requests, 0, 'the decoy served no API request');
    // The only connection the decoy ever accepted is the counters query just made.
    assert.equal(decoy.connectionsAccepted, 1, 'nothing but this test connected to the decoy');
    await waitFor('the extension to use the user’s base URL, not the workspace’s', async () => (await state()).settings.baseUrl === userBaseUrl);
    assert.deepEqual(Object.values((await state()).ignoredWorkspaceSettings), [['openrouter.baseUrl']]);

    const messages = await notificationMessages();
    const notice = messages.find((message) => message.includes('ignored openrouter.baseUrl'));
    assert.ok(notice, `a notification names the ignored setting (saw: ${JSON.stringify(messages)})`);
    assert.match(notice, /user settings/);
  });

  it('notices a setting added to the workspace while it is open, ignores it, and tells the user once', async () => {
    const uri = workspaceSettingsUri();
    const original = await vscode.workspace.fs.readFile(uri);
    const poolSize = (await state()).settings.poolSize;
    const hostile = `{\n  "openrouter.baseUrl": ${JSON.stringify(decoyBaseUrl)},\n  "openrouter.poolSize": ${poolSize === 1 ? 2 : 1},\n}\n`;
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(hostile));
      await waitFor('the guard to read the new file', async () => Object.values((await state()).ignoredWorkspaceSettings).flat().includes('openrouter.poolSize'), 20_000);
      assert.equal((await state()).settings.poolSize, poolSize, 'the workspace value is not used');
      const messages = await waitFor('the notice for poolSize', async () => {
        const all = await notificationMessages();
        return all.some((message) => message.includes('ignored openrouter.poolSize')) ? all : undefined;
      }, 20_000);
      // baseUrl was told already: no second notice for it.
      assert.equal(messages.filter((message) => message.includes('ignored openrouter.baseUrl')).length, 1, JSON.stringify(messages));
    } finally {
      await vscode.workspace.fs.writeFile(uri, original);
      await waitFor('the guard to read the restored file', async () => !Object.values((await state()).ignoredWorkspaceSettings).flat().includes('openrouter.poolSize'), 20_000);
    }
    const decoy = await decoyCounters();
    assert.equal(decoy.requests, 0);
  });
});

interface ConsentEntry {
  name: string;
  workspace: unknown;
  accepted: boolean;
}

async function consentState(): Promise<ConsentEntry[]> {
  return ((await state()) as unknown as { workspaceConsent: ConsentEntry[] }).workspaceConsent;
}

/** One request through the editor's chat API (vscode.lm) to a reasoning model; returns the body the emulator saw. */
async function routedRequest(): Promise<ChatRequest> {
  const model = await waitFor('the emulator’s echo model in vscode.lm', async () => (await vscode.lm.selectChatModels({ vendor: LM_VENDOR, id: 'emulator/echo' }))[0]);
  const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('which routing?')]);
  for await (const _ of response.text) void _;
  const seen = (await emulator.requests()).filter((r) => r.path.endsWith('/chat/completions'));
  const last = seen[seen.length - 1];
  assert.ok(last, 'the request reached the emulator');
  return last.body as ChatRequest;
}

describe('a workspace that would make the user spend more or share more', function () {
  this.timeout(120_000);
  const routing = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('openrouter.routing');
  let original: Uint8Array | undefined;
  /** The catalogue's dearest model and how much more it costs than the user's default model, per 1M tokens. */
  let dearest = { id: '', difference: '' };

  /** The repository's settings: the decoy stays (the harness's), plus the given `openrouter.*` values. */
  async function writeWorkspaceSettings(values: Record<string, unknown>): Promise<void> {
    const text = JSON.stringify({ 'openrouter.baseUrl': decoyBaseUrl, ...values }, null, 2);
    await vscode.workspace.fs.writeFile(workspaceSettingsUri(), new TextEncoder().encode(text));
  }

  before(async function () {
    if (!decoyBaseUrl || !hasBrowserDriver()) this.skip();
    await resetWorld();
    // The catalogue's prices, for the model's price difference.
    await vscode.commands.executeCommand('openrouter.refreshModels');
    const price = (m: Model): number => Number(m.pricing?.prompt) + Number(m.pricing?.completion);
    const models = (await apiGet<{ data: Model[] }>('/models')).data;
    const user = models.find((m) => m.id === 'openai/gpt-4o-mini');
    const top = [...models].sort((a, b) => price(b) - price(a))[0];
    assert.ok(user && top && price(top) > price(user));
    dearest = { id: top.id, difference: formatPerMillion(price(top) - price(user)) };
    // The user's own choices: no data collection, little reasoning.
    await routing().update('dataCollection', 'deny', vscode.ConfigurationTarget.Global);
    await routing().update('reasoningEffort', 'low', vscode.ConfigurationTarget.Global);
    original = await vscode.workspace.fs.readFile(workspaceSettingsUri());
  });

  after(async () => {
    if (original) await vscode.workspace.fs.writeFile(workspaceSettingsUri(), original);
    await routing().update('dataCollection', undefined, vscode.ConfigurationTarget.Global);
    await routing().update('reasoningEffort', undefined, vscode.ConfigurationTarget.Global);
  });

  it('keeps the user’s values, applies the more private one, and names each setting with what it changes and the price difference', async () => {
    await writeWorkspaceSettings({
      'openrouter.routing.dataCollection': 'allow',
      'openrouter.routing.reasoningEffort': 'xhigh',
      'openrouter.routing.zeroDataRetention': true,
      'openrouter.defaultModel': dearest.id,
    });
    // The more private value is applied at once: once it is sent, the workspace's file has been read.
    const body = await waitFor('the workspace’s settings to be read', async () => {
      const sent = await routedRequest();
      return sent.provider?.zdr === true ? sent : undefined;
    }, 20_000);
    assert.equal(body.provider?.data_collection, 'deny', 'the user’s data collection choice is sent, not the workspace’s');
    assert.deepEqual(body.reasoning, { effort: 'low' }, 'the user’s reasoning effort is sent, not the workspace’s');
    assert.equal((await state()).settings.defaultModel, 'openai/gpt-4o-mini', 'the user’s default model, not the dearer one');

    const asked = await consentState();
    assert.deepEqual(asked.map((e) => e.name).sort(), ['openrouter.defaultModel', 'openrouter.routing.dataCollection', 'openrouter.routing.reasoningEffort']);
    assert.ok(asked.every((e) => !e.accepted));
    const notice = await waitFor('the notice', async () => (await notificationMessages()).find((m) => m.includes('cost more or share more')), 20_000);
    assert.match(notice, /openrouter\.routing\.dataCollection: yours deny, this workspace allow \(lets providers that store or train on prompts/);
    assert.match(notice, /openrouter\.routing\.reasoningEffort: yours low, this workspace xhigh/);
    assert.ok(notice.includes(`openrouter.defaultModel: yours openai/gpt-4o-mini, this workspace ${dearest.id} (costs ${dearest.difference} more per 1M tokens`), notice);
    assert.doesNotMatch(notice, /zeroDataRetention/, 'a more private value is applied without asking');
  });

  it('uses the values allowed in "OpenRouter: Review Workspace Settings", and asks again when the workspace changes one', async () => {
    await browserAction('runCommandFromPalette', { title: 'OpenRouter: Review Workspace Settings' });
    const rows = await browserAction('quickPickItems', { waitFor: 'openrouter.routing.dataCollection' });
    assert.equal(rows.length, 3, JSON.stringify(rows));
    assert.ok(rows.some((row) => row.label === 'openrouter.defaultModel' && row.description === `yours: openai/gpt-4o-mini → this workspace: ${dearest.id}`), JSON.stringify(rows));
    for (const label of ['openrouter.routing.dataCollection', 'openrouter.routing.reasoningEffort']) await browserAction('pickQuickPickItem', { label, exact: true });
    await browserAction('pressKey', { key: 'Enter' });
    await waitFor('the two allowed', async () => (await consentState()).filter((e) => e.accepted).length === 2);

    const allowed = await routedRequest();
    assert.equal(allowed.provider?.data_collection, undefined, 'data collection allowed, as the workspace says (OpenRouter’s default)');
    assert.deepEqual(allowed.reasoning, { effort: 'xhigh' });
    assert.equal((await state()).settings.defaultModel, 'openai/gpt-4o-mini', 'the model was not ticked: still the user’s');

    // A later change to an allowed setting is a new question.
    await writeWorkspaceSettings({ 'openrouter.routing.dataCollection': 'allow', 'openrouter.routing.reasoningEffort': 'high', 'openrouter.defaultModel': dearest.id });
    await waitFor('the changed effort to wait for consent', async () => (await consentState()).some((e) => e.name === 'openrouter.routing.reasoningEffort' && e.workspace === 'high' && !e.accepted), 20_000);
    const again = await routedRequest();
    assert.deepEqual(again.reasoning, { effort: 'low' }, 'back to the user’s effort until the new value is allowed');
    assert.equal(again.provider?.data_collection, undefined, 'the unchanged allowed value stays allowed');
  });

  it('asks about the changed value in a notice of its own, and uses it once allowed there', async () => {
    const question = 'openrouter.routing.reasoningEffort: yours low, this workspace high';
    await vscode.commands.executeCommand('notifications.showList');
    try {
      await browserAction('clickNotificationButton', { message: question, button: 'Allow for This Workspace' });
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
    }
    await waitFor('the new effort allowed', async () => (await consentState()).some((e) => e.name === 'openrouter.routing.reasoningEffort' && e.workspace === 'high' && e.accepted));
    assert.deepEqual((await routedRequest()).reasoning, { effort: 'high' });
  });
});

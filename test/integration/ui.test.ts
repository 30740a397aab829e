import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds } from '../../src/commands/commandIds';
import type { Model } from '../../src/openrouter/types';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { TEST_KEY, TEST_KEY_STATE, apiGet, emulator, resetWorld, setSetting, state } from './openrouterKit';
import { waitFor } from '../support/waitFor';

describe('the real UI, driven through the browser', function () {
  this.timeout(180_000);

  before(async function () {
    if (!hasBrowserDriver()) this.skip();
    await resetWorld({ key: TEST_KEY });
    await vscode.commands.executeCommand(commandIds.refreshModels);
  });

  it('command palette → Select Model → filter → pick → the status bar shows the model', async () => {
    const models = (await apiGet<{ data: Model[] }>('/models')).data;
    const target = models.find((m) => m.id === 'anthropic/claude-3.5-haiku') ?? models.find((m) => !m.id.endsWith(':free') && m.id !== (models[0]?.id ?? ''));
    assert.ok(target?.name);
    await browserAction('runCommandFromPalette', { title: 'OpenRouter: Select Model' });
    try {
      const title = await waitFor('the picker title', async () => {
        const t = await browserAction('quickInputTitle', {});
        return t.title.startsWith('Select OpenRouter Model') ? t : undefined;
      });
      assert.match(title.title, /\d+ models · updated/);
      await browserAction('typeInQuickInput', { text: target.id });
      const rows = await browserAction('quickPickItems', { waitFor: target.name });
      await browserAction('screenshot', { name: 'model-picker-filtered' });
      const row = rows.find((r) => r.label.includes(target.name ?? ''));
      assert.ok(row, `"${target.name}" among ${rows.map((r) => r.label).join(' | ')}`);
      assert.match(row.detail || row.ariaLabel, /\/M in · .*context/);
      await browserAction('pickQuickPickItem', { label: target.name });
    } finally {
      await browserAction('closeQuickInput', {}).catch(() => undefined);
    }
    const item = await browserAction('waitForStatusBarText', { id: 'openrouter.model', pattern: target.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') });
    assert.ok(item.text.includes(target.name));
    assert.equal((await state()).selectedModelId, target.id);
    await browserAction('screenshot', { name: 'model-status-bar' });
  });

  it('Set API Key takes the key typed into its password box', async () => {
    await resetWorld({ key: undefined });
    await browserAction('runCommandFromPalette', { title: 'OpenRouter: Set API Key' });
    try {
      await waitFor('the key input box', async () => (await browserAction('quickInputTitle', {})).title.includes('OpenRouter API Key'));
      await browserAction('typeInQuickInput', { text: TEST_KEY });
      await browserAction('screenshot', { name: 'set-api-key' });
      await browserAction('pressKey', { key: 'Enter' });
      // VS Code checks the value with the extension before it accepts it; the box closes once it has. Closing it
      // any earlier (the cleanup below) would cancel the key on a busy machine.
      await waitFor('the key box to accept the key and close', async () => !(await browserAction('quickInputValue', {})).visible);
    } finally {
      await browserAction('closeQuickInput', {}).catch(() => undefined);
    }
    await waitFor('the key to be stored', async () => (await state()).keySource === 'secret-storage');
    const item = await browserAction('waitForStatusBarText', { id: 'openrouter.credits', pattern: '\\$7\\.50 left' });
    assert.match(item.text, /\$7\.50 left/);
  });

  it('the credits status bar item shows the balance, with details on hover', async () => {
    const item = await browserAction('waitForStatusBarText', { id: 'openrouter.credits', pattern: '\\$7\\.50 left' });
    assert.match(item.text, /\$7\.50 left/);
    const hover = await browserAction('hoverStatusBarItem', { id: 'openrouter.credits' });
    assert.match(hover.tooltip, /today/);
    await browserAction('screenshot', { name: 'credits-tooltip' });
  });

  it('the free-only toggle in the picker shows only free models', async () => {
    await browserAction('runCommandFromPalette', { title: 'OpenRouter: Select Model' });
    try {
      await waitFor('the picker', async () => (await browserAction('quickInputTitle', {})).title.startsWith('Select OpenRouter Model'));
      await browserAction('clickQuickInputButton', { title: 'Free only: show only free models' });
      await waitFor('the free-only title', async () => (await browserAction('quickInputTitle', {})).title.includes('free only'));
      const rows = await browserAction('quickPickItems', {});
      await browserAction('screenshot', { name: 'model-picker-free-only' });
      const models = rows.filter((r) => r.description.includes('/'));
      assert.ok(models.length > 0);
      assert.ok(models.every((r) => /free/.test(r.detail || r.ariaLabel)), rows.map((r) => `${r.label} ${r.detail}`).join(' | '));
    } finally {
      await browserAction('closeQuickInput', {}).catch(() => undefined);
    }
  });

  it('the star on a model’s row makes it a favourite, listed first; the star again takes it off', async () => {
    const models = (await apiGet<{ data: Model[] }>('/models')).data;
    const target = models.filter((m) => !m.id.endsWith(':free') && m.name).at(-1);
    assert.ok(target?.name);
    const name = target.name;
    assert.deepEqual((await state()).favourites, []);
    await browserAction('runCommandFromPalette', { title: 'OpenRouter: Select Model' });
    try {
      await waitFor('the picker', async () => (await browserAction('quickInputTitle', {})).title.startsWith('Select OpenRouter Model'));
      await browserAction('typeInQuickInput', { text: target.id });
      await browserAction('quickPickItems', { waitFor: name });
      await browserAction('clickQuickPickItemButton', { label: name, button: 'Add to favourites' });
      await waitFor('the favourite saved', async () => (await state()).favourites.includes(target.id));
      // With the filter cleared, the favourite opens the list under its own heading.
      await browserAction('typeInQuickInput', { text: '', replace: true });
      const first = await waitFor('the favourites section', async () => {
        const rows = await browserAction('quickPickItems', {});
        return rows[0]?.separator === 'Favourites' ? rows[0] : undefined;
      });
      assert.ok(first.label.includes(name), `first row "${first.label}"`);
      await browserAction('screenshot', { name: 'model-picker-favourite' });
      await browserAction('clickQuickPickItemButton', { label: name, button: 'Remove from favourites' });
      await waitFor('the favourite removed', async () => (await state()).favourites.length === 0);
      const rows = await waitFor('the list without favourites', async () => {
        const now = await browserAction('quickPickItems', {});
        return now.some((r) => r.separator === 'Favourites') ? undefined : now;
      });
      assert.ok(rows.length > 0);
    } finally {
      await browserAction('closeQuickInput', {}).catch(() => undefined);
    }
  });

  it('a low balance turns the credits item to warning colours, a dead network to error colours', async () => {
    await setSetting('lowBalanceThreshold', 5);
    await emulator.setKey(TEST_KEY, { ...TEST_KEY_STATE, limit_remaining: 2 });
    try {
      await vscode.commands.executeCommand(commandIds.refreshCredits);
      const low = await browserAction('waitForStatusBarText', { id: 'openrouter.credits', pattern: '\\$2\\.00 left' });
      assert.match(low.kind, /warning-kind/);
      await browserAction('screenshot', { name: 'credits-low' });
      await setSetting('maxRetries', 0);
      await emulator.addFault({ path: '/key', times: 3, fault: { type: 'drop-before-response' } });
      await vscode.commands.executeCommand(commandIds.refreshCredits);
      const down = await browserAction('waitForStatusBarText', { id: 'openrouter.credits', pattern: 'OpenRouter offline' });
      assert.match(down.kind, /error-kind/);
      await browserAction('screenshot', { name: 'credits-offline' });
    } finally {
      await emulator.clearFaults();
      await emulator.setKey(TEST_KEY, TEST_KEY_STATE);
      await setSetting('lowBalanceThreshold', undefined);
      await setSetting('maxRetries', undefined);
    }
  });

  it('without a key the credits item offers to set one; the network log is in the output channel', async () => {
    await resetWorld({ key: undefined });
    const item = await browserAction('waitForStatusBarText', { id: 'openrouter.credits', pattern: 'Set OpenRouter key' });
    assert.match(item.text, /Set OpenRouter key/);
    await vscode.commands.executeCommand(commandIds.refreshModels);
    await vscode.commands.executeCommand(commandIds.showConnectionStats);
    await browserAction('screenshot', { name: 'no-key-and-network-log' });
    await resetWorld({ key: TEST_KEY });
  });
});

import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds } from '../../src/commands/commandIds';
import type { CreditsSnapshot } from '../../src/credits/creditsStatusItem';
import { MANAGEMENT_KEY, MANAGEMENT_KEY_STATE, TEST_KEY, TEST_KEY_STATE, emulator, logMark, logSince, resetWorld, setSetting, state } from './openrouterKit';
import { waitFor } from '../support/waitFor';

const refresh = async (): Promise<CreditsSnapshot> => (await vscode.commands.executeCommand(commandIds.refreshCredits)) as CreditsSnapshot;

describe('credits status bar item', function () {
  // Setting writes go through the workbench and settings.json; slow on a loaded machine.
  this.timeout(60_000);

  before(async () => {
    await setSetting('maxRetries', 0);
  });

  beforeEach(async () => {
    await resetWorld({ key: TEST_KEY });
  });

  after(async () => {
    await setSetting('maxRetries', undefined);
    await setSetting('lowBalanceThreshold', undefined);
    await emulator.setKey(TEST_KEY, TEST_KEY_STATE);
    await emulator.setKey(MANAGEMENT_KEY, MANAGEMENT_KEY_STATE);
  });

  it('shows the key\'s remaining limit when /credits answers 403 (an ordinary key), without an error', async () => {
    const snap = await refresh();
    assert.equal(snap.state, 'ok');
    assert.equal(snap.text, '$(credit-card) $7.50 left');
    assert.equal(snap.creditsUnavailable, true);
    assert.equal(snap.background, undefined);
    assert.equal(snap.command, commandIds.showCredits);
    assert.match(snap.tooltip, /today \$0\.25 · this week \$1\.00 · this month \$2\.50/);
    assert.match(snap.tooltip, /\$10\.00 \(\$7\.50 remaining\)/);
  });

  it('takes the smaller of the key limit and the account balance for a management key', async () => {
    await emulator.setKey(MANAGEMENT_KEY, { limit: 20, limit_remaining: 19, usage: 1, is_management_key: true });
    await emulator.setCredits({ total_credits: 25, total_usage: 10 });
    await vscode.commands.executeCommand(commandIds.setApiKey, MANAGEMENT_KEY);
    const snap = await refresh();
    assert.equal(snap.text, '$(credit-card) $15.00 left');
    assert.equal(snap.creditsUnavailable, false);
    assert.match(snap.tooltip, /Account balance:\*\* \$15\.00/);
  });

  it('turns to warning colours under the threshold and warns once', async () => {
    await setSetting('lowBalanceThreshold', 5);
    const mark = await logMark();
    await emulator.setKey(TEST_KEY, { ...TEST_KEY_STATE, limit_remaining: 2 });
    const low = await refresh();
    assert.equal(low.level, 'low');
    assert.equal(low.background, 'statusBarItem.warningBackground');
    assert.match(low.tooltip, /Below the low-balance threshold of \$5\.00/);
    await refresh();
    const warnings = (await logSince(mark)).filter((l) => /balance is low/.test(l.message));
    assert.equal(warnings.length, 1, 'one warning for one crossing');
  });

  it('turns to error colours when nothing is left', async () => {
    await emulator.setKey(TEST_KEY, { ...TEST_KEY_STATE, limit_remaining: 0 });
    const snap = await refresh();
    assert.equal(snap.level, 'empty');
    assert.equal(snap.background, 'statusBarItem.errorBackground');
  });

  it('shows a visible error state when the network fails, and recovers', async () => {
    await emulator.addFault({ path: '/key', times: 5, fault: { type: 'drop-before-response' } });
    const down = await refresh();
    assert.equal(down.state, 'error');
    assert.equal(down.text, '$(warning) OpenRouter offline');
    assert.equal(down.background, 'statusBarItem.errorBackground');
    assert.match(down.tooltip, /Could not read the credits/);
    await emulator.clearFaults();
    const up = await refresh();
    assert.equal(up.state, 'ok');
  });

  it('says so when OpenRouter stops accepting the stored key, and offers to set a new one', async () => {
    await emulator.setKey(TEST_KEY, null);
    try {
      const snap = await refresh();
      assert.equal(snap.state, 'invalid-key');
      assert.equal(snap.text, '$(key) OpenRouter key rejected');
      assert.match(snap.tooltip, /Click to set a new key/);
      assert.equal(snap.command, commandIds.setApiKey);
    } finally {
      await emulator.setKey(TEST_KEY, TEST_KEY_STATE);
    }
  });

  it('never has more than one refresh in flight', async () => {
    await emulator.reset();
    await Promise.all([refresh(), refresh(), refresh(), refresh()]);
    const keyCalls = (await emulator.counters()).requestsByPath['/key'] ?? 0;
    assert.ok(keyCalls >= 1 && keyCalls <= 2, `four refreshes at once made ${keyCalls} /key requests`);
    assert.equal((await state()).credits.state, 'ok');
  });

  it('refreshes on its own at the configured interval, which applies live', async () => {
    await emulator.reset();
    await setSetting('creditsRefreshIntervalSeconds', 1);
    try {
      await waitFor('two refreshes nobody asked for', async () => ((await emulator.counters()).requestsByPath['/key'] ?? 0) >= 2, 15_000);
    } finally {
      await setSetting('creditsRefreshIntervalSeconds', undefined);
    }
  });

  it('clicking shows the details after a refresh', async () => {
    const snap = (await vscode.commands.executeCommand(commandIds.showCredits)) as CreditsSnapshot;
    assert.equal(snap.state, 'ok');
  });
});

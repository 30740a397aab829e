import { standIn } from './vscode/install';
import { hostOn, silent } from './vscode/providerHostFixture';
import assert from 'node:assert/strict';
import type { ApiKeyStore } from '../../src/apiKey/apiKeyStore';
import { AccountBalance } from '../../src/balance/accountBalance';
import { CreditsStatusItem, type CreditsSnapshot } from '../../src/credits/creditsStatusItem';
import { startEmulator, type Emulator } from '../emulator';
import { TEST_KEY } from '../emulator/accounts';

const keys = { get: async () => TEST_KEY, has: async () => true, onDidChange: () => ({ dispose() {} }) } as unknown as ApiKeyStore;

function nextSnapshot(item: CreditsStatusItem, state: CreditsSnapshot['state']): Promise<CreditsSnapshot> {
  return new Promise((resolve) => {
    const listener = item.onDidUpdate((snapshot) => {
      if (snapshot.state !== state) return;
      listener.dispose();
      resolve(snapshot);
    });
  });
}

describe('credits item across provider rebuilds and shutdown (vscode stand-in, loopback emulator)', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator();
  });

  after(() => emulator.close());

  it('asks again through the new pool after a settings change, leaves no old socket open, and stops polling when disposed', async () => {
    standIn.reset();
    emulator.reset();
    const { settings, host } = hostOn(emulator, keys);
    const balance = new AccountBalance(host, keys, settings, silent);
    const item = new CreditsStatusItem(balance, settings, silent, undefined);
    try {
      const first = nextSnapshot(item, 'ok');
      balance.refreshWhenFocused();
      assert.match((await first).text, /\$/);
      assert.equal(emulator.counters().connectionsAccepted, 1);

      const second = nextSnapshot(item, 'ok');
      standIn.setConfiguration('openrouter.poolSize', 2);
      await second;
      const counters = emulator.counters();
      assert.equal(counters.requestsByPath['/key'], 2, 'the change asked for the credits again');
      assert.equal(counters.connectionsAccepted, 2, 'on a connection of the new pool');
      assert.equal(host.retiringCount, 0, 'the old pool, idle, is closed');
      assert.equal(balance.polling, true);
    } finally {
      item.dispose();
      balance.dispose();
      assert.equal(balance.polling, false, 'no polling timer outlives the balance');
      await host.closeConnections();
      host.dispose();
      settings.dispose();
    }
    assert.equal(standIn.statusBarItems.has('openrouter.credits'), false, 'the status bar item is gone');
  });

  it('shows what another feature adds to the usage figures (inline completions\' spend), and re-renders when it changes', async () => {
    standIn.reset();
    emulator.reset();
    const { settings, host } = hostOn(emulator, keys);
    const balance = new AccountBalance(host, keys, settings, silent);
    const item = new CreditsStatusItem(balance, settings, silent, undefined);
    let spent: string | undefined;
    const usage = balance.addUsageLine(() => spent);
    try {
      const first = nextSnapshot(item, 'ok');
      balance.refreshWhenFocused();
      assert.doesNotMatch((await first).tooltip, /Completions/, 'nothing to say before any completion');
      const changed = nextSnapshot(item, 'ok');
      spent = 'Completions in this window: 2 requests (1 cancelled), $0.000123';
      usage.changed();
      assert.match((await changed).tooltip, /Completions in this window: 2 requests \\\(1 cancelled\\\), \$0\\\.000123/);
      assert.equal(emulator.counters().requestsByPath['/key'], 1, 're-rendered without a request');
    } finally {
      usage.dispose();
      item.dispose();
      balance.dispose();
      await host.closeConnections();
      host.dispose();
      settings.dispose();
    }
  });
});

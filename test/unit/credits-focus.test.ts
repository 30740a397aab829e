import { standIn } from './vscode/install';
import { hostOn, silent } from './vscode/providerHostFixture';
import assert from 'node:assert/strict';
import type { ApiKeyStore } from '../../src/apiKey/apiKeyStore';
import { AccountBalance } from '../../src/balance/accountBalance';
import { CreditsStatusItem } from '../../src/credits/creditsStatusItem';
import type { CreditsSnapshot } from '../../src/credits/creditsStatusItem';
import type { ProviderHost } from '../../src/host/providerHost';
import type { Settings } from '../../src/config/settings';
import { startEmulator, type Emulator } from '../emulator';
import { TEST_KEY } from '../emulator/accounts';


/** Resolves with the next snapshot the item shows in state `ok`. */
function nextOk(item: CreditsStatusItem): Promise<CreditsSnapshot> {
  return new Promise((resolve) => {
    const listener = item.onDidUpdate((snapshot) => {
      if (snapshot.state !== 'ok') return;
      listener.dispose();
      resolve(snapshot);
    });
  });
}

describe('credits item in a window with and without focus (vscode stand-in, loopback emulator)', () => {
  let emulator: Emulator;
  let settings: Settings;
  let host: ProviderHost;
  let item: CreditsStatusItem | undefined;
  let balance: AccountBalance | undefined;
  // Every refresh starts by asking whether a key is set: counting the asks counts the refreshes begun.
  let keyChecks = 0;
  const keys = {
    get: async () => TEST_KEY,
    has: () => {
      keyChecks++;
      return Promise.resolve(true);
    },
    onDidChange: () => ({ dispose() {} }),
  } as unknown as ApiKeyStore;

  before(async () => {
    emulator = await startEmulator();
  });

  after(async () => {
    await emulator.close();
  });

  beforeEach(() => {
    standIn.reset();
    emulator.reset();
    keyChecks = 0;
    ({ settings, host } = hostOn(emulator, keys));
  });

  afterEach(async () => {
    item?.dispose();
    item = undefined;
    balance?.dispose();
    balance = undefined;
    host.dispose();
    settings.dispose();
  });

  it('makes no request and arms no timer while the window has no focus, then refreshes once when focused', async () => {
    standIn.setFocused(false);
    balance = new AccountBalance(host, keys, settings, silent);
    item = new CreditsStatusItem(balance, settings, silent, undefined);
    balance.refreshWhenFocused();
    assert.equal(keyChecks, 0, 'no refresh began in the background window');
    assert.equal(balance.polling, false, 'no polling timer while unfocused');
    assert.equal(item.snapshot.state, 'loading');

    const shown = nextOk(item);
    standIn.setFocused(true);
    assert.equal(keyChecks, 1, 'focus starts the refresh that was missed');
    const snapshot = await shown;
    assert.match(snapshot.text, /\$/);
    assert.equal(emulator.counters().requestsByPath['/key'], 1);
    assert.equal(balance.polling, true, 'the polling timer runs while focused');

    standIn.setFocused(false);
    assert.equal(balance.polling, false, 'blurring the window stops the polling timer');
  });

  it('does not refresh again on focus while the figures are younger than the interval', async () => {
    balance = new AccountBalance(host, keys, settings, silent);
    item = new CreditsStatusItem(balance, settings, silent, undefined);
    const shown = nextOk(item);
    balance.refreshWhenFocused();
    assert.equal(keyChecks, 1, 'a focused window refreshes at once');
    await shown;
    standIn.setFocused(false);
    standIn.setFocused(true);
    assert.equal(keyChecks, 1, 'figures a moment old are not fetched again');
  });

  it('polls at the configured interval while focused, and a click refreshes even without focus', async () => {
    standIn.setConfiguration('openrouter.creditsRefreshIntervalSeconds', 1);
    balance = new AccountBalance(host, keys, settings, silent);
    item = new CreditsStatusItem(balance, settings, silent, undefined);
    const first = nextOk(item);
    balance.refreshWhenFocused();
    await first;
    // The next one comes from the interval alone.
    await nextOk(item);
    assert.equal(keyChecks, 2);

    standIn.setFocused(false);
    const asked = nextOk(item);
    void balance.refresh();
    await asked;
    assert.equal(keyChecks, 3, 'what the user asks for never waits for focus');
  });
});

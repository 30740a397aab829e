import { standIn } from './vscode/install';
import { hostOn, silent } from './vscode/providerHostFixture';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiKeyStore } from '../../src/apiKey/apiKeyStore';
import { KEY_USAGE_MAX_AGE_MS } from '../../src/completions';
import { AccountBalance } from '../../src/balance/accountBalance';
import { BudgetGuard } from '../../src/usage/budgetGuard';
import { UsageFolder } from '../../src/usage/usageFolder';
import { nodeFileStore } from '../../src/storage/nodeFileStore';
import { UsageRecorder } from '../../src/usage/usageRecorder';
import { startEmulator, type Emulator } from '../emulator';
import { TEST_KEY, defaultKeys } from '../emulator/accounts';

const keys = { get: async () => TEST_KEY, has: async () => true, onDidChange: () => ({ dispose() {} }) } as unknown as ApiKeyStore;

class Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

describe("budget from the key's usage: cancelled completions count (vscode stand-in, loopback emulator)", () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator();
  });

  after(() => emulator.close());

  it('a completion is stopped once /key shows spend the local record never saw, read again when older than the limit', async () => {
    standIn.reset();
    emulator.reset();
    const dir = mkdtempSync(join(tmpdir(), 'budget-key-usage-'));
    const { settings, host } = hostOn(emulator, keys);
    const credits = new AccountBalance(host, keys, settings, silent);
    const recorder = new UsageRecorder({ folder: new UsageFolder(nodeFileStore, dir), keepPrompts: () => false, log: silent });
    const guard = new BudgetGuard({ recorder, settings, keyUsage: credits, memento: new Memento(), log: silent } as unknown as ConstructorParameters<typeof BudgetGuard>[0]);
    const keyRequests = (): number => emulator.counters().requestsByPath['/key'] ?? 0;
    try {
      standIn.setConfiguration('openrouter.budget.daily', 1);
      await credits.refresh();
      assert.equal(await guard.allowsWithoutAsking(), true, `$${defaultKeys[TEST_KEY]!.usage_daily} of $1 today`);

      // Completions cancelled by typing are billed, never recorded locally: only the key's usage grows.
      emulator.setKey(TEST_KEY, { ...defaultKeys[TEST_KEY]!, usage_daily: 1.2 });
      const before = keyRequests();
      credits.refreshIfOlderThan(KEY_USAGE_MAX_AGE_MS);
      assert.equal(keyRequests(), before, 'figures younger than the limit are not read again');
      assert.equal(await guard.allowsWithoutAsking(), true, 'not seen yet');

      const seen = new Promise((resolve) => guard.onDidChange(resolve));
      credits.refreshIfOlderThan(0);
      await seen;
      assert.equal(keyRequests(), before + 1);
      assert.equal(guard.status.level, 'over');
      assert.equal(await guard.allowsWithoutAsking(), false, 'the next completion is not sent');
      assert.equal(standIn.quickPicks.length, 0, 'and nothing asks');
    } finally {
      emulator.setKey(TEST_KEY, defaultKeys[TEST_KEY]!);
      guard.dispose();
      credits.dispose();
      await host.closeConnections();
      host.dispose();
      settings.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

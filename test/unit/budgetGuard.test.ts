import { standIn } from './vscode/install';
import { silent, workspaceConsent } from './vscode/providerHostFixture';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Settings } from '../../src/config/settings';
import type { KeyInfo } from '../../src/openrouter/types';
import { BUDGET_CONFIRMED_DAY_KEY, BudgetGuard } from '../../src/usage/budgetGuard';
import { dayKey } from '../../src/usage/usageDays';
import { UsageFolder } from '../../src/usage/usageFolder';
import { UsageRecorder } from '../../src/usage/usageRecorder';
import type { StandInQuickPick } from './vscode/standIn';
import { EventEmitter } from './vscode/standIn';

/** globalState as VS Code keeps it, in memory. */
class Memento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
}

function nextQuickPick(): Promise<StandInQuickPick> {
  const open = standIn.quickPicks[0];
  if (open) return Promise.resolve(open);
  return new Promise((resolve) => {
    const listener = standIn.quickPickShown.event((pick) => {
      listener.dispose();
      resolve(pick);
    });
  });
}

describe('budget guard (vscode stand-in)', () => {
  let dir: string;
  let recorder: UsageRecorder;
  let memento: Memento;
  let keyInfo: KeyInfo | undefined;
  let guard: BudgetGuard;
  let settings: Settings;

  beforeEach(async () => {
    standIn.reset();
    dir = mkdtempSync(join(tmpdir(), 'budget-guard-'));
    recorder = new UsageRecorder({ folder: new UsageFolder(dir), keepPrompts: () => false, log: silent });
    await recorder.record({ source: 'chat', model: 'a/x', costUsd: 0.6 });
    memento = new Memento();
    keyInfo = undefined;
    settings = new Settings(silent, workspaceConsent(), {});
    const keyUsage = { get keyInfo() { return keyInfo; }, onDidUpdate: new EventEmitter<unknown>().event };
    guard = new BudgetGuard({ recorder, settings, keyUsage, memento, log: silent } as unknown as ConstructorParameters<typeof BudgetGuard>[0]);
  });

  afterEach(() => {
    guard.dispose();
    settings.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets every send go without a question while no budget is set or it is under 100 %', async () => {
    assert.equal(await guard.confirmSend('chat'), true);
    standIn.setConfiguration('openrouter.budget.daily', 1);
    assert.equal(await guard.confirmSend('chat'), true);
    assert.equal(guard.status.level, 'ok');
    standIn.setConfiguration('openrouter.budget.daily', 0.7);
    assert.equal(await guard.confirmSend('compare'), true);
    assert.equal(guard.status.level, 'warning');
    assert.equal(standIn.quickPicks.length, 0, 'never asked');
  });

  it('past 100 % asks; declining sends nothing and is asked again; sending anyway holds for the rest of the UTC day', async () => {
    standIn.setConfiguration('openrouter.budget.daily', 0.5);
    const first = guard.confirmSend('chat');
    const second = guard.confirmSend('vscode-chat');
    const pick = await nextQuickPick();
    assert.match(pick.title ?? '', /\$0\.60 of the \$0\.50 daily budget \(120 %\)/);
    assert.equal(standIn.quickPicks.length, 1, 'two sends at once share one question');
    pick.answer("Don't send");
    assert.deepEqual(await Promise.all([first, second]), [false, false]);
    assert.equal(memento.get(BUDGET_CONFIRMED_DAY_KEY), undefined);
    assert.equal(await guard.allowsWithoutAsking(), false, 'a completion is not sent, and asks nothing');

    const third = guard.confirmSend('chat');
    (await nextQuickPick()).answer(undefined);
    assert.equal(await third, false, 'Escape declines');

    const fourth = guard.confirmSend('chat');
    (await nextQuickPick()).answer('Send anyway');
    assert.equal(await fourth, true);
    assert.equal(memento.get(BUDGET_CONFIRMED_DAY_KEY), dayKey(Date.now()));
    assert.equal(await guard.confirmSend('compare'), true);
    assert.equal(await guard.allowsWithoutAsking(), true);
    assert.equal(standIn.quickPicks.length, 0, 'not asked again today');

    await memento.update(BUDGET_CONFIRMED_DAY_KEY, '2000-01-01');
    const nextDay = guard.confirmSend('chat');
    (await nextQuickPick()).answer("Don't send");
    assert.equal(await nextDay, false, 'a confirmation from another day does not count');
  });

  it("counts the key's own usage from /key when it is larger than the local record", async () => {
    standIn.setConfiguration('openrouter.budget.monthly', 2);
    assert.equal((await guard.refresh()).level, 'ok');
    keyInfo = { usage_daily: 0.1, usage_monthly: 2.5 } as KeyInfo;
    const asked = guard.confirmSend('chat');
    const pick = await nextQuickPick();
    assert.match(pick.title ?? '', /\$2\.50 of the \$2\.00 monthly budget \(125 %\)/);
    pick.answer("Don't send");
    assert.equal(await asked, false);
  });

  it('sees a new answer in the record at once', async () => {
    standIn.setConfiguration('openrouter.budget.daily', 1);
    assert.equal((await guard.refresh()).level, 'ok');
    const changed = new Promise((resolve) => guard.onDidChange(resolve));
    await recorder.record({ source: 'compare', model: 'b/y', costUsd: 0.3 });
    await changed;
    assert.equal(guard.status.level, 'warning');
  });
});

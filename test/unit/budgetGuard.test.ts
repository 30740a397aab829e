import { standIn } from './vscode/install';
import { silent, workspaceConsent } from './vscode/providerHostFixture';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Settings } from '../../src/config/settings';
import type { KeyInfo } from '../../src/openrouter/types';
import { BUDGET_RAISES_KEY, BudgetGuard, parseAmount } from '../../src/usage/budgetGuard';
import { dayKey, monthKey } from '../../src/usage/usageDays';
import { UsageFolder } from '../../src/usage/usageFolder';
import { nodeFileStore } from '../../src/storage/nodeFileStore';
import { UsageRecorder } from '../../src/usage/usageRecorder';
import type { StandInInputBox, StandInQuickPick } from './vscode/standIn';
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

function nextInputBox(): Promise<StandInInputBox> {
  const open = standIn.inputBoxes[0];
  if (open) return Promise.resolve(open);
  return new Promise((resolve) => {
    const listener = standIn.inputBoxShown.event((box) => {
      listener.dispose();
      resolve(box);
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
    recorder = new UsageRecorder({ folder: new UsageFolder(nodeFileStore, dir), keepPrompts: () => false, log: silent });
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

  it('past 100 % asks how much more to allow; declining sends nothing and is asked again; a raise holds up to its new limit only', async () => {
    standIn.setConfiguration('openrouter.budget.daily', 0.5);
    const first = guard.confirmSend('chat');
    const second = guard.confirmSend('vscode-chat');
    const pick = await nextQuickPick();
    assert.match(pick.title ?? '', /\$0\.60 of the \$0\.50 daily budget \(120 %\)/);
    assert.deepEqual(
      pick.labels.map((label) => label.replace(/^\$\([^)]*\) /, '')),
      ["Don't send", 'Allow up to $1.00 more today', 'Allow up to $5.00 more today', 'Allow another amount…', 'Change the budgets…'],
      'not sending comes first; no choice lifts the budget without a new limit',
    );
    assert.equal(standIn.quickPicks.length, 1, 'two sends at once share one question');
    pick.answer("Don't send");
    assert.deepEqual(await Promise.all([first, second]), [false, false]);
    assert.equal(memento.get(BUDGET_RAISES_KEY), undefined);
    assert.equal(await guard.allowsWithoutAsking(), false, 'a completion is not sent, and asks nothing');

    const third = guard.confirmSend('chat');
    (await nextQuickPick()).answer(undefined);
    assert.equal(await third, false, 'Escape declines');

    const fourth = guard.confirmSend('chat');
    (await nextQuickPick()).answer('Allow up to $1.00 more today');
    assert.equal(await fourth, true);
    const [line] = guard.status.lines;
    assert.equal(line?.limit.toFixed(2), '1.60', 'the $0.60 spent plus the $1.00 allowed');
    assert.match(guard.status.level, /ok|warning/);
    assert.equal(await guard.confirmSend('compare'), true);
    assert.equal(await guard.allowsWithoutAsking(), true, 'completions go again under the new limit');
    assert.equal(standIn.quickPicks.length, 0, 'not asked while under the new limit');

    await recorder.record({ source: 'completion', model: 'a/x', costUsd: 0.9 });
    assert.equal(await guard.allowsWithoutAsking(), true, '$1.50 of $1.60');
    await recorder.record({ source: 'completion', model: 'a/x', costUsd: 0.2 });
    assert.equal(await guard.allowsWithoutAsking(), false, 'completions stop at the new limit');
    const fifth = guard.confirmSend('chat');
    const again = await nextQuickPick();
    assert.match(again.title ?? '', /\$1\.70 of the \$1\.60 daily budget \(\$0\.50 \+ \$1\.10 allowed today\)/);
    again.answer("Don't send");
    assert.equal(await fifth, false, 'past the raised limit the question comes back');

    await memento.update(BUDGET_RAISES_KEY, { daily: { day: '2000-01-01', usd: 100 } });
    assert.equal(await guard.allowsWithoutAsking(), false, 'a raise made on another day does not count');
  });

  it('one raise never lifts everything: completions stop at $25 and at $500 spent against $5 a day and $20 a month', async () => {
    standIn.setConfiguration('openrouter.budget.daily', 5);
    standIn.setConfiguration('openrouter.budget.monthly', 20);
    keyInfo = { usage_daily: 25, usage_monthly: 25 } as KeyInfo;
    const asked = guard.confirmSend('chat');
    const pick = await nextQuickPick();
    assert.ok(pick.labels.some((label) => label.includes('Allow up to $1.00 more today and this month')), pick.labels.join(' | '));
    pick.answer('Allow up to $1.00 more today and this month');
    assert.equal(await asked, true);
    assert.equal(await guard.allowsWithoutAsking(), true, 'up to $26 today and this month');
    assert.deepEqual(memento.get(BUDGET_RAISES_KEY), { daily: { day: dayKey(Date.now()), usd: 21 }, monthly: { month: monthKey(Date.now()), usd: 6 } });

    keyInfo = { usage_daily: 26.01, usage_monthly: 26.01 } as KeyInfo;
    assert.equal(await guard.allowsWithoutAsking(), false, 'a completion past $26 is not sent');
    keyInfo = { usage_daily: 500, usage_monthly: 500 } as KeyInfo;
    assert.equal(await guard.allowsWithoutAsking(), false, 'nor at $500');
    assert.equal(standIn.quickPicks.length, 0, 'completions never ask');
  });

  it('raises each budget on its own: allowing more today does not lift the monthly budget', async () => {
    standIn.setConfiguration('openrouter.budget.daily', 5);
    standIn.setConfiguration('openrouter.budget.monthly', 20);
    keyInfo = { usage_daily: 6, usage_monthly: 6 } as KeyInfo;
    const asked = guard.confirmSend('chat');
    const pick = await nextQuickPick();
    assert.ok(pick.labels.some((label) => label.endsWith('Allow up to $5.00 more today')), 'only the daily budget is reached');
    pick.answer('Allow up to $5.00 more today');
    assert.equal(await asked, true);

    keyInfo = { usage_daily: 8, usage_monthly: 20 } as KeyInfo;
    assert.equal(await guard.allowsWithoutAsking(), false, 'the monthly budget still stops completions');
    const monthly = guard.confirmSend('compare');
    const next = await nextQuickPick();
    assert.match(next.title ?? '', /\$20\.00 of the \$20\.00 monthly budget/);
    assert.ok(next.labels.some((label) => label.endsWith('Allow up to $1.00 more this month')), next.labels.join(' | '));
    next.answer("Don't send");
    assert.equal(await monthly, false);
  });

  it('takes another amount from an input box that refuses anything but a positive sum; Escape there sends nothing', async () => {
    standIn.setConfiguration('openrouter.budget.daily', 0.5);
    const first = guard.confirmSend('chat');
    (await nextQuickPick()).answer('Allow another amount…');
    const box = await nextInputBox();
    for (const bad of ['0', '-1', 'abc', '1e9', '2,50']) assert.notEqual(box.validate(bad), undefined, `"${bad}" is refused`);
    box.answer(undefined);
    assert.equal(await first, false);
    assert.equal(memento.get(BUDGET_RAISES_KEY), undefined);

    const second = guard.confirmSend('chat');
    (await nextQuickPick()).answer('Allow another amount…');
    (await nextInputBox()).answer('$2.50');
    assert.equal(await second, true);
    assert.equal(guard.status.lines[0]?.limit.toFixed(2), '3.10');
    assert.equal(parseAmount('.5'), 0.5);
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

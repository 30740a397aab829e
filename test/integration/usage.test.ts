// Where the money goes, in the real VS Code against the emulator: the Usage view draws what the emulator
// billed, its table and CSV agree, and the budgets warn at 80 % and ask before sending past 100 %.
import assert from 'node:assert/strict';
import { assertLockedDown, pageLockdownExpression, type PageLockdown } from './pageLockdown';
import { request } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CreditsSnapshot } from '../../src/credits/creditsStatusItem';
import type { GenerationStats, Model } from '../../src/openrouter/types';
import type { BudgetStatus } from '../../src/usage/budgetMath';
import { dayKey } from '../../src/usage/usageDays';
import type { UsageEntry } from '../../src/usage/usageTypes';
import type { UsageReport } from '../../src/protocols/usage';
import { LM_VENDOR } from '../../src/lm/vendor';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { chooseModelInPanel, lastAnswer, prepareChat, screenshot, sendAndWait, sendMessage, startNewChat } from './chat-ui';
import { TEST_KEY, TEST_KEY_STATE, apiGet, emulator, emulatorBaseUrl, setSetting } from './openrouterKit';
import { waitFor } from '../support/waitFor';

interface UsageState {
  report: UsageReport;
  panelOpen: boolean;
  budget: BudgetStatus;
  entries: UsageEntry[];
  folder: string;
}

const cheap = 'openai/gpt-4o-mini';
const dear = 'anthropic/claude-sonnet-4.5';
const within = '#usage-app';

const usageState = async (options?: { forgetRaises?: boolean }): Promise<UsageState> => vscode.commands.executeCommand<UsageState>('openrouter.internal.usageState', options);
const refreshCredits = async (): Promise<CreditsSnapshot> => vscode.commands.executeCommand<CreditsSnapshot>('openrouter.refreshCredits');
const inUsage = <T>(expression: string) => browserAction('webviewEvaluate', { expression, within }) as Promise<T>;

/** What the emulator billed for a generation, asked of its /generation as OpenRouter would be. */
function billed(id: string): Promise<GenerationStats | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(`${emulatorBaseUrl()}/generation?id=${encodeURIComponent(id)}`, { agent: false, headers: { authorization: `Bearer ${TEST_KEY}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        // 404 until the emulator has the numbers, as OpenRouter does a few seconds after the answer.
        if (res.statusCode === 404) resolve(undefined);
        else if (res.statusCode === 200) resolve((JSON.parse(text) as { data: GenerationStats }).data);
        else reject(new Error(`/generation ${res.statusCode}`));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function chatRequests(): Promise<number> {
  return (await emulator.requests()).filter((r) => r.path === '/chat/completions').length;
}

async function useModel(id: string): Promise<void> {
  await chooseModelInPanel(id);
  await waitFor(`the extension to take ${id}`, async () => vscode.commands.executeCommand<{ selectedModelId: string }>('openrouter.internal.state'), { accept: (state) => state.selectedModelId === id });
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 + Math.abs(b) * 1e-9;

describe('usage view and budgets in the real VS Code', function () {
  this.timeout(180_000);

  before(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
    await prepareChat({ fresh: true });
    await setSetting('budget.daily', undefined);
    await setSetting('budget.monthly', undefined);
    // The key's own usage is zero here, so only the local record counts (a test below sets it on purpose).
    await emulator.setKey(TEST_KEY, { ...TEST_KEY_STATE, usage_daily: 0, usage_weekly: 0, usage_monthly: 0 });
    await refreshCredits();
    const { folder } = await usageState({ forgetRaises: true });
    // A fresh record: what earlier suites' chats cost would be drawn too.
    rmSync(folder, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) return;
    if (this.currentTest?.state === 'failed') await screenshot(`usage-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
    // The chat's own helpers read the first webview: leave only the chat's open.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) return;
    await setSetting('budget.daily', undefined);
    await setSetting('budget.monthly', undefined);
    await emulator.setKey(TEST_KEY, TEST_KEY_STATE);
    await usageState({ forgetRaises: true });
    await refreshCredits();
  });

  it('draws each model’s spend as the emulator billed it at its prices, and the table and the CSV agree', async () => {
    await useModel(cheap);
    await sendAndWait('[[chunks:6]] first question');
    await useModel(dear);
    await sendAndWait('[[chunks:12]] second question');
    await useModel(cheap);
    await sendAndWait('[[chunks:3]] third question');
    const { entries, folder } = await waitFor('three answers in the usage record', () => usageState(), { accept: (s) => s.entries.length === 3 });
    for (const name of readdirSync(folder)) assert.doesNotMatch(readFileSync(join(folder, name), 'utf8'), /question/, 'no prompt text on disk (not opted in)');

    // The truth: the emulator's bill for each generation, which is its tokens at the model's listed prices.
    const catalogue = (await apiGet<{ data: Model[] }>('/models')).data;
    const expected = new Map<string, { cost: number; requests: number }>();
    for (const entry of entries) {
      const bill = (await waitFor(`/generation for ${entry.id}`, () => billed(entry.id), { accept: (b) => b !== undefined }))!;
      const price = catalogue.find((m) => m.id === bill.model)!.pricing!;
      const atPrices = bill.tokens_prompt! * Number(price.prompt) + bill.tokens_completion! * Number(price.completion) + Number(price.request ?? 0);
      assert.ok(close(bill.total_cost!, atPrices), `${bill.model}: billed ${bill.total_cost}, at its prices ${atPrices}`);
      assert.equal(entry.provider, bill.provider_name);
      const sum = expected.get(bill.model!) ?? { cost: 0, requests: 0 };
      expected.set(bill.model!, { cost: sum.cost + bill.total_cost!, requests: sum.requests + 1 });
    }
    assert.deepEqual([...expected.keys()].sort(), [dear, cheap].sort());

    // The key's own usage changes at OpenRouter (another app spent): opening the view asks /key again.
    await emulator.setKey(TEST_KEY, { ...TEST_KEY_STATE, usage_daily: 0.25, usage_weekly: 1, usage_monthly: 2.5 });
    await browserAction('runCommandFromPalette', { title: 'OpenRouter: Show Usage' });
    // The chart and the tables are drawn from one report in one go; the tables' rows are HTML the action can wait for.
    await browserAction('webviewWaitFor', { selector: 'table[data-table="model"] tbody tr', within });
    await screenshot('usage-view');
    assertLockedDown(await inUsage<PageLockdown>(pageLockdownExpression));
    assert.equal(await inUsage<number>(`document.querySelectorAll('#usage-app [style]').length`), 0, 'colours come from the stylesheet (the theme), not from inline styles (VS Code puts the theme variables on <html> itself)');
    const drawn = await inUsage<{ axisMax: number; plotHeight: number; bars: Array<{ day: string; model: string; cost: number; height: number; y: number }> }>(`(() => {
      const svg = document.querySelector('svg.chart');
      return {
        axisMax: Number(svg.dataset.axisMax),
        plotHeight: Number(svg.dataset.plotHeight),
        bars: [...svg.querySelectorAll('rect.bar')].map((r) => ({ day: r.dataset.day, model: r.dataset.model, cost: Number(r.dataset.cost), height: Number(r.getAttribute('height')), y: Number(r.getAttribute('y')) })),
      };
    })()`);
    const today = dayKey(Date.now());
    const keyLine = await browserAction('webviewWaitFor', { selector: '#key-usage', text: '$0.25', within });
    assert.match(keyLine.text, /today \$0\.25 · this week \$1\.00 · this month \$2\.50/);
    await emulator.setKey(TEST_KEY, { ...TEST_KEY_STATE, usage_daily: 0, usage_weekly: 0, usage_monthly: 0 });
    await refreshCredits();
    assert.equal(drawn.bars.length, 2, 'one segment per model, on one day');
    for (const bar of drawn.bars) {
      assert.equal(bar.day, today);
      assert.ok(close(bar.cost, expected.get(bar.model)!.cost), `${bar.model}: drawn ${bar.cost}, billed ${expected.get(bar.model)!.cost}`);
      assert.ok(Math.abs(bar.height - (bar.cost / drawn.axisMax) * drawn.plotHeight) < 0.01, `${bar.model}'s height stands for its cost`);
    }
    const [lower, upper] = [...drawn.bars].sort((a, b) => b.y - a.y);
    assert.ok(Math.abs(upper!.y + upper!.height - lower!.y) < 0.01, 'the segments stack');
    const total = [...expected.values()].reduce((t, v) => t + v.cost, 0);
    assert.ok(drawn.axisMax >= total, 'the axis holds the whole day');

    const tableRows = () =>
      inUsage<Array<{ model: string; requests: number; cost: number }>>(`[...document.querySelectorAll('table[data-table="model"] tbody tr')].map((tr) => {
        const v = [...tr.cells].map((c) => c.dataset.value);
        return { model: v[0], requests: Number(v[1]), cost: Number(v[5]) };
      })`);
    const rows = await tableRows();
    assert.deepEqual(rows.map((r) => r.model).sort(), [...expected.keys()].sort());
    for (const row of rows) {
      assert.equal(row.requests, expected.get(row.model)!.requests);
      assert.ok(close(row.cost, expected.get(row.model)!.cost));
    }

    // Sorting by the keyboard: Enter on the Model header sorts by name, again reverses it; the focus stays on the header.
    await browserAction('webviewPress', { selector: 'table[data-table="model"] button[data-column="0"]', key: 'Enter', within });
    const ascending = await inUsage<{ sort: string | null; focused: string | undefined }>(`({ sort: document.querySelector('table[data-table="model"] th:first-child').getAttribute('aria-sort'), focused: document.activeElement?.dataset?.column })`);
    assert.deepEqual(ascending, { sort: 'ascending', focused: '0' });
    assert.deepEqual((await tableRows()).map((r) => r.model), [dear, cheap]);
    await browserAction('webviewPress', { selector: 'table[data-table="model"] button[data-column="0"]', key: 'Enter', within });
    assert.deepEqual((await tableRows()).map((r) => r.model), [cheap, dear]);

    const dir = mkdtempSync(join(tmpdir(), 'usage-csv-'));
    try {
      const file = join(dir, 'usage.csv');
      await vscode.commands.executeCommand('openrouter.internal.exportUsageTo', file);
      const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
      assert.equal(lines[0], 'day (UTC),model,requests,prompt tokens,completion tokens,cached tokens,cost (USD)');
      const csv = lines.slice(1).map((line) => line.split(','));
      assert.equal(csv.length, 2);
      for (const [day, model, requests, , , , cost] of csv) {
        const row = rows.find((r) => r.model === model)!;
        assert.equal(day, today);
        assert.equal(Number(requests), row.requests);
        assert.ok(close(Number(cost), row.cost), `${model}: CSV ${cost}, table ${row.cost}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns the credits item to its warning colour from 80 % of a budget, from the local record or the key’s usage', async () => {
    const { entries } = await usageState();
    const spentToday = entries.filter((e) => dayKey(e.at) === dayKey(Date.now())).reduce((t, e) => t + e.costUsd, 0);
    assert.ok(spentToday > 0, 'the chats above cost something');

    await setSetting('budget.daily', spentToday / 0.5);
    let snap = await waitFor('the budget at 50 %', refreshCredits, { accept: (s) => s.state === 'ok' && s.budgetLevel === 'ok' });
    assert.equal(snap.background, undefined);
    assert.match(snap.tooltip, /daily budget \(50 %\)/);

    await setSetting('budget.daily', spentToday / 0.9);
    snap = await waitFor('the budget at 90 %', refreshCredits, { accept: (s) => s.budgetLevel === 'warning' });
    assert.equal(snap.background, 'statusBarItem.warningBackground');
    assert.match(snap.tooltip, /daily budget \(90 %\)/);
    assert.match(snap.tooltip, /80 % of the budget reached/);
    const item = await browserAction('readStatusBarItem', { id: 'openrouter.credits' });
    assert.match(item.kind, /warning/, `the item on screen is drawn as a warning (${item.kind})`);
    const hover = await browserAction('hoverStatusBarItem', { id: 'openrouter.credits' });
    assert.match(hover.tooltip, /80 % of the budget reached/);
    assert.match(hover.tooltip, /Show Usage/, 'the tooltip links to the Usage view');

    // The key's own usage today (other apps, other machines) counts too.
    await setSetting('budget.daily', 1);
    snap = await waitFor('the budget back under 80 %', refreshCredits, { accept: (s) => s.budgetLevel === 'ok' });
    await emulator.setKey(TEST_KEY, { ...TEST_KEY_STATE, usage_daily: 0.85, usage_monthly: 0.85 });
    snap = await waitFor("the key's usage to count", refreshCredits, { accept: (s) => s.budgetLevel === 'warning' });
    assert.match(snap.tooltip, /\$0\.85 of the \$1\.00 daily budget \(85 %\)/);
    await emulator.setKey(TEST_KEY, { ...TEST_KEY_STATE, usage_daily: 0, usage_weekly: 0, usage_monthly: 0 });
    await setSetting('budget.daily', undefined);
    snap = await waitFor('no budget', refreshCredits, { accept: (s) => s.budgetLevel === 'off' });
    assert.equal(snap.background, undefined);
  });

  it('past 100 % asks how much more to allow before a chat send; declining sends nothing; a raise holds up to its new limit', async () => {
    await startNewChat();
    await useModel(cheap);
    await setSetting('budget.monthly', 0.000001);
    await waitFor('the monthly budget to be over', () => usageState({ forgetRaises: true }), { accept: (s) => s.budget.level === 'over' });
    const before = await chatRequests();

    await sendMessage('[[chunks:3]] over the budget');
    const choices = await browserAction('quickPickItems', { waitFor: 'Allow up to $1.00 more this month' });
    await screenshot('usage-budget-question');
    assert.deepEqual(
      choices.map((c) => c.label.trim()),
      ["Don't send", 'Allow up to $1.00 more this month', 'Allow up to $5.00 more this month', 'Allow another amount…', 'Change the budgets…'],
      'not sending comes first; every way to send names a new limit',
    );
    assert.match((await browserAction('quickInputTitle', {})).title, /OpenRouter budget reached: .* of the \$0\.000001 monthly budget/);
    await browserAction('pickQuickPickItem', { label: "Don't send" });
    const notice = await browserAction('webviewWaitFor', { selector: '#composer-error:not([hidden])' });
    assert.match(notice.text, /budget/);
    assert.equal(await browserAction('webviewEvaluate', { expression: `document.getElementById('input').value` }), '[[chunks:3]] over the budget', 'the text stays in the input');
    assert.equal(await chatRequests(), before, 'declining sent nothing');

    // Declining is not remembered: the next send asks again (Escape declines too); a raise is, up to its new limit.
    await browserAction('webviewPress', { selector: '#input', key: 'Enter' });
    await browserAction('quickPickItems', { waitFor: 'Allow up to $1.00 more this month' });
    await browserAction('closeQuickInput', {});
    await waitFor('the question to close', async () => (await browserAction('quickInputValue', {})).visible, { accept: (visible) => !visible });
    assert.equal(await chatRequests(), before, 'Escape sent nothing either');
    await browserAction('webviewPress', { selector: '#input', key: 'Enter' });
    await browserAction('quickPickItems', { waitFor: 'Allow up to $1.00 more this month' });
    await browserAction('pickQuickPickItem', { label: 'Allow up to $1.00 more this month' });
    await waitFor('the answer sent under the raised limit', lastAnswer, { accept: (a) => a !== null && a.status === 'done' });
    assert.equal(await chatRequests(), before + 1);
    const third = await sendAndWait('[[chunks:3]] and once more');
    assert.equal(third.status, 'done', 'no question while under the raised limit');
    assert.equal(await chatRequests(), before + 2);
    const state = await usageState();
    const line = state.budget.lines.find((l) => l.period === 'monthly')!;
    const left = line.limit - line.spent;
    assert.ok(left > 0.9 && left <= 1, `the monthly limit is what was spent when asked plus $1.00, less the two answers since: ${JSON.stringify(line)}`);
    const snap = await waitFor('the raise in the credits tooltip', refreshCredits, { accept: (s) => /allowed this month/.test(s.tooltip) });
    assert.match(snap.tooltip, /monthly budget \(\$0\.000001 \+ \$[\d.,]+ allowed this month\)/);
  });

  it("past 100 % asks before VS Code's chat sends too; declining sends nothing", async () => {
    await setSetting('budget.monthly', 0.000001);
    await waitFor('the monthly budget to be over', () => usageState({ forgetRaises: true }), { accept: (s) => s.budget.level === 'over' });
    const chat = await waitFor(`${cheap} in vscode.lm`, async () => (await vscode.lm.selectChatModels({ vendor: LM_VENDOR, id: cheap }))[0] ?? null, { accept: (m) => m !== null });
    const before = await chatRequests();
    // The provider's refusal reaches the caller as a rejected request or as an error in the stream.
    const pending = (async () => {
      const response = await chat!.sendRequest([vscode.LanguageModelChatMessage.User('hello [[chunks:3]]')]);
      for await (const fragment of response.text) void fragment;
    })();
    pending.catch(() => undefined);
    await browserAction('quickPickItems', { waitFor: 'Allow up to $1.00 more this month' });
    assert.match((await browserAction('quickInputTitle', {})).title, /OpenRouter budget reached/);
    await browserAction('pickQuickPickItem', { label: "Don't send" });
    await assert.rejects(pending, /budget/);
    assert.equal(await chatRequests(), before, 'declining sent nothing');
    await setSetting('budget.monthly', undefined);
  });
});

import assert from 'node:assert/strict';
import { assertLockedDown, pageLockdownExpression, type PageLockdown } from './pageLockdown';
import * as vscode from 'vscode';
import { internalCommandIds } from '../../src/commands/commandIds';
import { formatUsd } from '../../src/util/usd';
import type { CompareSnapshot } from '../../src/protocols/compare';
import type { EmulatedGeneration } from '../emulator/types';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import type { UsageEntry } from '../../src/usage/usageTypes';
import { control, emulator, resetWorld, setSetting, state, TEST_KEY } from './openrouterKit';
import { waitFor } from '../support/waitFor';

const within = '#compare-app';
const three = ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'mistralai/mistral-nemo'];

async function compareState(): Promise<CompareSnapshot | undefined> {
  return await vscode.commands.executeCommand<CompareSnapshot | undefined>(internalCommandIds.compareState);
}

async function usageState(options?: { forgetRaises?: boolean }): Promise<{ entries: UsageEntry[]; budget: { level: string } }> {
  return await vscode.commands.executeCommand<{ entries: UsageEntry[]; budget: { level: string } }>('openrouter.internal.usageState', options);
}

function generations(): Promise<EmulatedGeneration[]> {
  return control<EmulatedGeneration[]>('GET', '/generations');
}

/**
 * How many chat requests the emulator saw carrying `prompt`. Counted by the prompt, not as a difference of all chat
 * requests: the emulator keeps only the last 1,000 requests, and once the suites before this one send that many, a
 * difference drops whenever older ones fall out.
 */
async function requestsFor(prompt: string): Promise<number> {
  return (await emulator.requests()).filter((r) => r.path === '/chat/completions' && JSON.stringify(r.body).includes(prompt)).length;
}

/** What the panel shows per column, read from its page. */
function columnsShown(): Promise<Array<{ model: string; status: string; answer: string; figures: string }>> {
  return browserAction('webviewEvaluate', {
    within,
    expression: `[...document.querySelectorAll('.column')].map((c) => ({ model: c.dataset.model, status: c.dataset.status, answer: c.querySelector('.column-answer').textContent.trim(), figures: c.querySelector('.column-figures').textContent }))`,
  }) as Promise<Array<{ model: string; status: string; answer: string; figures: string }>>;
}

/** Opens the panel on `models` with `prompt` and waits until its page is ready to send. */
async function openCompare(models: string[], prompt: string): Promise<void> {
  await vscode.commands.executeCommand('openrouter.compareModels', { models, prompt });
  // Named from the catalogue, which a new panel loads when its page is ready.
  const taken = await waitFor('the panel to take the models', compareState, { accept: (s) => s !== undefined && s.models.map((m) => m.id).join() === models.join() && s.models.every((m) => m.priceLabel !== 'price unknown') });
  // The page shows these models (an open panel still showed the last ones, with an estimate, until then).
  await browserAction('webviewWaitFor', { within, selector: '#models-line', text: `Comparing ${taken.models.map((m) => `${m.name} (${m.priceLabel})`).join(' · ')}` });
  await browserAction('webviewWaitFor', { within, selector: '#estimate', text: 'Estimated cost' });
  await browserAction('webviewFill', { within, selector: '#prompt', text: prompt });
}

/** A column's cost is final: from the stream's usage chunk, from /generation, or known to be unavailable. */
function billSettled(source: string): boolean {
  return source === 'usage' || source === 'generation' || source === 'unavailable';
}

async function allSettled(): Promise<CompareSnapshot> {
  return waitFor('every column to end and have its bill (from the stream or /generation)', async () => (await compareState())!, { accept: (s) => !s.running && s.columns.length > 0 && s.columns.every((c) => billSettled(c.stats.source)), timeoutMs: 60_000 });
}

describe('Compare Models in the real VS Code', function () {
  this.timeout(120_000);

  before(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
    await resetWorld({ key: TEST_KEY });
  });

  afterEach(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) return;
    await emulator.clearFaults();
    if (this.currentTest?.state === 'failed') await browserAction('screenshot', { name: `compare-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}` }).catch(() => {});
  });

  after(async () => {
    // Other suites drive the first webview on the page: leave none of ours open.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('streams three models in three columns whose texts and costs match the emulator, with the estimate shown before sending', async () => {
    await openCompare(three, '[[chunks:12]] Which pool is best?');
    assertLockedDown((await browserAction('webviewEvaluate', { within, expression: pageLockdownExpression })) as PageLockdown);
    const estimate = await browserAction('webviewWaitFor', { within, selector: '#estimate', text: 'for 3 models' });
    assert.match(estimate.text, /≈ \$\d/);
    assert.match(estimate.text, /assumes 500 output tokens per model/);
    const before = new Set((await generations()).map((g) => g.id));
    // Paced as a model streams, so each column's rate is measured over time (a burst read at once has none).
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 15 }, times: 3 });

    await browserAction('webviewClick', { within, selector: '#send' });
    const done = await allSettled();
    await browserAction('screenshot', { name: 'compare-three-columns' });

    const made = (await generations()).filter((g) => !before.has(g.id));
    assert.equal(made.length, 3, 'one generation per column, no more');
    const shown = await waitFor('the costs to be drawn', columnsShown, { accept: (columns) => columns.length === 3 && columns.every((c) => c.figures.includes('$')) });
    assert.deepEqual(shown.map((c) => c.model), three);
    for (const [index, column] of shown.entries()) {
      const generation = made.find((g) => g.model === three[index]);
      assert.ok(generation, `the emulator made a generation for ${three[index]}`);
      assert.equal(column.status, 'done');
      assert.equal(column.answer, 'You said: Which pool is best? the quick brown fox jumps over.');
      assert.ok(column.figures.includes(formatUsd(generation.total_cost)), `${column.figures} shows ${formatUsd(generation.total_cost)}`);
      assert.ok(column.figures.includes(`via ${generation.provider_name}`), column.figures);
      assert.match(column.figures, /first token \d/);
      assert.match(column.figures, /tok\/s/);
      assert.equal(done.columns[index]!.stats.costUsd, generation.total_cost);
    }
    assert.equal(new Set(made.map((g) => g.total_cost)).size, 3, 'three prices, three costs');
  });

  it('stopping one column closes only its stream: the emulator sees it cancelled, the other two finish', async () => {
    const models = ['openai/gpt-4o', 'emulator/long', 'mistralai/mistral-nemo'];
    await openCompare(models, '[[chunks:40]] Stop the middle one');
    // Every column is held mid-answer until the middle one is stopped: all three are streaming when it is, and its Stop
    // button stands still, however slow the machine (a paced stream of 40 words can end before a click lands).
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'hold', afterChunks: 5 }, times: 3 });
    const before = new Set((await generations()).map((g) => g.id));
    await browserAction('webviewClick', { within, selector: '#send' });
    await waitFor('all three columns to stream', columnsShown, { accept: (columns) => columns.length === 3 && columns.every((c) => c.status === 'streaming' && c.answer !== '') });
    await browserAction('webviewClick', { within, selector: '.column[data-column="1"] .column-stop' });
    await browserAction('webviewWaitFor', { within, selector: '.column[data-column="1"][data-status="stopped"]' });
    assert.deepEqual((await columnsShown()).map((c) => c.status), ['streaming', 'stopped', 'streaming']);
    await emulator.releaseHeld();

    const done = await allSettled();
    await browserAction('screenshot', { name: 'compare-one-stopped' });
    assert.deepEqual(done.columns.map((c) => c.status), ['done', 'stopped', 'done']);
    const made = (await generations()).filter((g) => !before.has(g.id));
    assert.deepEqual(made.map((g) => [g.model, g.cancelled]).sort(), [['emulator/long', true], ['mistralai/mistral-nemo', false], ['openai/gpt-4o', false]]);
    const stopped = made.find((g) => g.model === 'emulator/long')!;
    assert.ok(stopped.tokens_completion < 40, 'the stopped answer was cut off at the emulator');
    // The stopped column still shows what it cost, from /generation.
    assert.equal(done.columns[1]!.stats.costUsd, stopped.total_cost);
    const shown = await columnsShown();
    assert.ok(shown[1]!.figures.includes(formatUsd(stopped.total_cost)), shown[1]!.figures);
    assert.equal(shown[0]!.answer.split(' ').length, 40);
  });

  it('copies a column\'s answer to the clipboard', async () => {
    const current = (await compareState())!;
    await vscode.env.clipboard.writeText('');
    await browserAction('webviewClick', { within, selector: '.column[data-column="2"] .column-copy' });
    const copied = await waitFor('the clipboard to change', () => Promise.resolve(vscode.env.clipboard.readText()), { accept: (text) => text !== '' });
    assert.equal(copied, current.columns[2]!.text);
  });

  it('continues in the sidebar chat with that model: the prompt and that answer open as a new chat', async () => {
    const current = (await compareState())!;
    const column = current.columns[0]!;
    await browserAction('webviewClick', { within, selector: '.column[data-column="0"] .column-continue' });
    await waitFor('the chat to take the model', state, { accept: (s) => s.selectedModelId === column.model.id });
    const turns = await waitFor('the chat to show the carried-over exchange', () =>
        browserAction('webviewEvaluate', {
          within: '#messages',
          expression: `[...document.querySelectorAll('article.turn')].map((t) => ({ role: t.classList.contains('user') ? 'user' : 'assistant', text: (t.querySelector('.answer') ?? t).textContent.trim() }))`,
        }) as Promise<Array<{ role: string; text: string }>>, { accept: (list) => list.length === 2 });
    assert.equal(turns[0]!.role, 'user');
    assert.ok(turns[0]!.text.includes('Stop the middle one'), turns[0]!.text);
    assert.equal(turns[1]!.role, 'assistant');
    assert.equal(turns[1]!.text, column.text.trim());
  });

  it('remembers the last set: the next comparison of the same models is one click in the palette', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the panel to close', compareState, { accept: (s) => s === undefined });
    await browserAction('runCommandFromPalette', { title: 'OpenRouter: Compare Models' });
    await browserAction('pickQuickPickItem', { label: 'last used' });
    const reopened = await waitFor('the panel to open', compareState, { accept: (s) => s !== undefined });
    assert.deepEqual(reopened!.models.map((m) => m.id), ['openai/gpt-4o', 'emulator/long', 'mistralai/mistral-nemo']);
    await browserAction('webviewWaitFor', { within, selector: '#models-line', text: 'OpenAI' });

    // Saved as a favourite set, it is offered (after the last set) the next time, one click too. Asked from the panel's
    // Models… button: its quick pick opens with the focus already in the panel, which the palette's, under load, could
    // lose (and close) to the focus going back to the panel's page.
    await browserAction('webviewClick', { within, selector: '#favourite-set' });
    await browserAction('webviewWaitFor', { within, selector: '#favourite-set[aria-pressed="true"]' });
    await browserAction('webviewClick', { within, selector: '#choose-models' });
    const offered = await browserAction('quickPickItems', { waitFor: 'favourite set' });
    assert.deepEqual(
      offered.map((item) => item.description),
      ['last used', 'favourite set', `2–4 from the catalogue`],
    );
    await browserAction('closeQuickInput', {});
  });

  it('a second Send while a comparison starts or runs starts no other: one request per column', async () => {
    const prompt = '[[chunks:20]] twice?';
    await openCompare(three, prompt);
    // Paced so the comparison is surely still running when the second click arrives.
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 50 }, times: 6 });
    const before = await requestsFor(prompt);
    await browserAction('webviewEvaluate', { within, expression: `(() => { const send = document.getElementById('send'); send.click(); send.click(); })()` });
    // A short answer may end before any poll sees it running: wait for its columns' figures.
    await waitFor('the comparison to end with its figures', compareState, { accept: (s) => s !== undefined && s.columns.length === 3 && s.columns.every((c) => c.text.includes('twice?') && billSettled(c.stats.source)), timeoutMs: 60_000 });
    assert.equal(await requestsFor(prompt), before + 3);
  });

  it('past 100 % of a budget asks once for the whole comparison (declining sends nothing); every column lands in the usage record', async () => {
    const prompt = '[[chunks:3]] over budget';
    await openCompare(three, prompt);
    await setSetting('budget.monthly', 0.000001);
    try {
      await waitFor('the monthly budget to be over', () => usageState({ forgetRaises: true }), { accept: (s) => s.budget.level === 'over' });
      const posts = (): Promise<number> => requestsFor(prompt);
      const before = await posts();
      const seen = new Set((await generations()).map((g) => g.id));

      await browserAction('webviewClick', { within, selector: '#send' });
      await browserAction('quickPickItems', { waitFor: 'Allow up to $1.00 more this month' });
      await browserAction('pickQuickPickItem', { label: "Don't send" });
      const notice = await browserAction('webviewWaitFor', { within, selector: '#compare-error:not([hidden])' });
      assert.match(notice.text, /budget/);
      assert.equal(await posts(), before, 'declining sent nothing');

      await browserAction('webviewClick', { within, selector: '#send' });
      await browserAction('quickPickItems', { waitFor: 'Allow up to $1.00 more this month' });
      await browserAction('pickQuickPickItem', { label: 'Allow up to $1.00 more this month' });
      await allSettled();
      assert.equal(await posts(), before + 3, 'one request per column after one question');
      // The picked question takes a moment to close; a second question would stay open.
      await waitFor('no second question (the quick input to close)', () => browserAction('quickInputValue', {}), { accept: (q) => !q.visible });

      const made = (await generations()).filter((g) => !seen.has(g.id));
      const recorded = await waitFor('the three columns in the usage record', async () => (await usageState()).entries.filter((e) => e.source === 'compare' && made.some((g) => g.id === e.id)), { accept: (entries) => entries.length === 3 });
      for (const generation of made) {
        const entry = recorded.find((e) => e.id === generation.id)!;
        assert.equal(entry.costUsd, generation.total_cost);
        assert.equal(entry.provider, generation.provider_name);
        assert.equal(entry.model, generation.model);
      }
    } finally {
      await setSetting('budget.monthly', undefined);
    }
  });
});


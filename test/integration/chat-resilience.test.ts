// The chat over a long session, as a user sees it: a deleted chat stays deleted while its answer is
// still finishing, and automatic retries and long server waits show with a countdown.
import assert from 'node:assert/strict';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { answerCount, emulator, inPanel, lastAnswer, prepareChat, reloadChatView, screenshot, sendAndWait, sendMessage, startNewChat, toggleSection } from './chat-ui';
import { waitFor } from '../support/waitFor';

/** The emulator answers /generation with 404 for this long after an answer starts (its default). */
const generationReadyAfterMs = 1500;

function historyTitles(): Promise<string[]> {
  return inPanel<string[]>(`[...document.querySelectorAll('#history-panel .history-open')].map((b) => b.firstChild.textContent)`);
}

function retryLine(): Promise<{ shown: boolean; text: string }> {
  return inPanel(`(() => {
    const all = document.querySelectorAll('article.turn.assistant');
    const line = all[all.length - 1]?.querySelector('.retry-status');
    return { shown: !!line && !line.hidden, text: line ? line.textContent : '' };
  })()`);
}

describe('sidebar chat over a long session', function () {
  this.timeout(120_000);

  before(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
    await prepareChat({ fresh: true });
  });

  afterEach(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) return;
    await emulator.clearFaults();
    if (this.currentTest?.state === 'failed') await screenshot(`resilience-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  it('a chat deleted while its answer streams stays deleted, also after its stats arrive and the view reloads', async () => {
    await startNewChat();
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 100 } });
    const title = 'Delete me while you answer';
    await sendMessage(`[[chunks:200]] ${title}`);
    await waitFor('the first tokens', async () => ((await answerCount()) > 0 ? lastAnswer() : null), { accept: (a) => (a?.text.length ?? 0) > 0 });
    const chatAt = (await emulator.requests()).filter((r) => r.path === '/chat/completions').at(-1)!.at;

    await toggleSection('history', true);
    await browserAction('webviewWaitFor', { selector: '#history-panel .history-open', text: title });
    await browserAction('webviewClick', { selector: `#history-panel li:has(.history-open:has-text("${title}")) .history-delete` });
    await browserAction('webviewWaitFor', { selector: 'body[data-busy="false"] #messages .empty-state' });

    // The stopped answer still asks /generation for its numbers and then saves: its chat must not come back.
    await waitFor('the stopped answer’s stats to be served', () => emulator.requests(), { accept: (seen) => seen.some((r) => r.path === '/generation' && r.at >= chatAt + generationReadyAfterMs) });
    await reloadChatView();
    const titles = await historyTitles();
    assert.ok(!titles.some((shown) => shown.includes(title)), `the deleted chat is not listed again: ${JSON.stringify(titles)}`);
    await screenshot('chat-deleted-stays-deleted');
    await toggleSection('history', false);
  });

  it('shows an automatic retry with its attempt, reason and a countdown, then the answer', async () => {
    await startNewChat();
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 503, retryAfter: '3', message: 'No provider is available right now' } });
    await sendMessage('Answer after a retry');
    const first = await waitFor('the retry notice', retryLine, { accept: (line) => line.shown });
    assert.match(first.text, /Attempt 1 failed: .*No provider is available right now.* Retrying in [23] s…/);
    await screenshot('chat-retry-countdown');
    const seconds = Number(/Retrying in (\d) s/.exec(first.text)![1]);
    await waitFor('the countdown to go down a second', retryLine, { accept: (line) => line.shown && new RegExp(`Retrying in ${seconds - 1} s`).test(line.text) });
    const answer = await waitFor('the answer after the retry', lastAnswer, { accept: (a) => a?.status === 'done' });
    assert.match(answer!.text, /You said: Answer after a retry/);
    assert.equal((await retryLine()).shown, false, 'the notice goes once the answer streams');
  });

  it('shows a server wait too long to sit through as a countdown next to Retry', async () => {
    // Retries are on (the default): the provider gives up at once on a wait this long instead of sitting through it.
    await startNewChat();
    const chatCalls = async (): Promise<number> => (await emulator.counters()).requestsByPath['/chat/completions'] ?? 0;
    const before = await chatCalls();
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 429, retryAfter: '90', message: 'Rate limit exceeded' } });
    const failed = await sendAndWait('Am I rate limited?');
    assert.equal(failed.status, 'error');
    assert.equal(await chatCalls(), before + 1, 'no retry was attempted');
    assert.equal((await retryLine()).shown, false, 'and none was announced');
    assert.match(failed.notice, /Rate limited/);
    assert.match(failed.notice, /Retry/);
    const secondsShown = (notice: string): number => Number(/You can retry in (\d+) s\./.exec(notice)?.[1] ?? Number.NaN);
    const first = secondsShown(failed.notice);
    assert.ok(first >= 80 && first <= 90, `the server's 90 s wait is shown: ${failed.notice}`);
    await waitFor('the wait to count down', lastAnswer, { accept: (a) => secondsShown(a?.notice ?? '') < first });
    await screenshot('chat-long-wait');
    await browserAction('webviewFill', { selector: '#input', text: '' });
  });
});

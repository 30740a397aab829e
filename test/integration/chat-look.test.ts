// The chat panel's look and its reusable answers, in the real VS Code: the title-bar actions, copy,
// regenerate (same model and another), edit-and-resend, the retry notice for a 429, 300 px, themes, keyboard.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatRequest } from '../../src/openrouter/types';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { answerCount, chooseModelInPanel, emulator, inPanel, lastAnswer, prepareChat, reloadChatView, screenshot, sectionOpen, sendAndWait, sendMessage, startNewChat, toggleSection } from './chat-ui';
import { waitFor } from '../support/waitFor';

const model = 'openai/gpt-4o-mini';
const otherModel = 'emulator/echo';

async function chatRequests(): Promise<ChatRequest[]> {
  return (await emulator.requests()).filter((r) => r.path === '/chat/completions').map((r) => r.body as ChatRequest);
}

/** What the panel shows of the conversation: each turn's role and text (a question being edited shows its editor's text). */
function turnsShown(): Promise<Array<{ role: string; text: string }>> {
  return inPanel(`[...document.querySelectorAll('article.turn')].map((t) => ({
    role: t.classList.contains('user') ? 'user' : 'assistant',
    text: (t.querySelector('.answer') ?? t.querySelector('.markdown')).textContent.trim(),
  }))`);
}

/** Clicks a button of the last answer (or of the question `nth` from the top), as a user does. */
async function clickTurnAction(action: string, which: { role: 'user' | 'assistant'; nth?: number } = { role: 'assistant' }): Promise<void> {
  const index = which.nth ?? (await inPanel<number>(`document.querySelectorAll('article.turn.${which.role}').length - 1`));
  await browserAction('webviewClick', { selector: `article.turn.${which.role} >> nth=${index} >> button[data-action="${action}"]` });
}

/** sRGB relative luminance contrast of two CSS colours read back from the page ("rgb(r, g, b)"). */
function contrast(a: string, b: string): number {
  const lum = (css: string): number => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('sidebar chat: look, layout and reusable answers', function () {
  this.timeout(120_000);
  let themeBefore: string | undefined | 'unread' = 'unread';

  before(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
    await prepareChat({ fresh: true });
    await chooseModelInPanel(model);
    await waitFor('the model chosen in the panel', async () => vscode.commands.executeCommand<{ selectedModelId: string }>('openrouter.internal.state'), { accept: (state) => state.selectedModelId === model });
  });

  afterEach(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) return;
    await emulator.clearFaults();
    if (this.currentTest?.state === 'failed') await screenshot(`look-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  after(async () => {
    // The theme test puts the theme back itself; this covers its failing half-way.
    if (themeBefore !== 'unread') await vscode.workspace.getConfiguration('workbench').update('colorTheme', themeBefore, vscode.ConfigurationTarget.Global);
  });

  it('keeps actions in the view’s title bar (New Chat, History as icons; models, routing, system prompt in its menu), the panel for the conversation', async () => {
    const headerButtons = await inPanel<number>(`document.querySelectorAll('header button').length`);
    assert.equal(headerButtons, 0, 'no text buttons above the conversation');
    const history = await browserAction('clickViewTitleAction', { title: 'Chat History' });
    assert.equal(history.where, 'icon');
    assert.ok(history.icons.some((label) => /^New Chat/.test(label)), `title bar icons: ${JSON.stringify(history.icons)}`);
    await waitFor('the history section', () => sectionOpen('history'), { accept: (open) => open });
    assert.equal(await inPanel<string>(`document.activeElement?.closest('#history-panel') ? 'history' : document.activeElement?.id`), 'history', 'the focus moves into the opened section');
    await browserAction('webviewPress', { selector: ':focus', key: 'Escape' });
    await waitFor('Escape to close the section', () => sectionOpen('history'), { accept: (open) => !open });
    assert.equal(await inPanel<string>(`document.activeElement?.id`), 'input', 'and the focus is back in the input');

    const system = await browserAction('clickViewTitleAction', { title: 'System Prompt for This Chat' });
    assert.equal(system.where, 'menu');
    assert.ok(['Select Model', 'Routing for This Chat', 'Open Settings', 'Show Log'].every((entry) => system.menu?.includes(entry)), `the "..." menu: ${JSON.stringify(system.menu)}`);
    await waitFor('the system prompt section', () => sectionOpen('system'), { accept: (open) => open });
    assert.equal(await inPanel<string>(`document.activeElement?.id`), 'system-prompt');
    await screenshot('chat-title-bar-system-prompt');
    await toggleSection('system', false);
  });

  it('names the model once per answer, by its display name, and the chooser shows a compact price', async () => {
    await startNewChat();
    const answer = await sendAndWait('Which model are you?');
    assert.equal(answer.status, 'done');
    const shown = await inPanel<{ author: string; title: string; option: string }>(`(() => {
      const a = [...document.querySelectorAll('article.turn.assistant')].pop();
      const select = document.getElementById('model-select');
      return { author: a.querySelector('.turn-author').textContent, title: a.querySelector('.turn-author').title, option: select.selectedOptions[0].textContent };
    })()`);
    assert.match(shown.author, /^OpenAI: GPT 4o Mini$/i, 'the display name, not the id');
    assert.equal(shown.title, model, 'the id is in the tooltip');
    const stats = await waitFor('the cost line', lastAnswer, { accept: (a) => /\$\d/.test(a?.stats ?? '') });
    assert.ok(!stats!.stats.includes(model), `the stats line does not repeat the model: ${stats!.stats}`);
    assert.match(shown.option, /^OpenAI: .+ · \$[\d.]+\/\$[\d.]+$/, `compact price in the chooser: ${shown.option}`);
  });

  it('copies the whole answer as markdown', async () => {
    await startNewChat();
    const markdown = 'Use **pools**:\n\n```ts\nconst a = 1;\n```\n\n- one\n- two';
    await sendAndWait(`[[echo]]${markdown}`);
    await vscode.env.clipboard.writeText('before');
    await clickTurnAction('copy-answer');
    const copied = await waitFor('the clipboard to change', () => Promise.resolve(vscode.env.clipboard.readText()), { accept: (text) => text !== 'before' });
    assert.equal(copied, markdown);
  });

  it('aligns a table column as the answer asks (a class, not an inline style the panel’s CSP would refuse)', async () => {
    await sendAndWait('[[echo]]| item | price |\n| :-- | --: |\n| tea | 3.50 |\n');
    const cells = await waitFor(
      'the answer\'s table drawn',
      () => inPanel<Array<{ text: string; align: string; styled: boolean }>>(`[...([...document.querySelectorAll('article.turn.assistant')].at(-1)?.querySelectorAll('.answer td') ?? [])]
        .map((td) => ({ text: td.textContent.trim(), align: getComputedStyle(td).textAlign, styled: td.hasAttribute('style') }))`),
      { accept: (found) => found.length === 2 },
    );
    assert.deepEqual(cells, [
      { text: 'tea', align: 'left', styled: false },
      { text: '3.50', align: 'right', styled: false },
    ]);
  });

  it('an answer looks the same streamed in pieces and reopened: the same space between its paragraphs, headings and code', async () => {
    await startNewChat();
    const text = Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? `\`\`\`ts\nconst x${i} = ${i};\n\`\`\`` : i % 9 === 4 ? `## Part ${i}` : `Paragraph ${i}, long enough to take a line or two of the panel.`)).join('\n\n');
    // Paced, so the panel draws the answer block by block as it streams.
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 15 } });
    const answer = await sendAndWait(`[[chunksize:40]][[echo]]${text}`).finally(() => emulator.clearFaults());
    const layout = (): Promise<{ blocks: number; gaps: number[]; height: number }> =>
      inPanel(`(() => {
        const a = document.querySelector('article[data-turn-id="${answer.id}"] .answer');
        const parts = [...a.querySelectorAll('p, h2, .code-block')];
        return {
          blocks: a.querySelectorAll('.md-block').length,
          gaps: parts.slice(1).map((el, i) => Math.round(el.getBoundingClientRect().top - parts[i].getBoundingClientRect().bottom)),
          height: Math.round(a.getBoundingClientRect().height),
        };
      })()`);
    const streamed = await layout();
    assert.ok(streamed.blocks > 3, `streamed in blocks: ${streamed.blocks}`);
    await reloadChatView();
    await browserAction('webviewWaitFor', { selector: `article[data-turn-id="${answer.id}"] .answer .code-block` });
    await waitFor('the reopened answer drawn whole', () => inPanel<number>(`document.querySelectorAll('article[data-turn-id="${answer.id}"] .md-deferred, code.hljs-pending').length`), { accept: (n) => n === 0 });
    const reopened = await layout();
    assert.ok(reopened.blocks < streamed.blocks, `reopened in fewer pieces: ${reopened.blocks}`);
    assert.deepEqual({ gaps: reopened.gaps, height: reopened.height }, { gaps: streamed.gaps, height: streamed.height });
  });

  it('regenerates an answer with the same model, then with another picked from a menu; history keeps only the last', async () => {
    await startNewChat();
    await sendAndWait('Tell me about sockets');
    const before = (await chatRequests()).length;
    await clickTurnAction('regenerate');
    await waitFor('the regenerated request', async () => (await chatRequests()).length, { accept: (n) => n === before + 1 });
    await waitFor('the regenerated answer', lastAnswer, { accept: (a) => a?.status === 'done' });
    const again = (await chatRequests()).at(-1)!;
    assert.equal(again.model, model, 'the same model');
    assert.deepEqual(again.messages.map((m) => [m.role, m.content]), [['user', 'Tell me about sockets']], 'the question only, without the old answer');
    assert.equal(await answerCount(), 1, 'the old answer is replaced');

    await clickTurnAction('regenerate-with');
    assert.equal((await browserAction('quickInputTitle', {})).title, 'Regenerate with…');
    await browserAction('typeInQuickInput', { text: otherModel });
    await browserAction('pickQuickPickItem', { label: 'Emulator: Echo' });
    await waitFor('a request for the other model', async () => (await chatRequests()).at(-1)?.model, { accept: (m) => m === otherModel });
    const other = await waitFor('the answer from the other model', lastAnswer, { accept: (a) => a?.status === 'done' });
    assert.match(other!.text, /Tell me about sockets/);
    assert.equal(await answerCount(), 1);
    assert.equal(await inPanel<string>(`[...document.querySelectorAll('article.turn.assistant .turn-author')].pop().textContent`), 'Emulator: Echo');
    await screenshot('chat-regenerated');
    // What was saved is what is shown: one question, one answer (from the other model).
    await reloadChatView('article.turn.assistant');
    const turns = await turnsShown();
    assert.deepEqual(turns.map((t) => t.role), ['user', 'assistant']);
  });

  it('while an answer streams, earlier answers cannot be regenerated (their buttons are off), and can again once it ends', async () => {
    await startNewChat();
    await sendAndWait('[[echo]]first');
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 60 }, times: 1 });
    await sendMessage('[[chunks:40]] second');
    const regenerateOff = () => inPanel<boolean[]>(`[...document.querySelectorAll('article.turn.assistant')].map((a) => a.querySelector('[data-action="regenerate"]').disabled)`);
    const during = await waitFor('the second answer streaming', async () => ({ answer: await lastAnswer(), off: await regenerateOff() }), { accept: (v) => v.answer?.status === 'streaming' && v.off.length === 2 });
    assert.equal(during.off[0], true, 'the first answer’s Regenerate is off while the second streams');
    await waitFor('the second answer to end', lastAnswer, { accept: (a) => a?.status === 'done' });
    assert.deepEqual(await regenerateOff(), [false, false]);
  });

  it('edits an earlier question and resends from there: later turns are gone, the emulator receives the edited question', async () => {
    await startNewChat();
    await sendAndWait('[[echo]]First question');
    await sendAndWait('[[echo]]Second question');
    await clickTurnAction('edit-question', { role: 'user', nth: 0 });
    await browserAction('webviewWaitFor', { selector: 'article.turn.user .edit-input' });
    assert.equal(await inPanel<string>(`document.activeElement?.className`), 'edit-input', 'the editor takes the focus');
    await browserAction('webviewFill', { selector: 'article.turn.user .edit-input', text: '[[echo]]Edited question' });
    const before = (await chatRequests()).length;
    await browserAction('webviewPress', { selector: 'article.turn.user .edit-input', key: 'Enter' });
    await waitFor('the resent request', async () => (await chatRequests()).length, { accept: (n) => n === before + 1 });
    await waitFor('the answer to the edited question', lastAnswer, { accept: (a) => a?.status === 'done' });
    const sent = (await chatRequests()).at(-1)!;
    assert.deepEqual(sent.messages.map((m) => [m.role, m.content]), [['user', '[[echo]]Edited question']]);
    const expected = [
      { role: 'user', text: '[[echo]]Edited question' },
      { role: 'assistant', text: 'Edited question' },
    ];
    assert.deepEqual(await turnsShown(), expected);
    await reloadChatView('article.turn.assistant');
    assert.deepEqual(await turnsShown(), expected, 'the history was saved without the later turns');
  });

  it('says while a rate-limited request is retried: the reason, the attempt and the seconds left', async () => {
    await startNewChat();
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 429, retryAfter: '2', message: 'Rate limit exceeded: slow down' }, times: 1 });
    await sendMessage('Answer after a rate limit');
    const line = await waitFor('the retry notice', () => inPanel<{ shown: boolean; text: string; attempt: string }>(`(() => {
        const l = [...document.querySelectorAll('article.turn.assistant')].pop()?.querySelector('.retry-status');
        return { shown: !!l && !l.hidden, text: l?.textContent ?? '', attempt: l?.dataset.attempt ?? '' };
      })()`), { accept: (l) => l.shown });
    assert.match(line.text, /Attempt 1 failed: .*Rate limit exceeded: slow down.*Retrying in [12] s…/);
    assert.equal(line.attempt, '2', 'the next attempt is the second');
    const answer = await waitFor('the answer after the wait', lastAnswer, { accept: (a) => a?.status === 'done' });
    assert.match(answer!.text, /Answer after a rate limit/);
  });

  it('a panel shown again while the request waits for its next attempt still says so, with the seconds left', async () => {
    await startNewChat();
    await emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 503, retryAfter: '6', message: 'Overloaded, try later' }, times: 1 });
    await sendMessage('Answer after a reload');
    const notice = () =>
      inPanel<{ shown: boolean; text: string }>(`(() => {
        const l = [...document.querySelectorAll('article.turn.assistant')].pop()?.querySelector('.retry-status');
        return { shown: !!l && !l.hidden, text: l?.textContent ?? '' };
      })()`);
    await waitFor('the retry notice', notice, { accept: (l) => l.shown });
    await reloadChatView('article.turn.assistant');
    const again = await notice();
    assert.ok(again.shown, 'the reloaded panel shows the notice');
    assert.match(again.text, /Attempt 1 failed: .*Overloaded, try later.*(Retrying in [1-6] s…|Trying again \(attempt 2\)…)/);
    const answer = await waitFor('the answer after the wait', lastAnswer, { accept: (a) => a?.status === 'done', timeoutMs: 30_000 });
    assert.match(answer!.text, /Answer after a reload/);
    assert.equal((await notice()).shown, false);
  });

  it('reads well at 300 px: nothing overflows, the chosen model and price fit, the input grows with its text up to a cap', async () => {
    const { width } = await browserAction('setSideBarWidth', { width: 300 });
    assert.ok(Math.abs(width - 300) <= 12, `the side bar is about 300 px wide: ${width}`);
    await startNewChat();
    await sendAndWait('[[echo]]A fairly long line of text that has to wrap inside a narrow panel without a horizontal scroll bar, with `inline code` and a https://example.com/a/very/long/address/that/keeps/going/on/and/on');
    await browserAction('webviewFill', { selector: '#input', text: 'one line' });
    const layout = await inPanel<{ width: number; overflow: string[]; label: string; labelWidth: number; selectWidth: number; oneLine: number }>(`(() => {
      const width = document.documentElement.clientWidth;
      const overflow = [...document.querySelectorAll('#app *')].filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > width + 0.5 && !el.closest('pre')).map((el) => el.tagName + '#' + el.id + '.' + el.className);
      const select = document.getElementById('model-select');
      const canvas = document.createElement('canvas').getContext('2d');
      canvas.font = getComputedStyle(select).font;
      const label = select.selectedOptions[0].textContent;
      return { width, overflow, label, labelWidth: canvas.measureText(label).width, selectWidth: select.clientWidth, oneLine: document.getElementById('input').offsetHeight };
    })()`);
    assert.ok(layout.width >= 280 && layout.width <= 310, `the panel is ${layout.width} px wide`);
    assert.deepEqual(layout.overflow, [], 'nothing sticks out to the right');
    // The select's arrow and padding take about 24 px.
    assert.ok(layout.labelWidth + 24 <= layout.selectWidth, `"${layout.label}" (${Math.round(layout.labelWidth)} px) fits the chooser (${layout.selectWidth} px)`);
    await screenshot('chat-300px');

    await browserAction('webviewFill', { selector: '#input', text: 'one\ntwo\nthree\nfour\nfive' });
    const five = await inPanel<number>(`document.getElementById('input').offsetHeight`);
    assert.ok(five > layout.oneLine + 30, `the input grows with five lines: ${layout.oneLine} → ${five} px`);
    await browserAction('webviewFill', { selector: '#input', text: Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n') });
    const capped = await inPanel<{ height: number; viewport: number; scrolls: boolean }>(`(() => { const i = document.getElementById('input'); return { height: i.offsetHeight, viewport: innerHeight, scrolls: i.scrollHeight > i.clientHeight }; })()`);
    assert.ok(capped.height <= capped.viewport * 0.4 + 2 && capped.scrolls, `two hundred lines are capped and scroll: ${JSON.stringify(capped)}`);
    await browserAction('webviewFill', { selector: '#input', text: '' });
  });

  it('follows the theme: light and high contrast colours are read from VS Code, text stays readable', async () => {
    const read = () =>
      inPanel<{ kind: string; bg: string; fg: string; expectedBg: string; inputBorder: string; contrastBorder: string }>(`(() => {
        const style = getComputedStyle(document.body);
        const probe = document.createElement('div');
        probe.style.background = 'var(--vscode-sideBar-background)';
        document.body.append(probe);
        const expectedBg = getComputedStyle(probe).backgroundColor;
        probe.style.background = 'var(--vscode-contrastBorder, transparent)';
        const contrastBorder = getComputedStyle(probe).backgroundColor;
        probe.remove();
        document.activeElement?.blur();
        return { kind: document.body.className, bg: style.backgroundColor, fg: style.color, expectedBg, contrastBorder, inputBorder: getComputedStyle(document.querySelector('.composer-box')).borderTopColor };
      })()`);
    const workbench = vscode.workspace.getConfiguration('workbench');
    const before = workbench.inspect<string>('colorTheme')?.globalValue;
    themeBefore = before;
    const seen = new Map<string, Awaited<ReturnType<typeof read>>>();
    for (const [theme, kind] of [
      ['Default Dark Modern', 'vscode-dark'],
      ['Default Light Modern', 'vscode-light'],
      ['Default High Contrast', 'vscode-high-contrast'],
    ] as const) {
      await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
      const now = await waitFor(`the panel to take the ${theme} theme`, read, { accept: (r) => r.kind.split(' ').includes(kind) });
      assert.equal(now.bg, now.expectedBg, `${theme}: the panel's background is the theme's side bar colour`);
      for (const [other, earlier] of seen) assert.notEqual(now.bg, earlier.bg, `${theme}: not ${other}'s background`);
      assert.ok(contrast(now.fg, now.bg) >= 4.5, `${theme}: text contrast ${contrast(now.fg, now.bg).toFixed(1)}`);
      if (kind === 'vscode-high-contrast') assert.equal(now.inputBorder, now.contrastBorder, 'high contrast: the input box has the theme’s contrast border');
      seen.set(theme, now);
      await screenshot(`chat-theme-${kind}`);
    }
    await workbench.update('colorTheme', before, vscode.ConfigurationTarget.Global);
    themeBefore = 'unread';
  });

  it('works from the keyboard: Tab goes chooser → conversation → the answer’s buttons → input → Send, each with a visible focus', async () => {
    await startNewChat();
    for (const section of ['history', 'routing', 'system'] as const) await toggleSection(section, false);
    await sendAndWait('[[echo]]Keyboard only');
    await inPanel(`document.getElementById('model-select').focus()`);
    const order: Array<{ name: string; outline: string }> = [];
    for (let step = 0; step < 12; step++) {
      order.push(
        await inPanel(`(() => {
          const el = document.activeElement;
          const s = getComputedStyle(el);
          return { name: el.id || el.dataset.action || el.className, outline: s.outlineStyle + ' ' + s.outlineWidth };
        })()`),
      );
      if (order.at(-1)!.name === 'send') break;
      await browserAction('webviewPress', { selector: ':focus', key: 'Tab' });
    }
    const names = order.map((o) => o.name);
    const expected = ['model-select', 'messages', 'edit-question', 'copy-answer', 'regenerate', 'regenerate-with', 'input', 'send'];
    assert.deepEqual(names.filter((n) => expected.includes(n)), expected, `focus order: ${names.join(' → ')}`);
    for (const { name, outline } of order.filter((o) => ['copy-answer', 'regenerate', 'send', 'model-select'].includes(o.name))) {
      assert.ok(!outline.startsWith('none') && !outline.endsWith(' 0px'), `${name} shows its focus: ${outline}`);
    }
    // Enter on the focused copy button copies, as a click does.
    await vscode.env.clipboard.writeText('before');
    await inPanel(`[...document.querySelectorAll('[data-action="copy-answer"]')].pop().focus()`);
    await browserAction('webviewPress', { selector: ':focus', key: 'Enter' });
    assert.equal(await waitFor('the copy', () => Promise.resolve(vscode.env.clipboard.readText()), { accept: (t) => t !== 'before' }), 'Keyboard only');
  });
});

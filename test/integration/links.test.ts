import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { internalCommandIds } from '../../src/commands/commandIds';
import type { CompareSnapshot } from '../../src/protocols/compare';
import { browserAction, hasBrowserDriver, type BrowserActions } from '../vscode-host/browser';
import { inPanel, prepareChat, sendAndWait } from './chat-ui';
import { answerModals, deferred, type ModalAnswers } from './modalAnswers';
import { state } from './openrouterKit';
import { waitFor } from '../support/waitFor';

// Addresses on the one domain this VS Code trusts out of the box (product.json's linkProtectionTrustedDomains):
// for any other, VS Code's own link protection asks a second question after the extension's, and the test host
// refuses to show it, so nothing could open at all. The harness aborts the pages' requests (loopback only).
const docs = 'https://open-vsx.org/about?from=answer';
const plain = 'https://open-vsx.org/plain';
// Markdown with a titled link and a bare address linkified by the renderer.
const answerText = `See [the docs](${docs}) or ${plain} for more.`;

type Place = { within?: string; answer: string };

/** The pages VS Code opened outside itself since the run began (waiting for `count` of them). */
function opened(count = 0): Promise<string[]> {
  return browserAction('openedPages', { count });
}

function click(place: Place, href: string, how: Omit<BrowserActions['webviewClick']['args'], 'selector' | 'within'> = {}): Promise<null> {
  return browserAction('webviewClick', { ...(place.within ? { within: place.within } : {}), selector: `${place.answer} a[href="${href}"]`, ...how });
}

function inPage<T>(place: Place, expression: string): Promise<T> {
  return browserAction('webviewEvaluate', { ...(place.within ? { within: place.within } : {}), expression }) as Promise<T>;
}

/**
 * VS Code's webview host follows a link from its own `click` and `auxclick` listeners on the page's window (bubbling
 * phase, added when the page loaded). A listener added there now runs after them, so it sees every link activation
 * they see: this probe records those. Events are dispatched synchronously, so once a click action returned, what
 * the probe holds is final.
 */
const probe = `(() => {
  if (!window.__linkActivationsSeenByVsCode) {
    window.__linkActivationsSeenByVsCode = [];
    const record = (event) => {
      const link = event.composedPath().find((node) => node instanceof Element && node.tagName.toLowerCase() === 'a');
      if (link) window.__linkActivationsSeenByVsCode.push(event.type + ' ' + link.getAttribute('href'));
    };
    window.addEventListener('click', record);
    window.addEventListener('auxclick', record);
  }
  return window.__linkActivationsSeenByVsCode.splice(0);
})()`;

/**
 * A link in an answer, activated every way a user can (click, Ctrl+click, middle click, Enter on the focused
 * link): VS Code's own link handling sees none of them; each asks first, naming the full address; and VS Code
 * opens a browser page only for the two answered Open Link, once each, in order. The first question is held open
 * while the pages are counted: nothing opened.
 */
async function linksAskFirst(place: Place, where: RegExp): Promise<void> {
  const before = (await opened()).length;
  const first = deferred<string | undefined>();
  const answers: Array<Promise<string | undefined> | string | undefined> = [first.promise, undefined, undefined, 'Open Link'];
  let modals: ModalAnswers | undefined;
  try {
    modals = answerModals(() => answers.shift());
    assert.deepEqual(await inPage(place, probe), []);
    await click(place, docs);
    assert.deepEqual(await inPage(place, probe), [], "VS Code's link handling did not see the click");
    const question = await modals.question(1).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; pages opened meanwhile: ${JSON.stringify((await opened()).slice(before))}`);
    });
    assert.match(question.message, where);
    assert.equal(question.detail, docs, 'the question shows the whole address');
    assert.deepEqual(question.choices, ['Open Link']);
    assert.deepEqual((await opened()).slice(before), [], 'nothing opened while the question is open');
    first.resolve('Open Link');
    assert.deepEqual((await opened(before + 1)).slice(before), [docs], 'opened once the user agreed');

    await click(place, docs, { modifiers: ['Control'] });
    assert.equal((await modals.question(2)).detail, docs, 'Ctrl+click asks too');
    await click(place, docs, { button: 'middle' });
    assert.equal((await modals.question(3)).detail, docs, 'a middle click asks too');
    await browserAction('webviewPress', { ...(place.within ? { within: place.within } : {}), selector: `${place.answer} a[href="${plain}"]`, key: 'Enter' });
    assert.equal((await modals.question(4)).detail, plain, 'Enter on a focused link asks too');
    assert.deepEqual(await inPage(place, probe), [], "VS Code's link handling saw none of them");

    assert.deepEqual((await opened(before + 2)).slice(before), [docs, plain], 'VS Code opened exactly the two links the user agreed to, once each');
    assert.equal(modals.asked.length, 4, 'one question per activation');
  } finally {
    first.resolve(undefined);
    modals?.dispose();
  }
}

describe('links and model choice: links in answers', function () {
  this.timeout(180_000);

  before(function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
  });

  it('the chat opens a link in an answer only after asking, whichever way it is activated', async () => {
    await prepareChat({ fresh: true });
    const answer = await sendAndWait(`[[echo]]${answerText}`);
    assert.equal(answer.status, 'done');
    await linksAskFirst({ answer: 'article.turn.assistant:last-of-type .answer' }, /from the chat/);
  });

  it('Compare Models opens a link in an answer only after asking, whichever way it is activated', async () => {
    const within = '#compare-app';
    const models = ['openai/gpt-4o', 'mistralai/mistral-nemo'];
    const compareState = async (): Promise<CompareSnapshot | undefined> => vscode.commands.executeCommand<CompareSnapshot | undefined>(internalCommandIds.compareState);
    try {
      await vscode.commands.executeCommand('openrouter.compareModels', { models, prompt: `[[echo]]${answerText}` });
      await waitFor('the panel to take the models', compareState, { accept: (s) => s !== undefined && s.models.map((m) => m.id).join() === models.join() });
      await browserAction('webviewWaitFor', { within, selector: '#estimate', text: 'Estimated cost' });
      await browserAction('webviewClick', { within, selector: '#send' });
      await waitFor('both columns to finish', compareState, { accept: (s) => s !== undefined && s.columns.length === 2 && s.columns.every((c) => c.status === 'done'), timeoutMs: 60_000 });
      await browserAction('webviewWaitFor', { within, selector: `.column[data-column="0"][data-status="done"] .column-answer a[href="${plain}"]` });
      await linksAskFirst({ within, answer: '.column[data-column="0"] .column-answer' }, /from Compare Models/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});

describe('links and model choice: the chat panel\'s model chooser', function () {
  this.timeout(60_000);

  before(function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
  });

  it('takes only a model the list has: a chooser offering another id (a page tampered with) leaves the model as it was', async () => {
    await prepareChat({ fresh: false });
    const before = (await state()).selectedModelId;
    const chosen = (): Promise<string> => inPanel<string>(`document.getElementById('model-select').value`);
    await waitFor('the chooser to show the current model', chosen, { accept: (value) => value === before });
    await inPanel(`(() => {
      const select = document.getElementById('model-select');
      select.append(Object.assign(document.createElement('option'), { value: 'expensive/not-a-listed-model', textContent: 'Not listed' }));
      select.value = 'expensive/not-a-listed-model';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    })()`);
    // The extension refuses it and sends the list again, which puts the chooser back on the model in use.
    await waitFor('the chooser to show the model in use again', chosen, { accept: (value) => value === before });
    assert.equal((await state()).selectedModelId, before, 'the model did not change');
  });
});

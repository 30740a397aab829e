import assert from 'node:assert/strict';
import { browserAction, hasBrowserDriver } from '../vscode-host/browser';
import { chooseModelInPanel, emulator, inPanel, lastAnswer, prepareChat, toggleSection, type AnswerView } from './chat-ui';
import { answerModals } from './modalAnswers';
import { waitFor } from '../support/waitFor';

const lastTurn = 'article.turn.assistant:last-of-type';

/** Chooses an option of one of the routing panel's selects, as the keyboard would. */
async function chooseRouting(id: string, value: string): Promise<void> {
  await inPanel(`(() => {
    const select = document.getElementById(${JSON.stringify(id)});
    select.focus();
    select.value = ${JSON.stringify(value)};
    select.dispatchEvent(new Event('change', { bubbles: true }));
  })()`);
}

const estimateText = (): Promise<string> => inPanel<string>(`document.getElementById('composer-estimate').textContent ?? ''`);

/** Types the question, waits for the estimate to say `expected`, then presses Enter and waits for the answer to end. */
async function sendAfterEstimate(text: string, expected: string): Promise<AnswerView> {
  await browserAction('webviewFill', { selector: '#input', text });
  await waitFor(`the estimate to say "${expected}"`, estimateText, { accept: (shown) => shown.includes(expected) });
  const before = await inPanel<number>(`document.querySelectorAll('article.turn.assistant').length`);
  await browserAction('webviewPress', { selector: '#input', key: 'Enter' });
  const ended = await waitFor('the answer to end with its figures', async () => ({ count: await inPanel<number>(`document.querySelectorAll('article.turn.assistant').length`), last: await lastAnswer() }), { accept: (v) => v.count === before + 1 && v.last !== null && v.last.status !== 'streaming' && v.last.stats !== '' && !v.last.stats.includes('fetching') });
  return ended.last!;
}

async function lastChatBody(): Promise<{ tools?: unknown; plugins?: unknown; messages: Array<{ content: unknown }> }> {
  const requests = (await emulator.requests()).filter((r) => r.path === '/chat/completions');
  return requests[requests.length - 1]!.body as { tools?: unknown; plugins?: unknown; messages: Array<{ content: unknown }> };
}

/** A three-page PDF, dropped on the composer as a file from the desktop would be. */
const dropPdf = `(() => {
  const pages = [3, 4, 5].map((n) => n + ' 0 obj\\n<< /Type /Page /Parent 2 0 R >>\\nendobj\\n').join('');
  const text = '%PDF-1.4\\n1 0 obj\\n<< /Type /Catalog /Pages 2 0 R >>\\nendobj\\n2 0 obj\\n<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>\\nendobj\\n' + pages + 'trailer\\n<< /Root 1 0 R >>\\n%%EOF\\n';
  const transfer = new DataTransfer();
  transfer.items.add(new File([text], 'spec.pdf', { type: 'application/pdf' }));
  document.querySelector('footer.composer').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
})()`;

describe('chat: web search and PDFs', function () {
  this.timeout(120_000);

  before(function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
  });

  it('web search on: its price is in the estimate, the answer lists numbered sources, and a source opens only after asking', async () => {
    await prepareChat({ fresh: true });
    await toggleSection('routing', true);
    await chooseRouting('routing-web-search', 'true');
    await waitFor('the chat to say web search is on', () => inPanel<string>(`document.getElementById('routing-summary-text').textContent ?? ''`), { accept: (t) => t.includes('web search on') });
    const answer = await sendAfterEstimate('latest release notes', 'web search up to $0.021');
    assert.equal(answer.status, 'done');
    const body = await lastChatBody();
    assert.deepEqual(body.tools, [{ type: 'openrouter:web_search', parameters: { engine: 'exa', max_results: 5, max_uses: 3 } }]);
    const sources = await inPanel<Array<{ text: string; href: string }>>(`[...document.querySelectorAll('${lastTurn} .citations ol > li a')].map((a) => ({ text: a.textContent, href: a.getAttribute('href') }))`);
    assert.equal(sources.length, 5, 'five numbered sources');
    assert.equal(sources[0]!.text, 'Result 1 for "latest release notes"');
    assert.equal(await inPanel<string>(`document.querySelector('${lastTurn} .citations ol').tagName`), 'OL', 'numbered');
    assert.match(answer.stats, /incl\. 1 web search/, 'the cost shown includes the search');

    const modals = answerModals(() => undefined);
    try {
      await browserAction('webviewClick', { selector: `${lastTurn} .citations a[href="${sources[0]!.href}"]` });
      const question = await modals.question(1);
      assert.match(question.message, /from the chat/);
      assert.equal(question.detail, sources[0]!.href, 'the question shows the whole address');
    } finally {
      modals.dispose();
      await chooseRouting('routing-web-search', '');
      await toggleSection('routing', false);
    }
  });

  it('a dropped PDF goes as a file part naming the free engine, and OCR only once chosen, with its price shown first', async () => {
    await prepareChat({ fresh: true });
    // A model that reads text only: OpenRouter parses the PDF for it.
    await chooseModelInPanel('openai/gpt-4o-mini');
    await inPanel(dropPdf);
    await waitFor('the PDF chip', () => inPanel<string>(`document.getElementById('composer-chips').textContent ?? ''`), { accept: (t) => t.includes('spec.pdf') });
    const free = await sendAfterEstimate('summarise the spec', 'PDF text engine (free)');
    assert.equal(free.status, 'done');
    let body = await lastChatBody();
    const file = (body.messages[body.messages.length - 1]!.content as Array<{ type: string; file?: { filename: string; file_data: string } }>).find((p) => p.type === 'file');
    assert.equal(file?.file?.filename, 'spec.pdf');
    assert.match(file!.file!.file_data, /^data:application\/pdf;base64,/);
    assert.deepEqual(body.plugins, [{ id: 'file-parser', pdf: { engine: 'cloudflare-ai' } }]);

    await toggleSection('routing', true);
    try {
      await chooseRouting('routing-pdf-engine', 'mistral-ocr');
      const ocr = await sendAfterEstimate('and the tables?', 'PDF OCR $0.006');
      assert.equal(ocr.status, 'done');
      body = await lastChatBody();
      assert.deepEqual(body.plugins, [{ id: 'file-parser', pdf: { engine: 'mistral-ocr' } }], 'the follow-up sends the PDF again, now for OCR');
    } finally {
      await chooseRouting('routing-pdf-engine', '');
      await toggleSection('routing', false);
    }
  });

  it('the routing section lists the chosen model’s providers; Prefer pins one, and the finer choices reach the request', async () => {
    await prepareChat({ fresh: true });
    await chooseModelInPanel('openai/gpt-4o-mini');
    await toggleSection('routing', true);
    try {
      await inPanel(`document.getElementById('routing-providers').focus()`);
      const names = await waitFor('the providers of the chosen model', () => inPanel<string[]>(`[...document.querySelectorAll('#routing-providers option')].map((o) => o.value).filter(Boolean)`), { accept: (list) => list.length > 0 });
      assert.equal(names[0], 'OpenAI', 'the model’s own provider first, as OpenRouter lists it');
      await chooseRouting('routing-providers', names[0]!);
      await browserAction('webviewClick', { selector: '#routing-provider-prefer' });
      await inPanel(`(() => {
        const q = document.getElementById('routing-quantizations');
        q.value = 'fp8';
        q.dispatchEvent(new Event('change', { bubbles: true }));
      })()`);
      await waitFor('the chat to show its provider choices', () => inPanel<string>(`document.getElementById('routing-summary-text').textContent ?? ''`), { accept: (t) => t.includes('prefer OpenAI') && t.includes('quantizations fp8') });
      const answer = await sendAfterEstimate('which provider?', 'tokens');
      assert.equal(answer.status, 'done');
      const provider = ((await lastChatBody()) as { provider?: Record<string, unknown> }).provider;
      assert.deepEqual(provider?.order, ['OpenAI']);
      assert.deepEqual(provider?.quantizations, ['fp8']);
    } finally {
      await browserAction('webviewClick', { selector: '#routing-reset' });
      await toggleSection('routing', false);
    }
  });
});

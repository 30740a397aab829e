import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hasBrowserDriver } from '../vscode-host/browser';
import corpus from './chat-hostile-outputs.json';
import { inPanel, prepareChat, screenshot, sendAndWait } from './chat-ui';
import { waitFor } from '../support/waitFor';

interface Finding {
  turn: string;
  problem: string;
}

// Runs in the webview after each hostile answer (on the new question and answer): anything that
// executed, escaped its box or survived sanitising.
const inspect = `(() => {
  const findings = [];
  const turns = [...document.querySelectorAll('article.turn')].slice(-2);
  if (window.__pwned !== undefined || window.parent.__pwned !== undefined || window.top.__pwned !== undefined) findings.push({ turn: '*', problem: 'tripwire window.__pwned was set' });
  const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
  if (!/default-src 'none'/.test(csp)) findings.push({ turn: '*', problem: 'CSP meta missing: ' + csp });
  const messages = document.getElementById('messages').getBoundingClientRect();
  for (const turn of turns) {
    const id = turn.dataset.turnId;
    const box = turn.getBoundingClientRect();
    if (box.left < messages.left - 1 || box.right > messages.right + 1) findings.push({ turn: id, problem: 'message box wider than the conversation' });
    for (const el of turn.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'style', 'img', 'svg', 'math', 'iframe', 'object', 'embed', 'form', 'input', 'textarea', 'video', 'audio', 'source', 'link', 'meta', 'base', 'template', 'noscript'].includes(tag)) findings.push({ turn: id, problem: 'element <' + tag + '> in a message' });
      for (const attr of el.attributes) {
        if (attr.name.startsWith('on') || attr.name === 'style' || attr.name === 'srcdoc' || attr.name === 'src' || attr.name === 'xlink:href') findings.push({ turn: id, problem: 'attribute ' + attr.name + ' on <' + tag + '>' });
      }
      if (tag === 'a' && !/^(https?:|mailto:)/i.test(el.getAttribute('href') ?? '')) findings.push({ turn: id, problem: 'link to ' + (el.getAttribute('href') ?? '(none)').slice(0, 60) });
      const position = getComputedStyle(el).position;
      if (position === 'fixed' || position === 'absolute' || position === 'sticky') findings.push({ turn: id, problem: 'positioned ' + position + ' <' + tag + '>' });
      // Inside a scrolling or clipping ancestor (code blocks, tables) only that ancestor must stay in the box.
      let clip = el.parentElement;
      while (clip && clip !== turn && getComputedStyle(clip).overflowX === 'visible') clip = clip.parentElement;
      const r = (clip && clip !== turn ? clip : el).getBoundingClientRect();
      if (r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)) findings.push({ turn: id, problem: '<' + tag + '> escapes its message box' });
    }
  }
  return findings;
})()`;

describe('sidebar chat: hostile model output', function () {
  this.timeout(600_000);

  before(async function () {
    if (!hasBrowserDriver() || !process.env.OPENROUTER_TEST_BASE_URL) this.skip();
    await prepareChat({ fresh: true });
  });

  it('renders every hostile output inertly: nothing runs, nothing escapes its box, links stay http(s)/mailto', async () => {
    assert.ok(corpus.length >= 50, `the corpus has ${corpus.length} hostile outputs, fewer than 50`);
    const failures: string[] = [];
    for (const [index, payload] of corpus.entries()) {
      // Every tenth answer starts a new chat so the panel stays small enough to inspect quickly.
      if (index % 10 === 0) {
        await vscode.commands.executeCommand('openrouter.newChat');
        await waitFor('a new, empty chat', () => inPanel<number>(`document.querySelectorAll('article.turn').length`), { accept: (n) => n === 0 });
      }
      console.log(`hostile output ${index + 1}/${corpus.length}: ${payload.name}`);
      const answer = await sendAndWait(`[[chunksize:64]][[echo]]${payload.text}`, 60_000);
      if (answer.status !== 'done') failures.push(`${payload.name}: answer ended ${answer.status} (${answer.notice})`);
      const findings = await inPanel<Finding[]>(inspect);
      for (const f of findings) failures.push(`${payload.name}: ${f.problem}`);
      if (index % 10 === 9 || index === corpus.length - 1) await screenshot(`chat-hostile-${String(Math.floor(index / 10)).padStart(2, '0')}`);
    }
    assert.deepEqual(failures, []);
    assert.equal(await inPanel(`window.__pwned`), null, 'tripwire stayed unset');
  });
});

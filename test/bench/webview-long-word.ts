// Benchmark (prints numbers; asserts nothing): streams one long unbroken word (or one long line) into the
// built chat webview in small chunks, as a hostile model output arrives, and reports how long the panel
// takes: the stream, the longest main-thread task, and the time from the last chunk to the final render.
// Run: `node esbuild.mjs --production && npx tsx test/bench/webview-long-word.ts`.
// Options: --chars N (20000), --chunk N chars per message (64), --rate messages/s (200), --width px (300),
// --kind word|url|line (word), --media DIR (another build of media/, to compare).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchSnapshot, openWebviewPage } from './webviewPage';

const { values } = parseArgs({
  options: {
    chars: { type: 'string', default: '20000' },
    chunk: { type: 'string', default: '64' },
    rate: { type: 'string', default: '200' },
    width: { type: 'string', default: '300' },
    kind: { type: 'string', default: 'word' },
    media: { type: 'string' },
  },
});
const chars = Number(values.chars);
const chunk = Number(values.chunk);
const rate = Number(values.rate);

function payload(): string {
  if (values.kind === 'url') return `https://example.com/${'a'.repeat(chars)}`;
  if (values.kind === 'line') return Array.from({ length: Math.ceil(chars / 8) }, (_, i) => `w${i % 1000}_abc`).join(' ').slice(0, chars);
  return 'A'.repeat(chars);
}


async function main(): Promise<void> {
  const text = payload();
  const chunks = text.match(new RegExp(`[\\s\\S]{1,${chunk}}`, 'g')) ?? [];
  const { page, close } = await openWebviewPage(values.media ? resolve(values.media) : resolve(__dirname, '..', '..', 'media'), { width: Number(values.width), height: 800 });
  try {
    await page.evaluate((snap) => window.postMessage({ type: 'snapshot', snapshot: snap }, '*'), benchSnapshot());
    await page.evaluate(() => {
      const now = Date.now();
      window.postMessage({ type: 'turnAdded', turn: { role: 'assistant', id: 'a1', content: '', reasoning: '', model: 'openai/gpt-4o', status: 'streaming', createdAt: now } }, '*');
    });
    await page.waitForSelector('article[data-turn-id="a1"]');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => {
      const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      return (name: string) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
    };
    const before = await metrics();
    const result = await page.evaluate(
      ({ chunks, rate }) =>
        new Promise<{ streamMs: number; finalMs: number; longest: number; longTasks: number }>((done) => {
          let longest = 0;
          let longTasks = 0;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) {
              longTasks++;
              longest = Math.max(longest, e.duration);
            }
          }).observe({ type: 'longtask' });
          const start = performance.now();
          let sent = 0;
          const timer = setInterval(() => {
            const due = Math.min(chunks.length, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
            while (sent < due) window.postMessage({ type: 'answerDelta', turnId: 'a1', content: chunks[sent++] }, '*');
            if (sent < chunks.length) return;
            clearInterval(timer);
            const lastAt = performance.now();
            window.postMessage({ type: 'answerEnd', turnId: 'a1', status: 'done', stats: { source: 'usage', completionTokens: 1 } }, '*');
            const waitDone = () => {
              if (document.querySelector('article[data-turn-id="a1"][data-status="done"] .stats:not([hidden])')) {
                // The frame after the final render has been laid out and painted.
                requestAnimationFrame(() => setTimeout(() => done({ streamMs: lastAt - start, finalMs: performance.now() - lastAt, longest, longTasks }), 0));
              } else requestAnimationFrame(waitDone);
            };
            requestAnimationFrame(waitDone);
          }, 5);
        }),
      { chunks, rate },
    );
    const after = await metrics();
    const spent = (name: string) => (after(name) - before(name)).toFixed(0);
    const shown = await page.$eval('article[data-turn-id="a1"] .answer', (el) => el.textContent?.length ?? 0);
    console.log(
      `${values.kind} of ${text.length} chars in ${chunks.length} chunks of ${chunk} at ${rate}/s, width ${values.width}px: ` +
        `stream ${result.streamMs.toFixed(0)} ms, last chunk → final render ${result.finalMs.toFixed(0)} ms, ` +
        `long tasks ${result.longTasks} (longest ${result.longest.toFixed(0)} ms); main thread: script ${spent('ScriptDuration')} ms, ` +
        `layout ${spent('LayoutDuration')} ms, style ${spent('RecalcStyleDuration')} ms, all tasks ${spent('TaskDuration')} ms; ${shown} chars shown`,
    );
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

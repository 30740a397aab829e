// Benchmark (prints numbers; asserts nothing): streams a 4,000-token answer with code blocks into the
// built chat webview at 500 tokens/s and reports the main thread's scripting time as a share of the
// stream (Chromium's Performance.getMetrics ScriptDuration/TaskDuration) and the time from the last
// token to the final render. Run: `node esbuild.mjs --production && npx tsx test/bench/webview-render.ts`.
// Options: --tokens N (4000), --rate tokens/s (500), --runs N (3).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { answerTokens } from './answerText';
import { openWebviewPage, startStreamingAnswer } from './webviewPage';

const { values } = parseArgs({ options: { tokens: { type: 'string', default: '4000' }, rate: { type: 'string', default: '500' }, runs: { type: 'string', default: '3' } } });
const tokenCount = Number(values.tokens);
const rate = Number(values.rate);
const runs = Number(values.runs);

interface RunResult {
  streamMs: number;
  scriptMs: number;
  taskMs: number;
  lastTokenToFinalRenderMs: number;
  longTasks: number;
  frames: number;
}

async function runOnce(mediaDir: string, tokens: string[], render: boolean): Promise<RunResult> {
  const { page, close } = await openWebviewPage(mediaDir);
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await startStreamingAnswer(page, 'Explain the pool.');
    const metric = async (name: string) => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      return metrics.find((m) => m.name === name)?.value ?? 0;
    };
    const before = { script: await metric('ScriptDuration'), task: await metric('TaskDuration') };
    // The feeder runs in the page (as the host's postMessage does): one message per token, paced by a 10 ms timer.
    const result = await page.evaluate(
      ({ tokens, rate, turnId }) =>
        new Promise<{ streamMs: number; lastTokenToFinalRenderMs: number; longTasks: number; frames: number }>((done) => {
          let longTasks = 0;
          new PerformanceObserver((list) => (longTasks += list.getEntries().length)).observe({ type: 'longtask' });
          let frames = 0;
          const countFrames = () => {
            frames++;
            if (!finished) requestAnimationFrame(countFrames);
          };
          let finished = false;
          requestAnimationFrame(countFrames);
          const start = performance.now();
          let sent = 0;
          const timer = setInterval(() => {
            const due = Math.min(tokens.length, Math.floor(((performance.now() - start) / 1000) * rate));
            while (sent < due) window.postMessage({ type: 'answerDelta', turnId, content: tokens[sent++] }, '*');
            if (sent < tokens.length) return;
            clearInterval(timer);
            const lastTokenAt = performance.now();
            if (turnId !== 'a1') {
              finished = true;
              done({ streamMs: lastTokenAt - start, lastTokenToFinalRenderMs: NaN, longTasks, frames });
              return;
            }
            window.postMessage({ type: 'answerEnd', turnId: 'a1', status: 'done', stats: { source: 'usage', model: 'openai/gpt-4o', provider: 'OpenAI', promptTokens: 12, completionTokens: tokens.length, costUsd: 0.0123 } }, '*');
            // Final render = the first frame after the panel marked the answer done.
            const waitDone = () => {
              if (document.querySelector('article[data-turn-id="a1"][data-status="done"] .stats:not([hidden])')) {
                requestAnimationFrame(() => {
                  finished = true;
                  const end = performance.now();
                  done({ streamMs: lastTokenAt - start, lastTokenToFinalRenderMs: end - lastTokenAt, longTasks, frames });
                });
              } else requestAnimationFrame(waitDone);
            };
            requestAnimationFrame(waitDone);
          }, 10);
        }),
      // The baseline sends the same messages to no answer: what delivering them costs without rendering.
      { tokens, rate, turnId: render ? 'a1' : 'nobody' },
    );
    const after = { script: await metric('ScriptDuration'), task: await metric('TaskDuration') };
    const rendered = await page.$eval('article[data-turn-id="a1"] .answer', (el) => el.querySelectorAll('.code-block').length);
    if (render && rendered === 0) throw new Error('the answer rendered no code blocks: the benchmark is not measuring what it claims');
    return { ...result, scriptMs: (after.script - before.script) * 1000, taskMs: (after.task - before.task) * 1000 };
  } finally {
    await close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const mediaDir = resolve(__dirname, '..', '..', 'media');
  const tokens = answerTokens(tokenCount);
  console.log(`webview render benchmark: ${tokens.length} tokens (${tokens.join('').length} chars, ${tokens.join('').split('```').length >> 1} code blocks) at ${rate} tokens/s, ${runs} run(s)`);
  const fmt = (r: RunResult) =>
    `stream ${(r.streamMs / 1000).toFixed(2)} s, scripting ${r.scriptMs.toFixed(0)} ms (${((100 * r.scriptMs) / r.streamMs).toFixed(1)} % of the stream), ` +
    `main-thread tasks ${r.taskMs.toFixed(0)} ms (${((100 * r.taskMs) / r.streamMs).toFixed(1)} %), long tasks ${r.longTasks}, frames ${r.frames}`;
  const results: RunResult[] = [];
  const baselines: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const b = await runOnce(mediaDir, tokens, false);
    baselines.push(b);
    console.log(`baseline ${i + 1} (messages delivered, nothing rendered): ${fmt(b)}`);
    const r = await runOnce(mediaDir, tokens, true);
    results.push(r);
    console.log(`run ${i + 1}: ${fmt(r)}, last token → final render ${r.lastTokenToFinalRenderMs.toFixed(1)} ms`);
  }
  const m = (list: RunResult[], pick: (r: RunResult) => number) => median(list.map(pick));
  const scriptShare = m(results, (r) => r.scriptMs / r.streamMs);
  const baseShare = m(baselines, (r) => r.scriptMs / r.streamMs);
  console.log(
    `median: scripting ${(100 * scriptShare).toFixed(1)} % of the stream (${(100 * baseShare).toFixed(1)} % of it is delivering the messages, so rendering ≈ ${(100 * (scriptShare - baseShare)).toFixed(1)} %), ` +
      `main-thread tasks ${(100 * m(results, (r) => r.taskMs / r.streamMs)).toFixed(1)} % (baseline ${(100 * m(baselines, (r) => r.taskMs / r.streamMs)).toFixed(1)} %), ` +
      `last token → final render ${m(results, (r) => r.lastTokenToFinalRenderMs).toFixed(1)} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

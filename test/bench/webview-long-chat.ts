// Benchmark (prints numbers; asserts nothing): long conversations in the built chat webview (a plain page on
// loopback under the panel's CSP, see webviewPage.ts).
// - reopen: a chat of --turns turns (questions and answers of 300–2,100 tokens with code blocks and tables) posted
//   when the page says `ready`, as the extension does; time from navigation to the first frame showing the last
//   answer rendered, in view; against the same for a 2-turn chat, alternating (the page's own floor: loading the
//   page, its first script and the markdown chunk);
// - scroll: that chat, once all its turns are on the page, scrolled from top to bottom a screen per frame, twice (the
//   second pass meets text rendered, released far from the viewport and rendered again); Chromium's long-task entries (> 50 ms of wall
//   clock), and with --cpu the tasks over 50 ms of the main thread's own CPU time (a trace's thread durations; on a
//   loaded machine a wall-clock long task also counts the time the page waited for a core);
// - stream: an answer of --tokens tokens at --rate tokens/s; the main thread's time (CDP TaskDuration) per 1,000
//   tokens, at the start and at the end: the first 1,000 (which also pays for compiling the page's code) and the
//   median of the next quarter, against the median of the last quarter.
// - memory: --chats long chats (100 turns each) opened one after another in one page, as the history list does;
//   the JS heap after a forced garbage collection, after the first and after the last.
// Run: `node esbuild.mjs --production && npx tsx test/bench/webview-long-chat.ts` [--turns 300] [--runs 3] [--tokens 20000]
// [--rate 1000] [--chats 20] [--part reopen|stream|memory|all] [--cpu: trace the scrolls for the CPU time per task]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChatTurn } from '../../src/protocols/chat';
import { answerTokens, longConversationTurns } from './answerText';
import type { Browser, Page } from 'playwright-core';
import { benchSnapshot, openWebviewPage, startStreamingAnswer } from './webviewPage';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '300' }, runs: { type: 'string', default: '3' }, tokens: { type: 'string', default: '20000' }, rate: { type: 'string', default: '1000' }, part: { type: 'string', default: 'all' }, chats: { type: 'string', default: '20' }, cpu: { type: 'boolean', default: false } } });
const mediaDir = resolve(__dirname, '..', '..', 'media');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface ReopenResult {
  lastTurnShownMs: number;
  /** From the snapshot's arrival (the page's `openrouter:snapshot` mark) to that frame. */
  afterSnapshotMs: number;
  /** From the snapshot's arrival until every turn is on the page. */
  allBuiltMs: number;
  scroll: ScrollResult;
  /** A second pass: what the first rendered and then released far from the viewport is rendered again. */
  again: ScrollResult;
}

interface ScrollResult {
  ms: number;
  longTasks: number[];
  frames: number;
  cpu: CpuTasks | undefined;
}

/**
 * The main thread's tasks longer than 50 ms of its own CPU time (Chromium's trace: a RunTask's thread duration),
 * against wall-clock long-task entries, which on a loaded machine also count the time the page waited for a core.
 */
function cpuTasks(trace: Buffer): CpuTasks {
  const events = (JSON.parse(trace.toString()) as { traceEvents: Array<{ name: string; ph: string; tid: number; tdur?: number; args?: { name?: string } }> }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  const tasks = events.filter((e) => e.tid === main && e.name === 'RunTask' && e.ph === 'X').map((e) => (e.tdur ?? 0) / 1000);
  return { over50: tasks.filter((ms) => ms > 50).length, longest: Math.max(0, ...tasks), totalMs: tasks.reduce((sum, ms) => sum + ms, 0) };
}

interface CpuTasks {
  over50: number;
  longest: number;
  totalMs: number;
}

async function reopenAndScroll(turns: ChatTurn[]): Promise<ReopenResult> {
  const snapshot = { ...benchSnapshot(), conversation: { ...benchSnapshot().conversation, turns } };
  const { page, browser, close } = await openWebviewPage(mediaDir, undefined, { replyToReady: snapshot });
  try {
    // The first frame where the last answer is drawn (markdown, not the plain text shown before it loads) and in view.
    const shown = await page.evaluate(
      (lastId) =>
        new Promise<{ lastTurnShownMs: number; afterSnapshotMs: number }>((done) => {
          const check = () => {
            const last = document.querySelector(`article[data-turn-id="${lastId}"]`);
            const drawn = last?.querySelector('.answer .md-block > :not(.md-plain)');
            const box = last?.getBoundingClientRect();
            if (drawn && box && box.top < innerHeight && box.bottom > 0) done({ lastTurnShownMs: performance.now(), afterSnapshotMs: performance.now() - performance.getEntriesByName('openrouter:snapshot')[0]!.startTime });
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        }),
      turns[turns.length - 1]!.id,
    );
    // End to end means every turn: wait until the earlier turns (built after the last ones are shown) are all there.
    await page.waitForFunction((count) => document.querySelectorAll('#messages article.turn').length === count, turns.length, { polling: 'raf' });
    const allBuiltMs = await page.evaluate(() => performance.now() - performance.getEntriesByName('openrouter:snapshot')[0]!.startTime);
    const scroll = await scrollEndToEnd(page, browser);
    // The same again: what the first pass rendered has been released far from the viewport, and is rendered again.
    const again = await scrollEndToEnd(page, browser);
    return { ...shown, allBuiltMs, scroll, again };
  } finally {
    await close();
  }
}

/** Scrolls #messages from top to bottom a screen per frame: long-task entries, and the main thread's CPU per task. */
async function scrollEndToEnd(page: Page, browser: Browser): Promise<ScrollResult> {
  // Tracing slows the page down: only with --cpu.
  if (values.cpu) await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline'] });
  const scroll = await page.evaluate(
      () =>
        new Promise<{ ms: number; longTasks: number[]; frames: number }>((done) => {
          const longTasks: number[] = [];
          const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
          observer.observe({ type: 'longtask' });
          const messages = document.getElementById('messages')!;
          const scroller = messages.scrollHeight > messages.clientHeight ? messages : document.scrollingElement!;
          scroller.scrollTop = 0;
          const start = performance.now();
          let frames = 0;
          const step = () => {
            frames++;
            scroller.scrollTop += scroller.clientHeight;
            if (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) return void requestAnimationFrame(step);
            // One more frame so the last scroll's work is in a finished task.
            requestAnimationFrame(() => setTimeout(() => {
              observer.disconnect();
              done({ ms: performance.now() - start, longTasks, frames });
            }, 0));
          };
          requestAnimationFrame(step);
        }),
    );
  return { ...scroll, cpu: values.cpu ? cpuTasks(await browser.stopTracing()) : undefined };
}

async function streamLongAnswer(tokens: string[], rate: number): Promise<number[]> {
  const { page, close } = await openWebviewPage(mediaDir);
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await startStreamingAnswer(page, 'Explain it all.');
    const taskSeconds = async () => ((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
    const perThousand: number[] = [];
    for (let from = 0; from < tokens.length; from += 1000) {
      const before = await taskSeconds();
      // 1,000 tokens paced at `rate` by a 10 ms timer in the page (one message per token, as the host posts them), then two frames.
      await page.evaluate(
        ({ slice, rate }) =>
          new Promise<void>((done) => {
            const start = performance.now();
            let sent = 0;
            const timer = setInterval(() => {
              const due = Math.min(slice.length, Math.floor(((performance.now() - start) / 1000) * rate));
              while (sent < due) window.postMessage({ type: 'answerDelta', turnId: 'a1', content: slice[sent++] }, '*');
              if (sent < slice.length) return;
              clearInterval(timer);
              requestAnimationFrame(() => requestAnimationFrame(() => done()));
            }, 10);
          }),
        { slice: tokens.slice(from, from + 1000), rate },
      );
      perThousand.push(((await taskSeconds()) - before) * 1000);
    }
    return perThousand;
  } finally {
    await close();
  }
}

/** The heap (MB, after a forced collection) after each of `chats` long chats is opened in the same page. */
async function heapAcrossChats(chats: number): Promise<number[]> {
  const { page, close } = await openWebviewPage(mediaDir);
  try {
    const cdp = await page.context().newCDPSession(page);
    const heaps: number[] = [];
    for (let i = 0; i < chats; i++) {
      const turns = (longConversationTurns(100) as unknown as ChatTurn[]).map((turn) => ({ ...turn, id: `${turn.id}-${i}`, content: turn.role === 'user' ? `${turn.content} (chat ${i})` : turn.content.replaceAll('// answer', `// chat ${i} answer`) }));
      const base = benchSnapshot();
      const snapshot = { ...base, conversation: { ...base.conversation, id: `chat-${i}`, turns } };
      await page.evaluate((snap) => window.postMessage({ type: 'snapshot', snapshot: snap }, '*'), snapshot);
      const lastId = turns[turns.length - 1]!.id;
      // A boolean, not the element: a handle to it would keep the old chat's nodes alive and the bench would measure its own leak.
      const drawn = await page.waitForFunction(([id, last]) => document.body.dataset.chatId === id && document.querySelector(`article[data-turn-id="${last}"] .answer .md-block > :not(.md-plain)`) !== null && !document.querySelector('code.hljs-pending'), [`chat-${i}`, lastId]);
      await drawn.dispose();
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
      await cdp.send('HeapProfiler.collectGarbage');
      heaps.push(((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 1024 / 1024);
    }
    return heaps;
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  const turnCount = Number(values.turns);
  const runs = Number(values.runs);
  if (values.part === 'all' || values.part === 'reopen') {
    const turns = longConversationTurns(turnCount) as unknown as ChatTurn[];
    const chars = turns.reduce((sum, t) => sum + t.content.length, 0);
    console.log(`long chat: ${turns.length} turns, ${(chars / 1024).toFixed(0)} KB of text, ${turns.reduce((n, t) => n + (t.content.split('```').length >> 1), 0)} code blocks; ${runs} reopen(s)`);
    const results: ReopenResult[] = [];
    const floors: number[] = [];
    for (let i = 0; i < runs; i++) {
      const floor = (await reopenAndScroll(turns.slice(0, 2))).lastTurnShownMs;
      floors.push(floor);
      const r = await reopenAndScroll(turns);
      results.push(r);
      const worst = (list: number[]) => (list.length ? Math.max(...list).toFixed(0) : '0');
      const cpu = (c: CpuTasks | undefined) => (c ? `; by the main thread's CPU time ${c.over50} over 50 ms, longest ${c.longest.toFixed(0)} ms, ${c.totalMs.toFixed(0)} ms in all` : '');
      const pass = (p: ScrollResult) => `${p.frames} frames, ${p.ms.toFixed(0)} ms: ${p.longTasks.length} long tasks, longest ${worst(p.longTasks)} ms${cpu(p.cpu)}`;
      console.log(`reopen ${i + 1}: last turn shown ${r.lastTurnShownMs.toFixed(0)} ms after navigation, ${r.afterSnapshotMs.toFixed(0)} ms after the snapshot arrived (a 2-turn chat: ${floor.toFixed(0)} ms); all ${turns.length} turns on the page ${r.allBuiltMs.toFixed(0)} ms after the snapshot`);
      console.log(`  scroll end to end: ${pass(r.scroll)}`);
      console.log(`  again (a second pass): ${pass(r.again)}`);
    }
    const shown = median(results.map((r) => r.lastTurnShownMs));
    const med = (pick: (r: ReopenResult) => number) => median(results.map(pick)).toFixed(0);
    console.log(`median: last turn shown after ${shown.toFixed(0)} ms against ${median(floors).toFixed(0)} ms for a 2-turn chat (+${(shown - median(floors)).toFixed(0)} ms for the ${turns.length} turns; target 500 ms), ${med((r) => r.afterSnapshotMs)} ms after the snapshot arrived; all turns on the page after ${med((r) => r.allBuiltMs)} ms`);
    console.log(`median scroll: ${med((r) => r.scroll.longTasks.length)} long tasks, longest ${med((r) => Math.max(0, ...r.scroll.longTasks))} ms (target: none over 50 ms); the second pass: ${med((r) => r.again.longTasks.length)} long tasks, longest ${med((r) => Math.max(0, ...r.again.longTasks))} ms${values.cpu ? `; by CPU time longest ${med((r) => r.scroll.cpu!.longest)} ms (second pass ${med((r) => r.again.cpu!.longest)} ms)` : ''}`);
  }
  if (values.part === 'all' || values.part === 'stream') {
    const tokens = answerTokens(Number(values.tokens));
    const perThousand = await streamLongAnswer(tokens, Number(values.rate));
    const first = perThousand[0]!;
    const quarter = Math.max(1, Math.floor(perThousand.length / 4));
    const start = median(perThousand.slice(1, 1 + quarter));
    const end = median(perThousand.slice(-quarter));
    console.log(`stream: ${tokens.length} tokens at ${values.rate} tokens/s; main-thread time per 1,000 tokens: ${perThousand.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    console.log(`per 1,000 tokens: ${first.toFixed(0)} ms for the first (the page's code compiling), then ${start.toFixed(0)} ms at the start and ${end.toFixed(0)} ms at the end (medians of a quarter each: ${(end / start).toFixed(2)}×; median of all ${median(perThousand).toFixed(0)} ms)`);
  }
  if (values.part === 'all' || values.part === 'memory') {
    const heaps = await heapAcrossChats(Number(values.chats));
    const first = heaps[0]!;
    const last = heaps[heaps.length - 1]!;
    console.log(`memory: JS heap after each of ${heaps.length} long chats (100 turns each), after a forced GC: ${heaps.map((mb) => mb.toFixed(1)).join(', ')} MB`);
    console.log(`after the first ${first.toFixed(1)} MB, after the last ${last.toFixed(1)} MB: ${(((last - first) / first) * 100).toFixed(1)} % (target within 10 %)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

// The panels' open time against VS Code's floor, in one window of the real VS Code: "OpenRouter: Open Chat",
// Compare Models and "OpenRouter: Show Usage", each against the same open of an empty webview with one input
// (floor-extension/: a webview view for the chat, an editor-area panel for the other two), opened the same way
// (a command from the palette) and alternating, so both see the same machine. Timed from the Enter that runs the
// command to the panel's input (or, for the Usage view, its figures) shown; each panel is closed before the next
// open, so every open builds a fresh page.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const floorExtensionPath = join(dirname(fileURLToPath(import.meta.url)), 'floor-extension');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Types `title` into the command palette and waits for its row (a window that has just opened may not have
 * registered an extension's commands yet: the palette is asked again until it has); returns the key press that runs it.
 */
export async function paletteReady(page, title, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    const found = await row.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    if (found) return () => page.keyboard.press('Enter');
    const rows = await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts().catch(() => []);
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`no palette row "${title}" (rows: ${JSON.stringify(rows)})`);
  }
}

export async function runPalette(page, title) {
  await (await paletteReady(page, title))();
}

/** The page inside the one webview on screen. */
const visibleWebview = (page) => page.frameLocator('iframe.webview:visible').frameLocator('#active-frame');

async function noWebviewShown(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('iframe.webview')].every((frame) => frame.getBoundingClientRect().width === 0 || getComputedStyle(frame).visibility === 'hidden' || getComputedStyle(frame).display === 'none'), undefined, { timeout: 30_000 });
}

const closeSidebar = async (page) => {
  await runPalette(page, 'View: Show Explorer');
  await noWebviewShown(page);
};
const closeEditors = async (page) => {
  await runPalette(page, 'View: Close All Editors');
  await noWebviewShown(page);
};

const floorReady = (frame) => frame.locator('body[data-ready="true"] #input');
const panels = [
  { name: 'chat', title: 'OpenRouter: Open Chat', floorTitle: 'Webview Floor: Open Floor View', ready: (frame) => frame.locator('body[data-ready="true"] #input'), close: closeSidebar },
  { name: 'compare', title: 'Webview Floor: Open Compare Models on Two Models', floorTitle: 'Webview Floor: Open Floor Panel', ready: (frame) => frame.locator('#models-line', { hasText: 'Comparing' }), close: closeEditors },
  { name: 'usage', title: 'OpenRouter: Show Usage', floorTitle: 'Webview Floor: Open Floor Panel', ready: (frame) => frame.locator('#total'), close: closeEditors },
];

/**
 * Waits for `locator` to be visible, asking again as soon as each answer comes, so no polling interval is added to
 * either page (Playwright's own `waitFor` polls at 0, 20, 50, 100, 100, 500 ms). Each answer still takes the driver
 * a while while the page's frame is being set up: single checks took 100–250 ms then, on this 2-core machine.
 */
async function seen(locator, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (!(await locator.isVisible().catch(() => false))) {
    if (performance.now() > deadline) throw new Error(`not shown within ${timeoutMs} ms: ${locator}`);
  }
}

/** Where the time of a chat open went, from the page's User Timing marks (ms since the Enter). */
export const phases = [];
/**
 * Every open's page, from its navigation and paint timing (ms since the Enter): panel name → which → list. VS Code
 * keeps a page hidden until its `load` event, so its first paint is the first frame with its input (or figures); the
 * driver sees it (`seen`) a round trip or two after that.
 */
const pageTimes = {};

async function timedOpen(page, title, ready, close, record) {
  const run = await paletteReady(page, title);
  const begun = performance.now();
  const pressedAt = Date.now();
  await run();
  const shown = ready(visibleWebview(page));
  await seen(shown, 60_000);
  const ms = performance.now() - begun;
  const marks = await shown
    .evaluate(() => {
      const navigation = /** @type {PerformanceNavigationTiming | undefined} */ (performance.getEntriesByType('navigation')[0]);
      const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-paint');
      return { origin: performance.timeOrigin, dcl: navigation?.domContentLoadedEventEnd, paint: paint?.startTime, marks: Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])) };
    })
    .catch(() => undefined);
  if (marks && record) {
    const times = ((pageTimes[record.panel] ??= { own: [], floor: [] })[record.which] ??= []);
    times.push({ page: marks.origin - pressedAt, dcl: marks.origin + (marks.dcl ?? NaN) - pressedAt, paint: marks.origin + (marks.paint ?? NaN) - pressedAt, seen: ms });
  }
  if (marks?.marks['openrouter:drawn'] !== undefined) {
    const at = (name) => marks.origin + marks.marks[name] - pressedAt;
    phases.push({ page: marks.origin - pressedAt, script: at('openrouter:script'), readySent: at('openrouter:ready-sent'), snapshot: at('openrouter:snapshot'), drawn: at('openrouter:drawn'), load: at('openrouter:load') });
  }
  await close(page);
  return ms;
}

/**
 * `opens` opens of each panel and of its floor, alternating (which goes first swaps every round), after one
 * untimed open of each: the first open of a window also activates the extension's features (and the floor's
 * extension), which is start-up, measured by the windows of startup.mjs.
 */
export async function measurePanelOpens(page, { opens, say }) {
  const results = {};
  for (const panel of panels) {
    const own = [];
    const floor = [];
    const coldOwn = await timedOpen(page, panel.title, panel.ready, panel.close);
    const coldFloor = await timedOpen(page, panel.floorTitle, floorReady, panel.close);
    say(`${panel.name} first open (not counted): ${coldOwn.toFixed(0)} ms, floor ${coldFloor.toFixed(0)} ms`);
    for (let round = 0; round < opens; round++) {
      const order = round % 2 === 0 ? ['own', 'floor'] : ['floor', 'own'];
      for (const which of order) {
        if (which === 'own') own.push(await timedOpen(page, panel.title, panel.ready, panel.close, { panel: panel.name, which }));
        else floor.push(await timedOpen(page, panel.floorTitle, floorReady, panel.close, { panel: panel.name, which }));
      }
      say(`${panel.name} open ${round + 1}: ${(own.at(-1) ?? 0).toFixed(0)} ms, floor ${(floor.at(-1) ?? 0).toFixed(0)} ms`);
    }
    if (panel.name === 'chat' && phases.length) results.chatPhases = Object.fromEntries(Object.keys(phases[0]).map((key) => [key, median(phases.slice(-opens).map((p) => p[key]))]));
    const timing = (list = []) => Object.fromEntries(['page', 'dcl', 'paint', 'seen'].map((key) => [key, median(list.map((t) => t[key]))]));
    results[panel.name] = { firstOpenMs: { own: coldOwn, floor: coldFloor }, ownMs: { median: median(own), runs: own }, floorMs: { median: median(floor), runs: floor }, ratio: median(own) / median(floor), pageTiming: { own: timing(pageTimes[panel.name]?.own), floor: timing(pageTimes[panel.name]?.floor) } };
  }
  return results;
}

export function printPanelOpens(results, opens) {
  const p = results.chatPhases;
  const ms = (values) => values.map((v) => v.toFixed(0)).join(', ');
  console.log(`  panels against VS Code's floor (an empty webview with one input, opened the same way), median of ${opens} opens each, alternating:`);
  const { chatPhases: _chatPhases, ...panelResults } = results;
  for (const [name, r] of Object.entries(panelResults)) {
    console.log(`    ${name}: ${r.ownMs.median.toFixed(0)} ms against the floor's ${r.floorMs.median.toFixed(0)} ms: ${r.ratio.toFixed(2)}× (${r.ownMs.median >= r.floorMs.median ? '+' : '−'}${Math.abs(r.ownMs.median - r.floorMs.median).toFixed(0)} ms) (runs: ${ms(r.ownMs.runs)} ms; floor: ${ms(r.floorMs.runs)} ms)`);
    const t = (x) => `page ${x.page.toFixed(0)}, DOMContentLoaded ${x.dcl.toFixed(0)}, first paint ${x.paint.toFixed(0)}, seen ${x.seen.toFixed(0)}`;
    if (r.pageTiming) {
      console.log(`      medians, ms after the Enter: ${t(r.pageTiming.own)}; floor: ${t(r.pageTiming.floor)}`);
      const painted = r.pageTiming.own.paint - r.pageTiming.floor.paint;
      console.log(`      painted (the page's first paint, its input in it; no polling by the driver): ${r.pageTiming.own.paint.toFixed(0)} against ${r.pageTiming.floor.paint.toFixed(0)} ms: ${(r.pageTiming.own.paint / r.pageTiming.floor.paint).toFixed(2)}× (${painted >= 0 ? '+' : '−'}${Math.abs(painted).toFixed(0)} ms)`);
    }
  }
  if (p) {
    console.log(`    where a chat open's time goes (medians, ms after the Enter): the page starts loading at ${p.page.toFixed(0)}, its script runs at ${p.script.toFixed(0)}, says ready at ${p.readySent.toFixed(0)}, the extension's snapshot arrives at ${p.snapshot.toFixed(0)}, the frame showing it at ${p.drawn.toFixed(0)}, the page's load event at ${p.load.toFixed(0)}`);
  }
}

// `npm run bench:startup`: what the extension costs before anyone uses it, measured in the real VS Code
// (code-server's extension host, driven by headless Chromium) against the emulator:
// - the bundles: each output's size and its largest parts (esbuild metafile);
// - activation: VS Code's own figure (Developer: Show Running Extensions), median of fresh windows;
// - the chat view: from running "OpenRouter: Open Chat" to an input that takes text;
// - the network of an idle window: requests the emulator saw while the window was unfocused, then focused;
// - the panels against VS Code's floor (panelOpens.mjs): Open Chat, Compare Models and the Usage view, each
//   against an empty webview opened the same way, alternating, in one more window (--opens, 0 to skip).
// Usage: node test/bench/startup.mjs [--runs 3] [--opens 5] [--idle-seconds 60] [--no-build] [--out .cache/bench]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulatorProcess } from '../vscode-host/emulator.mjs';
import { ensureHost } from '../vscode-host/install.mjs';
import { endProcessesOfRun } from '../vscode-host/processes.mjs';
import { runEnvironment, startServer } from '../vscode-host/server.mjs';
import { launchWorkbenchBrowser, workbenchUrl } from '../vscode-host/workbenchBrowser.mjs';
import { floorExtensionPath, measurePanelOpens, printPanelOpens, runPalette } from './panelOpens.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXTENSION_ID = 'openrouter-community.openrouter-vscode';
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    opens: { type: 'string', default: '5' },
    'idle-seconds': { type: 'string', default: '60' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: join(repoRoot, '.cache', 'bench') },
    // Another extension folder to measure the same way, e.g. an empty one: VS Code's own floor on this machine.
    'extension-path': { type: 'string' },
  },
});
const extensionPath = opts['extension-path'] ? resolve(opts['extension-path']) : repoRoot;
const extensionId = opts['extension-path'] ? (() => {
  const manifest = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8'));
  return `${manifest.publisher}.${manifest.name}`;
})() : EXTENSION_ID;
const runs = Math.max(0, Number(opts.runs));
const opens = Math.max(0, Number(opts.opens));
const idleSeconds = Math.max(0, Number(opts['idle-seconds']));
const outDir = resolve(opts.out);
const say = (line) => console.log(`[startup] ${line}`);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Bytes per package (node_modules/<name>) or per source folder, largest first. */
function largestParts(meta, output) {
  const parts = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(meta.outputs[output].inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const key = pkg ?? input.replace(/\/[^/]+$/, '/');
    parts.set(key, (parts.get(key) ?? 0) + bytesInOutput);
  }
  return [...parts].sort((a, b) => b[1] - a[1]).map(([part, bytes]) => ({ part, bytes }));
}

function bundleReport(metaDir) {
  const report = [];
  for (const name of ['extension.js', 'undici.js', 'p-retry.js', 'eventsource-parser.js', 'jsonc-parser.js', 'chat.js', 'compare.js', 'usage.js', 'lazy-markdown.js']) {
    const meta = JSON.parse(readFileSync(join(metaDir, `${name}.meta.json`), 'utf8'));
    for (const [output, info] of Object.entries(meta.outputs)) {
      if (output.endsWith('.map')) continue;
      report.push({ output, bytes: info.bytes, largest: largestParts(meta, output).slice(0, 6) });
    }
  }
  return report;
}

function emulatorCounters(origin) {
  return new Promise((resolveCounters, reject) => {
    const req = request(`${origin}/__emulator/counters`, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolveCounters(JSON.parse(text)));
    });
    req.on('error', reject);
    req.end();
  });
}

/** VS Code's own activation figure for the extension, as the Running Extensions editor shows it (ms). */
async function activationFromRunningExtensions(page) {
  await runPalette(page, 'Developer: Show Running Extensions');
  const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: extensionId }).first();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = (await row.innerText({ timeout: 60_000 }).catch(() => '')) ?? '';
    const match = /Activation:\s*([\d.]+)\s*ms/i.exec(text);
    if (match) {
      await page.keyboard.press('Control+W').catch(() => {});
      return Number(match[1]);
    }
    if (Date.now() > deadline) throw new Error(`no activation time for ${extensionId} in Running Extensions (row: ${JSON.stringify(text)})`);
    await row.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
  }
}

/** From running "OpenRouter: Open Chat" to the chat's input taking text (the webview got its first state). */
async function chatTimeToInteractive(page) {
  const begun = Date.now();
  await runPalette(page, 'OpenRouter: Open Chat');
  const frame = page.frameLocator('iframe.webview').frameLocator('#active-frame');
  await frame.locator('body[data-ready="true"] #input').waitFor({ state: 'visible', timeout: 60_000 });
  return Date.now() - begun;
}

/**
 * A copy of the built extension whose bundle notes, inside the extension host, when its first line runs,
 * when activate() is called and when it returns: the extension's own share of VS Code's figure.
 */
function timedCopy(runDir) {
  const copy = join(runDir, 'extension');
  mkdirSync(join(copy, 'dist'), { recursive: true });
  cpSync(join(repoRoot, 'package.json'), join(copy, 'package.json'));
  cpSync(join(repoRoot, 'media'), join(copy, 'media'), { recursive: true });
  for (const file of readdirSync(join(repoRoot, 'dist'))) if (file.endsWith('.js')) cpSync(join(repoRoot, 'dist', file), join(copy, 'dist', file));
  const bundle = readFileSync(join(copy, 'dist', 'extension.js'), 'utf8');
  // Wall time, and the thread's CPU time (what the machine spent, whatever else competed for it).
  const wrapped = [
    "const __benchCpu = () => { const u = process.threadCpuUsage ? process.threadCpuUsage() : process.cpuUsage(); return (u.user + u.system) / 1000; };",
    'const __benchStart = [performance.now(), __benchCpu()];',
    bundle,
    // Evaluated: the bundle's own load ends here; VS Code then builds the extension context before calling activate().
    ';const __benchLoaded = [performance.now(), __benchCpu()];',
    ';{ const inner = module.exports; module.exports = {',
    '  activate(context) {',
    '    const called = [performance.now(), __benchCpu()]; const result = inner.activate(context); const returned = [performance.now(), __benchCpu()];',
    "    require('node:fs').appendFileSync(process.env.OPENROUTER_BENCH_TIMING_FILE, JSON.stringify({ loadMs: __benchLoaded[0] - __benchStart[0], loadCpuMs: __benchLoaded[1] - __benchStart[1], contextMs: called[0] - __benchLoaded[0], activateMs: returned[0] - called[0], activateCpuMs: returned[1] - called[1] }) + '\\n');",
    '    return result;',
    '  },',
    '  deactivate: () => inner.deactivate() }; }',
  ].join('\n');
  writeFileSync(join(copy, 'dist', 'extension.js'), wrapped);
  return copy;
}

async function oneWindow({ host, index, measureIdle, panelOpens = false }) {
  const tag = `startup-${process.pid}-${randomBytes(3).toString('hex')}`;
  const runDir = mkdtempSync(join(tmpdir(), 'orvt-startup-'));
  /** @type {Array<() => unknown>} */
  const stops = [];
  try {
    const env = runEnvironment(runDir, tag);
    for (const name of Object.keys(env)) if (name.startsWith('OPENROUTER_')) delete env[name];
    const emulator = await startEmulatorProcess({ repoRoot, env });
    stops.push(emulator.stop);
    const timingFile = join(runDir, 'activation-timing.jsonl');
    Object.assign(env, { OPENROUTER_BASE_URL: emulator.baseUrl, OPENROUTER_API_KEY: 'sk-or-v1-test', OPENROUTER_BENCH_TIMING_FILE: timingFile });
    const measured = extensionPath === repoRoot ? timedCopy(runDir) : extensionPath;
    // The window takes one development extension: the floor is installed as an ordinary one, beside it.
    if (panelOpens) cpSync(floorExtensionPath, join(runDir, 'extensions', 'openrouter-bench.webview-floor-0.0.1'), { recursive: true });
    const server = await startServer({ host, runDir, tag, env });
    stops.push(server.stop);
    const workspace = join(runDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [['extensionDevelopmentPath', remote(measured)], ['skipWelcome', 'true']];
    const context = await launchWorkbenchBrowser({ runDir, tag });
    stops.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    const result = {};
    if (measureIdle) {
      // A window that opens in the background: the browser tells the workbench it has no focus.
      await page.addInitScript(() => {
        const state = { focused: false };
        globalThis.__benchFocus = (focused) => {
          state.focused = focused;
          window.dispatchEvent(new Event(focused ? 'focus' : 'blur'));
          document.dispatchEvent(new Event('visibilitychange'));
        };
        Document.prototype.hasFocus = () => state.focused;
      });
    }
    await page.goto(workbenchUrl(server, workspace, payload));
    await page.locator('.statusbar-item').first().waitFor({ timeout: 120_000 });
    if (panelOpens) return { panels: await measurePanelOpens(page, { opens, say: (line) => say(`panels: ${line}`) }) };
    if (measureIdle && idleSeconds > 0) {
      const before = await emulatorCounters(emulator.origin);
      say(`window ${index}: unfocused for ${idleSeconds} s...`);
      await new Promise((done) => setTimeout(done, idleSeconds * 1000));
      const unfocused = await emulatorCounters(emulator.origin);
      await page.evaluate(() => globalThis.__benchFocus(true));
      say(`window ${index}: focused and idle for ${idleSeconds} s...`);
      await new Promise((done) => setTimeout(done, idleSeconds * 1000));
      const focused = await emulatorCounters(emulator.origin);
      result.idle = {
        seconds: idleSeconds,
        unfocused: { requests: unfocused.requests - before.requests, byPath: unfocused.requestsByPath },
        focused: { requests: focused.requests - unfocused.requests },
      };
    }
    result.activationMs = await activationFromRunningExtensions(page);
    if (extensionPath === repoRoot) {
      const [firstLine = ''] = readFileSync(timingFile, 'utf8').trim().split('\n');
      result.own = JSON.parse(firstLine);
      result.chatInteractiveMs = await chatTimeToInteractive(page);
    }
    return result;
  } finally {
    for (const stop of stops.reverse()) await Promise.resolve().then(stop).catch(() => {});
    await endProcessesOfRun([], tag).catch(() => {});
    rmSync(runDir, { recursive: true, force: true });
  }
}

mkdirSync(outDir, { recursive: true });
const metaDir = join(outDir, 'meta');
if (!opts['no-build']) {
  say('building the production bundles with their metafiles...');
  const built = spawnSync(process.execPath, ['esbuild.mjs', '--production', `--metafile=${metaDir}`], { cwd: repoRoot, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);
}
const bundles = extensionPath === repoRoot ? bundleReport(metaDir) : [];
const host = await ensureHost({ log: (line) => say(`install: ${line}`) });
const windows = [];
const panelsWindow = opens > 0 && extensionPath === repoRoot ? await oneWindow({ host, index: 0, measureIdle: false, panelOpens: true }) : undefined;
for (let index = 1; index <= runs; index++) {
  const result = await oneWindow({ host, index, measureIdle: index === 1 });
  say(`window ${index}: activation ${result.activationMs} ms${result.own ? ` (own: load ${result.own.loadMs.toFixed(1)} + activate() ${result.own.activateMs.toFixed(1)} ms)` : ''}${result.chatInteractiveMs === undefined ? '' : `, chat interactive after ${result.chatInteractiveMs} ms`}`);
  windows.push(result);
}
const [load = 0] = (await import('node:os')).loadavg();
const summary = {
  date: new Date().toISOString(),
  loadAverage: load,
  bundles,
  panels: panelsWindow?.panels,
  ...(windows.length === 0 ? {} : windowSummary(windows)),
};
function windowSummary(windows) {
  return {
    activationMs: { median: median(windows.map((w) => w.activationMs)), runs: windows.map((w) => w.activationMs) },
    chatInteractiveMs: windows[0].chatInteractiveMs === undefined ? undefined : { median: median(windows.map((w) => w.chatInteractiveMs)), runs: windows.map((w) => w.chatInteractiveMs) },
    idle: windows[0].idle,
    own: windows[0].own === undefined ? undefined : {
      loadMs: { median: median(windows.map((w) => w.own.loadMs)), runs: windows.map((w) => w.own.loadMs) },
      activateMs: { median: median(windows.map((w) => w.own.activateMs)), runs: windows.map((w) => w.own.activateMs) },
      contextMs: { median: median(windows.map((w) => w.own.contextMs)), runs: windows.map((w) => w.own.contextMs) },
      loadCpuMs: { median: median(windows.map((w) => w.own.loadCpuMs)), runs: windows.map((w) => w.own.loadCpuMs) },
      activateCpuMs: { median: median(windows.map((w) => w.own.activateCpuMs)), runs: windows.map((w) => w.own.activateCpuMs) },
    },
  };
}
writeFileSync(join(outDir, 'startup.json'), JSON.stringify(summary, null, 2));

console.log(`\nStartup cost of ${extensionId} (real VS Code extension host, emulator on loopback)`);
for (const bundle of bundles) {
  const when = bundle.output.endsWith('extension.js') ? ' (loaded at activation)' : bundle.output.endsWith('features.js') ? ' (the features, loaded on first use)' : /\/(chat|compare|usage)\.js$/.test(bundle.output) ? ' (a panel\'s first script, written into its page)' : ' (loaded on first use)';
  console.log(`  ${bundle.output}${when}: ${kb(bundle.bytes)}; largest parts: ${bundle.largest.map((p) => `${p.part} ${kb(p.bytes)}`).join(', ')}`);
}
if (summary.panels) printPanelOpens(summary.panels, opens);
if (summary.activationMs) console.log(`  activation (VS Code's own figure), median of ${runs}: ${summary.activationMs.median} ms (runs: ${summary.activationMs.runs.join(', ')} ms)`);
if (summary.own) {
  const ms = (values) => values.map((v) => v.toFixed(1)).join(', ');
  console.log(`  the extension's own share, timed inside the host, median of ${runs}: evaluating the bundle ${summary.own.loadMs.median.toFixed(1)} ms (${ms(summary.own.loadMs.runs)}) + activate() ${summary.own.activateMs.median.toFixed(1)} ms (${ms(summary.own.activateMs.runs)})`);
  console.log(`  between the two, VS Code builds the extension context (not the extension's time): ${summary.own.contextMs.median.toFixed(1)} ms (${ms(summary.own.contextMs.runs)})`);
  console.log(`  the same in CPU time of the extension host's thread: evaluating the bundle ${summary.own.loadCpuMs.median.toFixed(1)} ms (${ms(summary.own.loadCpuMs.runs)}) + activate() ${summary.own.activateCpuMs.median.toFixed(1)} ms (${ms(summary.own.activateCpuMs.runs)})`);
}
if (summary.chatInteractiveMs) console.log(`  chat view, Open Chat to input ready, median of ${runs}: ${summary.chatInteractiveMs.median} ms (runs: ${summary.chatInteractiveMs.runs.join(', ')} ms)`);
if (summary.idle) {
  console.log(`  requests while unfocused for ${summary.idle.seconds} s: ${summary.idle.unfocused.requests}${summary.idle.unfocused.requests ? ` (${JSON.stringify(summary.idle.unfocused.byPath)})` : ''}`);
  console.log(`  requests while focused and idle for the next ${summary.idle.seconds} s: ${summary.idle.focused.requests}`);
}
console.log(`  load average ${load.toFixed(2)} (${(await import('node:os')).cpus().length} cores); results in ${join(outDir, 'startup.json')}`);

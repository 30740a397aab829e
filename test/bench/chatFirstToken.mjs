// `npm run bench:chat`: what a user feels in the chat, measured in the real VS Code (code-server's extension host
// and workbench, driven by headless Chromium, as the VS Code suite does) against the emulator behind the latency
// relay: from Enter in the chat's input to the first token of the answer painted in the webview. The network's own
// time to the first token is measured apart, over the same relay and a kept-alive connection as the extension's
// pool has; the difference is what the extension and the webview add.
// Usage: node --import tsx test/bench/chatFirstToken.mjs [--n 30] [--warmup 3] [--rtt 40] [--server 20] [--no-build]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { waitFor } from '../support/waitFor.ts';
import { startLatencyRelay } from './latencyRelay.ts';
import { startEmulatorProcess } from '../vscode-host/emulator.mjs';
import { ensureHost } from '../vscode-host/install.mjs';
import { endProcessesOfRun } from '../vscode-host/processes.mjs';
import { runEnvironment, startServer } from '../vscode-host/server.mjs';
import { launchWorkbenchBrowser, workbenchUrl } from '../vscode-host/workbenchBrowser.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODEL = 'openai/gpt-4o-mini';
const { values: opts } = parseArgs({
  options: {
    n: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    rtt: { type: 'string', default: '40' },
    server: { type: 'string', default: '20' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: join(repoRoot, '.cache', 'bench') },
  },
});
const n = Math.max(1, Number(opts.n));
const warmup = Math.max(0, Number(opts.warmup));
const rttMs = Number(opts.rtt);
const serverMs = Number(opts.server);
const say = (line) => console.log(`[bench:chat] ${line}`);

function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

function distribution(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, min: sorted[0], p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), max: sorted.at(-1) };
}

/** The extension's log file (its "OpenRouter" output channel) somewhere under the run's directories. */
function findLogFile(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(entry.parentPath ?? dir, entry.name);
    if (entry.isDirectory()) {
      const found = findLogFile(path);
      if (found) return found;
    } else if (/OpenRouter\.log$/.test(entry.name)) {
      return path;
    }
  }
  return undefined;
}

const timingLine = /Chat timing: request sent ([\d.]+) ms after the question arrived · first token handed to the panel ([\d.]+) ms after it was read/;

/** The extension's own timing of each answer, from its log lines, once `count` of them are written. */
async function extensionTimings(runDir, count) {
  const read = () => {
    const file = findLogFile(runDir);
    const found = file ? readFileSync(file, 'utf8').split('\n').map((line) => timingLine.exec(line)).filter((m) => m !== null) : [];
    return found.map((m) => ({ beforeRequest: Number(m[1]), afterToken: Number(m[2]) }));
  };
  return waitFor(`${count} chat timing lines in the extension's log`, read, { timeoutMs: 20_000, intervalMs: 100, accept: (found) => found.length >= count });
}

const row = (name, d) => `  ${name.padEnd(44)} n=${d.n}  min ${d.min.toFixed(1)}  p50 ${d.p50.toFixed(1)}  p90 ${d.p90.toFixed(1)}  max ${d.max.toFixed(1)} ms`;

/**
 * The network's own time to the first token: the same streaming request the chat sends, over the relay on a
 * kept-alive connection, from writing the request to the first content token read (what no client can beat).
 */
function networkFirstToken(agent, baseUrl, text) {
  const body = JSON.stringify({ model: MODEL, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: text }] });
  return new Promise((resolveTime, reject) => {
    const started = performance.now();
    let firstAt;
    let buffer = '';
    const req = request(`${baseUrl}/chat/completions`, { method: 'POST', agent, headers: { authorization: 'Bearer sk-or-v1-test', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        if (firstAt !== undefined) return;
        buffer += chunk;
        // The first SSE event whose delta carries content.
        for (const line of buffer.split('\n')) {
          if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
          try {
            if (JSON.parse(line.slice(6)).choices?.[0]?.delta?.content) {
              firstAt = performance.now();
              break;
            }
          } catch {
            // A line cut across chunks: read again with the next one.
          }
        }
      });
      res.on('end', () => (firstAt === undefined ? reject(new Error(`no content token (HTTP ${res.statusCode})`)) : resolveTime(firstAt - started)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A zero-delay TCP tap between the extension and the relay: notes (in epoch ms, the clock the webview's
 * `performance.timeOrigin + now()` also reads) when each request leaves the extension and when the first
 * content token reaches it, so the time can be split into Enter → request, network, and token → paint.
 */
async function startTap(targetPort) {
  const events = [];
  const note = (type) => events.push({ type, at: now() });
  const now = () => performance.timeOrigin + performance.now();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    let awaitingToken = false;
    client.on('data', (chunk) => {
      if (/^POST \/\S*chat\/completions/.test(chunk.toString('latin1', 0, 64))) {
        note('request');
        awaitingToken = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (awaitingToken && /"content":"[^"]/.test(chunk.toString('utf8'))) {
        note('token');
        awaitingToken = false;
      }
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await /** @type {Promise<void>} */ (new Promise((done) => server.listen(0, '127.0.0.1', () => done())));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { port, events, close: () => /** @type {Promise<void>} */ (new Promise((done) => server.close(() => done()))) };
}

/**
 * What the probe keeps on the webview's window.
 * @typedef {{ ms: number, enterEpoch: number, deltaEpoch: number, textEpoch: number, paintEpoch: number }} FirstPaint
 * @typedef {{ __benchEnterAt?: number, __benchDeltaAt?: number, __benchKeyListener?: boolean, __benchFirstPaint?: Promise<FirstPaint> }} BenchProbe
 */

/** In the chat webview: resolves with the ms from Enter (its keydown) to the frame after the new answer's first text. */
const armProbe = () => {
  // Runs in the webview (Playwright sends its source): everything it uses is defined inside.
  const probeWindow = /** @type {Window & typeof globalThis & BenchProbe} */ (globalThis);
  const messages = document.getElementById('messages');
  if (!messages) throw new Error('the chat view has no #messages');
  const before = document.querySelectorAll('article.turn.assistant').length;
  probeWindow.__benchEnterAt = undefined;
  probeWindow.__benchDeltaAt = undefined;
  if (!probeWindow.__benchKeyListener) {
    probeWindow.__benchKeyListener = true;
    probeWindow.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && /** @type {HTMLElement | null} */ (event.target)?.id === 'input') probeWindow.__benchEnterAt = performance.now();
    }, true);
    // When the first piece of the answer reaches the panel (before the panel draws it in the next frame).
    probeWindow.addEventListener('message', (event) => {
      if (event.data?.type === 'answerDelta' && event.data.content && probeWindow.__benchDeltaAt === undefined) probeWindow.__benchDeltaAt = performance.now();
    }, true);
  }
  probeWindow.__benchFirstPaint = /** @type {Promise<FirstPaint>} */ (new Promise((done) => {
    const observer = new MutationObserver(() => {
      const answers = document.querySelectorAll('article.turn.assistant');
      if (answers.length <= before) return;
      const text = answers[answers.length - 1]?.querySelector('.answer')?.textContent ?? '';
      if (!text) return;
      observer.disconnect();
      const textEpoch = performance.timeOrigin + performance.now();
      // The panel writes streamed text in an animation frame callback (FrameScheduler), and this observer runs
      // at the end of it: the frame is painted before the next task, so the task queued here marks the paint.
      const channel = new MessageChannel();
      const enterAt = probeWindow.__benchEnterAt ?? Number.NaN;
      const deltaAt = probeWindow.__benchDeltaAt ?? Number.NaN;
      channel.port1.onmessage = () => done({ ms: performance.now() - enterAt, enterEpoch: performance.timeOrigin + enterAt, deltaEpoch: performance.timeOrigin + deltaAt, textEpoch, paintEpoch: performance.timeOrigin + performance.now() });
      channel.port2.postMessage(null);
    });
    observer.observe(messages, { subtree: true, childList: true, characterData: true });
  }));
};

const answerEnded = () =>
  new Promise((done) => {
    const check = () => {
      const last = [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('article.turn.assistant'))].pop();
      if (last && last.dataset.status !== 'streaming') done(last.dataset.status);
      else setTimeout(check, 10);
    };
    check();
  });

async function main() {
  if (!opts['no-build']) {
    say('building the extension...');
    const built = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);
  }
  const host = await ensureHost({ log: (line) => say(`install: ${line}`) });
  const tag = `bench-chat-${process.pid}-${randomBytes(3).toString('hex')}`;
  const runDir = mkdtempSync(join(tmpdir(), 'orvt-bench-chat-'));
  /** @type {Array<() => unknown>} */
  const stops = [];
  try {
    const env = runEnvironment(runDir, tag);
    for (const name of Object.keys(env)) if (name.startsWith('OPENROUTER_')) delete env[name];
    const emulator = await startEmulatorProcess({ repoRoot, env, extraArgs: ['--server-delay', String(serverMs), '--chunk-delay', '0'] });
    stops.push(emulator.stop);
    const target = new URL(emulator.baseUrl);
    const relay = await startLatencyRelay({ targetHost: target.hostname, targetPort: Number(target.port), oneWayMs: rttMs / 2 });
    stops.push(() => relay.close());
    const baseUrl = `http://127.0.0.1:${relay.port}${target.pathname.replace(/\/$/, '')}`;
    const tap = await startTap(relay.port);
    stops.push(() => tap.close());
    const tappedUrl = `http://127.0.0.1:${tap.port}${target.pathname.replace(/\/$/, '')}`;
    say(`emulator ${emulator.baseUrl} (server time ${serverMs} ms) behind the relay ${baseUrl} (RTT ${rttMs} ms)`);

    Object.assign(env, { OPENROUTER_BASE_URL: tappedUrl, OPENROUTER_API_KEY: 'sk-or-v1-test' });
    const server = await startServer({ host, runDir, tag, env, settings: { 'openrouter.defaultModel': MODEL } });
    stops.push(server.stop);
    const workspace = join(runDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${repoRoot}`], ['skipWelcome', 'true']];
    const context = await launchWorkbenchBrowser({ runDir, tag });
    stops.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(workbenchUrl(server, workspace, payload));
    await page.locator('.statusbar-item').first().waitFor({ timeout: 120_000 });

    // The OpenRouter entry of the activity bar opens the chat, as a user does (it appears once the extension is known).
    await page.locator('.part.activitybar .action-item a.action-label[aria-label^="OpenRouter" i]').first().click({ timeout: 60_000 });
    const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const input = view.locator('body[data-ready="true"] #input');
    await input.waitFor({ state: 'visible', timeout: 60_000 });
    const html = view.locator('html');
    await html.evaluate((_, model) => /** @type {Promise<void>} */ (new Promise((done) => {
      const check = () => (/** @type {HTMLSelectElement | null} */ (document.getElementById('model-select'))?.value === model ? done() : setTimeout(check, 20));
      check();
    })), MODEL);

    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const endToEnd = [];
    const network = [];
    /** @type {Record<'toRequest' | 'onTheWire' | 'toPanel' | 'toText' | 'toPaint', number[]>} */
    const parts = { toRequest: [], onTheWire: [], toPanel: [], toText: [], toPaint: [] };
    /** Per measured question: whether the tap saw both its request and its first token (parts has its entries). */
    const tapped = [];
    for (let i = 0; i < warmup + n; i++) {
      const text = `Benchmark question ${i}`;
      // The network alone first (its connection stays warm, as the pool's does), then the same through the UI.
      const net = await networkFirstToken(agent, baseUrl, text);
      await input.fill(text);
      await html.evaluate(armProbe);
      const seen = tap.events.length;
      // Enter is held 100 ms, as a typist's key is (a key released at once would put its key-up, which costs the
      // browser several ms here, on the request's way out); the probe is read once the key is up.
      await input.press('Enter', { delay: 100 });
      const probe = await html.evaluate(() => /** @type {Window & BenchProbe} */ (window).__benchFirstPaint);
      if (!probe) throw new Error(`question ${i}: the probe in the chat view was not armed`);
      const ms = probe.ms;
      const requestAt = tap.events.slice(seen).find((e) => e.type === 'request')?.at;
      const tokenAt = tap.events.slice(seen).find((e) => e.type === 'token')?.at;
      const status = await html.evaluate(answerEnded);
      if (status !== 'done') throw new Error(`answer ${i} ended ${status}`);
      if (i >= warmup) {
        endToEnd.push(ms);
        network.push(net);
        tapped.push(requestAt !== undefined && tokenAt !== undefined);
        if (requestAt !== undefined && tokenAt !== undefined) {
          parts.toRequest.push(requestAt - probe.enterEpoch);
          parts.onTheWire.push(tokenAt - requestAt);
          parts.toPanel.push(probe.deltaEpoch - tokenAt);
          parts.toText.push(probe.textEpoch - probe.deltaEpoch);
          parts.toPaint.push(probe.paintEpoch - probe.textEpoch);
        }
      }
      // A new chat every ten questions keeps the requests about as small as the network probe's.
      if ((i + 1) % 10 === 0) {
        await page.keyboard.press('Escape');
        await page.locator('.part.sidebar .title-actions .action-label[aria-label^="New Chat"]').first().click();
        await view.locator('body[data-busy="false"] #messages .empty-state').waitFor({ state: 'visible', timeout: 20_000 });
      }
    }
    agent.destroy();

    // VS Code's own floor: a message from the webview to the extension and its answer back, with nothing else to do
    // (Reset in the routing section: the extension validates {} and answers with the routing, which the panel redraws
    // at once), and the same followed by the next frame painted, as the first token must be.
    const roundTrips = [];
    const roundTripsPainted = [];
    for (let i = 0; i < Math.max(10, n); i++) {
      const { answered, painted } = await html.evaluate(() => /** @type {Promise<{ answered: number, painted: number }>} */ (new Promise((done, fail) => {
        const panel = document.getElementById('routing-panel');
        const reset = document.getElementById('routing-reset');
        if (!panel || !reset) {
          fail(new Error('the chat view has no routing section (#routing-panel, #routing-reset)'));
          return;
        }
        const started = performance.now();
        const observer = new MutationObserver(() => {
          observer.disconnect();
          const answered = performance.now() - started;
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => done({ answered, painted: performance.now() - started });
            channel.port2.postMessage(null);
          });
        });
        observer.observe(panel, { subtree: true, childList: true });
        reset.click();
      })));
      roundTrips.push(answered);
      roundTripsPainted.push(painted);
    }

    // The extension's own share of each question, from the timing line it logs per answer (warm-up answers first).
    const timings = (await extensionTimings(runDir, warmup + n)).slice(warmup, warmup + n);
    /** @type {Record<'beforeRequest' | 'afterToken' | 'total' | 'vscodeToExtension' | 'vscodeToPanel', number[]>} */
    const own = { beforeRequest: [], afterToken: [], total: [], vscodeToExtension: [], vscodeToPanel: [] };
    timings.forEach((t) => {
      own.beforeRequest.push(t.beforeRequest);
      own.afterToken.push(t.afterToken);
      own.total.push(t.beforeRequest + t.afterToken);
    });
    let k = 0;
    tapped.forEach((seen, i) => {
      if (!seen) return;
      const [toRequest, toPanel, timing] = [parts.toRequest[k], parts.toPanel[k], timings[i]];
      if (toRequest === undefined || toPanel === undefined || !timing) throw new Error(`question ${i}: no tapped times or no timing line to pair`);
      own.vscodeToExtension.push(toRequest - timing.beforeRequest);
      own.vscodeToPanel.push(toPanel - timing.afterToken);
      k++;
    });

    const e2e = distribution(endToEnd);
    const net = distribution(network);
    const paired = distribution(endToEnd.map((ms, i) => ms - network[i]));
    const overheadAtMedian = e2e.p50 - net.p50;
    const ipc = distribution(roundTrips);
    const ipcPainted = distribution(roundTripsPainted);
    const summary = { ipcRoundTrip: ipc, ipcRoundTripPainted: ipcPainted, extensionOwn: Object.fromEntries(Object.entries(own).map(([key, v]) => [key, v.length ? distribution(v) : undefined])), date: new Date().toISOString(), rttMs, serverMs, loadAverage: loadavg()[0] ?? 0, cores: cpus().length, endToEnd: e2e, network: net, pairedOverhead: paired, parts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v.length ? distribution(v) : undefined])), overheadAtMedianMs: overheadAtMedian, targetMs: 15, samples: { endToEnd, network } };
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(join(opts.out, 'chat-first-token.json'), JSON.stringify(summary, null, 2));

    console.log(`\nChat: Enter to the first token painted, real VS Code (code-server + headless Chromium), emulator behind the relay (RTT ${rttMs} ms, server ${serverMs} ms)`);
    console.log(row('Enter → first token painted in the webview', e2e));
    console.log(row('network alone: request → first token', net));
    console.log(row('difference per question (same question)', paired));
    if (parts.toRequest.length) {
      console.log('  where the time goes (a tap between the extension and the relay notes the request and the first token;');
      console.log('  the extension logs its own share of each answer):');
      console.log(row('  Enter → request on the wire', distribution(parts.toRequest)));
      console.log(row('    the extension: question → request sent', distribution(own.beforeRequest)));
      console.log(row('    the rest: VS Code carrying the message', distribution(own.vscodeToExtension)));
      console.log(row('  request → first token back (network)', distribution(parts.onTheWire)));
      console.log(row('  first token back → its message in the webview', distribution(parts.toPanel)));
      console.log(row('    the extension: token read → handed to VS Code', distribution(own.afterToken)));
      console.log(row('    the rest: loopback, HTTP and SSE reading, VS Code', distribution(own.vscodeToPanel)));
      console.log(row('  message → text in the DOM (next frame)', distribution(parts.toText)));
      console.log(row('  text in the DOM → painted', distribution(parts.toPaint)));
    }
    console.log(row("the extension's own code per question", distribution(own.total)));
    console.log(row('VS Code: webview → extension → webview message', ipc));
    console.log(row('  the same, then the next frame painted', ipcPainted));
    console.log(`  extension + webview add ${overheadAtMedian.toFixed(1)} ms at the median (target ≤ 15 ms): ${overheadAtMedian <= 15 ? 'met' : 'NOT met'}`);
    console.log(`  load average ${(loadavg()[0] ?? 0).toFixed(2)} (${cpus().length} cores); results in ${join(opts.out, 'chat-first-token.json')}`);
  } finally {
    for (const stop of stops.reverse()) await Promise.resolve().then(stop).catch(() => {});
    await endProcessesOfRun([], tag).catch(() => {});
    rmSync(runDir, { recursive: true, force: true });
  }
}

await main();

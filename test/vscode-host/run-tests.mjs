// Runs a mocha suite inside the extension host of the real VS Code embedded in code-server, driven by
// headless Debian Chromium. Builds nothing: run `npm run build` and `npm run build:tests` first.
// Usage: node test/vscode-host/run-tests.mjs [--suite out/test/integration/index.js] [--grep text]
//        [--vsix file.vsix] [--mode server-main|code-server] [--timeout-ms N] [--result-file f.json] [--keep] [--verbose]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, parseArgs, stripVTControlCharacters } from 'node:util';
import { tsImport } from 'tsx/esm/api';
import { createActions } from './actions.mjs';
import { startEmulatorProcess } from './emulator.mjs';
import { ensureHost } from './install.mjs';
import { endProcessesOfRun, memoryOfRun } from './processes.mjs';
import { prepareOsTrust } from './osTrust.mjs';
import { runEnvironment, startServer } from './server.mjs';
import { launchWorkbenchBrowser, requireChromium, workbenchUrl } from './workbenchBrowser.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Workbench chatter that says nothing about the tests; it stays in test-results/logs/*-host.log.
const WORKBENCH_NOISE = [
  /^Creation of workbench contribution/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^Extension host \(Remote\) is (un)?responsive/,
  /^Creating a socket \(/,
  /^Resolv(ing|ed) connection token/,
  /^\[reconnection-grace-time\]/,
  /^\[AccountPolicyGate\]/,
  /^\[AgentHost/,
  /^\[Service Worker\]/,
  /^Timed out waiting for authentication provider/,
  /^Canceled: Canceled/,
  /^Started local extension host/,
];

const { values: opts } = parseArgs({
  options: {
    suite: { type: 'string', default: 'out/test/integration/index.js' },
    grep: { type: 'string' },
    vsix: { type: 'string' },
    mode: { type: 'string', default: 'server-main' },
    'timeout-ms': { type: 'string', default: String(20 * 60_000) },
    'result-file': { type: 'string' },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

const say = (line) => console.log(`[harness] ${line}`);
const started = Date.now();
const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
const suitePath = resolve(repoRoot, opts.suite);
const suiteName = opts.vsix ? 'vsix' : 'integration';
const resultsDir = join(repoRoot, 'test-results');
const screenshotDir = join(resultsDir, 'screenshots');
const logsDir = join(resultsDir, 'logs');

/**
 * What the run reports (and writes to --result-file for `npm test`).
 * @typedef {{ suite: string, passed: number, failed: number, skipped: number, ok: boolean, seconds?: number, error?: string,
 *   peakMemoryMb?: { server: number, all: number },
 *   secrets?: { error: string } | { occurrences: number, files: number, outputs: number, foundIn: import('../secretScan').SecretFinding[] } }} RunResult
 */

// What the run printed outside the run folder, kept for the secrets scan (never printed again).
/** @type {{ emulator: string[], browserConsole: string[] }} */
const captured = { emulator: [], browserConsole: [] };
// Set by a cleanup step (a cast, not an annotation: the value arrives in a callback, after `null` was read here).
let secretScan = /** @type {import('../secretScan').SecretScanReport | { error: string } | null} */ (null);

/**
 * Counts the test keys in every file of the run folder (raw bytes: logs, settings, state databases,
 * extension storage, the server's log) and in what the emulator, the browser console and the
 * extension host printed. Reports file names and counts, never a key.
 */
/** @returns {Promise<import('../secretScan').SecretScanReport>} */
async function scanRunForSecrets(runDir, hostLogFile) {
  const { filesBelow, scanForSecrets } = await tsImport('../secretScan.ts', import.meta.url);
  // tsx's compile cache of the emulator's own source, which spells out the keys it accepts: source, not output.
  // Nothing else is left out: the browser workbench keeps SecretStorage in memory (no encryption there), never on disk.
  const skip = (file) => /^tsx-/.test(basename(file)) && dirname(file) === join(runDir, 'tmp');
  const files = filesBelow(runDir, skip);
  if (existsSync(hostLogFile)) files.push(hostLogFile);
  const texts = [
    { where: 'emulator output', text: captured.emulator.join('\n') },
    { where: 'browser console', text: captured.browserConsole.join('\n') },
  ];
  return scanForSecrets({ files, texts, base: runDir });
}

/** Tears down everything this run started; each step runs even when an earlier one fails. */
const cleanups = [];
async function cleanUp() {
  while (cleanups.length) {
    const step = cleanups.pop();
    try {
      await step();
    } catch (error) {
      say(`cleanup: ${error instanceof Error ? error.message : error}`);
    }
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    say(`${sig}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

function run(cmd, args, options) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

/** A loopback HTTP endpoint through which tests ask for browser actions, one at a time. */
async function startDriverEndpoint(actions) {
  let queue = Promise.resolve();
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/action') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      queue = queue.then(async () => {
        let answer;
        try {
          const { action, args } = JSON.parse(body);
          const perform = Object.hasOwn(actions, action) ? actions[action] : undefined;
          if (!perform) throw new Error(`unknown action "${action}"; known: ${Object.keys(actions).join(', ')}`);
          const begun = Date.now();
          answer = { ok: true, result: (await perform(args ?? {})) ?? null };
          const ms = Date.now() - begun;
          if (ms > 5000 || opts.verbose) say(`browser action ${action} took ${ms} ms`);
        } catch (error) {
          // Playwright's call log (what the locator matched, what kept it from acting) follows its first line.
          const lines = error instanceof Error ? stripVTControlCharacters(error.message).split('\n').filter((line) => line.trim()) : [String(error)];
          answer = { ok: false, error: lines.slice(0, 16).join('\n') };
          say(`browser action failed: ${answer.error}`);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
  });
  await /** @type {Promise<void>} */ (new Promise((ok) => server.listen(0, '127.0.0.1', () => ok())));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${port}`, close: () => /** @type {Promise<void>} */ (new Promise((ok) => server.close(() => ok()))) };
}

/** @returns {Promise<RunResult>} */
async function main() {
  if (!existsSync(suitePath)) throw new Error(`no suite at ${suitePath}: run \`npm run build:tests\` first`);
  if (!opts.vsix && !existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new Error('no dist/extension.js: run `npm run build` first');
  requireChromium();
  const host = await ensureHost({ log: (line) => say(`install: ${line}`) });

  const runDir = mkdtempSync(join(tmpdir(), 'orvt-'));
  const keepRunDir = opts.keep;
  cleanups.push(async () => {
    if (keepRunDir) say(`run folder kept: ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  });
  // Runs once every process has ended and flushed its files, just before the folder goes.
  cleanups.push(async () => {
    try {
      secretScan = await scanRunForSecrets(runDir, join(logsDir, `${suiteName}-host.log`));
    } catch (error) {
      secretScan = { error: error instanceof Error ? error.message : String(error) };
    }
  });
  // The last look: anything still carrying this run's tag ends here.
  cleanups.push(async () => {
    const ended = await endProcessesOfRun([], tag);
    if (ended) say(`ended ${ended} leftover process(es)`);
  });
  const workspace = join(runDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# Test workspace\n');
  mkdirSync(logsDir, { recursive: true });
  /** @type {NodeJS.ProcessEnv} */
  const baseEnv = runEnvironment(runDir, tag);
  // The developer's own key or endpoint must not leak into a test run.
  for (const name of Object.keys(baseEnv)) if (name.startsWith('OPENROUTER_')) delete baseEnv[name];

  /** @type {Record<string, string>} */
  const extensionEnvironment = { VSCODE_TEST_SCREENSHOTS: screenshotDir };
  /** @type {Record<string, unknown>} */
  const userSettings = {};
  if (existsSync(join(repoRoot, 'test', 'emulator', 'cli.ts'))) {
    const emulator = await startEmulatorProcess({
      repoRoot,
      env: baseEnv,
      log: (line) => {
        captured.emulator.push(line);
        say(`emulator: ${line}`);
      },
    });
    cleanups.push(emulator.stop);
    say(`emulator at ${emulator.baseUrl}`);
    Object.assign(extensionEnvironment, { OPENROUTER_BASE_URL: emulator.baseUrl, OPENROUTER_TEST_BASE_URL: emulator.baseUrl });
    // The installed extension (production mode) ignores OPENROUTER_BASE_URL: it finds the emulator as a user
    // would, through openrouter.baseUrl in the user settings (loopback http is allowed there).
    if (opts.vsix) userSettings['openrouter.baseUrl'] = emulator.baseUrl;
    // A hostile repository: the workspace's settings point the key at a second (HTTPS) emulator. It must
    // never see a request; the suite checks its counters (test/integration/workspaceSettings.test.ts).
    const decoy = await startEmulatorProcess({ repoRoot, env: baseEnv, extraArgs: ['--tls', '--ca-out', join(runDir, 'decoy-ca.pem')], log: (line) => say(`decoy emulator: ${line}`) });
    cleanups.push(decoy.stop);
    say(`decoy emulator at ${decoy.baseUrl} (named in the workspace's settings)`);
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), `{\n  // As a cloned repository could: send the key elsewhere.\n  "openrouter.baseUrl": ${JSON.stringify(decoy.baseUrl)},\n}\n`);
    Object.assign(extensionEnvironment, { OPENROUTER_TEST_DECOY_BASE_URL: decoy.baseUrl, OPENROUTER_TEST_DECOY_CA_FILE: decoy.ca });
    // The installed extension must ignore the emulator's variables: here they name the decoy and trust its CA.
    if (opts.vsix) Object.assign(extensionEnvironment, { OPENROUTER_BASE_URL: decoy.baseUrl, OPENROUTER_CA_FILE: decoy.ca });
  } else {
    say('no emulator yet (test/emulator/cli.ts): running without one');
  }
  if (opts.grep) extensionEnvironment.VSCODE_TEST_GREP = opts.grep;

  if (opts.vsix) {
    const vsix = resolve(repoRoot, opts.vsix);
    say(`installing ${vsix} into the test VS Code`);
    const out = await run(host.nodeBin, [host.codeServerEntry, '--install-extension', vsix, '--extensions-dir', join(runDir, 'extensions'), '--user-data-dir', join(runDir, 'user-data')], { env: baseEnv, cwd: runDir });
    for (const line of out.split('\n')) if (line.trim()) say(`install-extension: ${line.trim()}`);
  }

  // Another extension's language model tool, for the agent tools' suite: installed as a user would have it (the
  // server takes one development extension only).
  if (!opts.vsix) cpSync(join(repoRoot, 'test', 'vscode-host', 'fixtures', 'lm-tool-extension'), join(runDir, 'extensions', 'openrouter-test.lm-tool-fixture-0.0.0'), { recursive: true });

  // The server's process tree sees an OS certificate store that also trusts the suite's TLS-inspecting squid.
  const osTrust = prepareOsTrust(runDir);
  if (osTrust.unavailable) say(`OS certificate store unchanged (${osTrust.unavailable}): the TLS-inspecting proxy test will fail`);
  else {
    Object.assign(extensionEnvironment, { OPENROUTER_TEST_OS_CA_CERT_FILE: osTrust.caCertFile, OPENROUTER_TEST_OS_CA_KEY_FILE: osTrust.caKeyFile });
    // A machine-wide NODE_EXTRA_CA_CERTS naming the OS bundle would make Node trust it whatever VS Code's settings say.
    delete baseEnv.NODE_EXTRA_CA_CERTS;
  }
  const server = await startServer({ host, runDir, tag, mode: opts.mode, env: baseEnv, settings: userSettings, log: () => {}, wrap: osTrust.wrap });
  cleanups.push(async () => {
    await server.stop();
    if (keepRunDir || process.exitCode) copyFileSync(server.logFile, join(logsDir, `${suiteName}-server.log`));
  });
  say(`VS Code server (${opts.mode}) on ${server.origin}`);
  /** @type {(problem: string) => void} */
  let serverExited = () => {};
  const serverGone = /** @type {Promise<string>} */ (new Promise((ok) => (serverExited = ok)));
  server.child.once('exit', (code, sig) => serverExited(`the VS Code server exited (${sig ?? code}) during the run`));

  let peakMb = { server: 0, all: 0 };
  const sampler = setInterval(() => {
    peakMb = { server: Math.max(peakMb.server, memoryOfRun([server.pid], null)), all: Math.max(peakMb.all, memoryOfRun([], tag)) };
  }, 1000);
  cleanups.push(async () => clearInterval(sampler));

  // The profile lives in the run folder, so the workbench's and webviews' browser storage is scanned for keys too.
  const context = await launchWorkbenchBrowser({ runDir, tag, serviceWorkers: 'allow', onBlocked: (origin) => say(`blocked a request to ${origin}`) });
  cleanups.push(() => Promise.race([context.close(), new Promise((ok) => setTimeout(ok, 10_000))]));
  const page = context.pages()[0] ?? (await context.newPage());

  const driver = await startDriverEndpoint(createActions({ page, screenshotDir }));
  cleanups.push(driver.close);
  extensionEnvironment.VSCODE_TEST_DRIVER_URL = driver.url;

  const logFile = join(logsDir, `${suiteName}-host.log`);
  writeFileSync(logFile, '');
  /** @typedef {{ passed: number, failed: number, skipped: number }} Counts */
  // Set by the host's log lines, in a callback.
  let summary = /** @type {Counts | null} */ (null);
  let marker = /** @type {Counts | null} */ (null);
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    appendFileSync(logFile, `${line}\n`);
    const done = /TESTS_DONE failures=(\d+)(?: passed=(\d+))?(?: skipped=(\d+))?/.exec(line);
    if (done) marker = { failed: Number(done[1]), passed: Number(done[2] ?? 0), skipped: Number(done[3] ?? 0) };
    const counts = new RegExp(`^${suiteName}: (\\d+) passed, (\\d+) failed(?:, (\\d+) skipped)?`).exec(line);
    if (counts) summary = { passed: Number(counts[1]), failed: Number(counts[2]), skipped: Number(counts[3] ?? 0) };
    else if (!done && (opts.verbose || !WORKBENCH_NOISE.some((pattern) => pattern.test(line)))) console.log(level === 'error' ? `  ! ${line}` : `  ${line}`);
  });
  /** @type {(code: number) => void} */
  let exited = () => {};
  const exitCalled = /** @type {Promise<number>} */ (new Promise((ok) => (exited = ok)));
  await page.exposeFunction('codeAutomationExit', (code) => exited(code));
  page.on('pageerror', (error) => appendFileSync(logFile, `[page error] ${error.message}\n`));
  page.on('console', (message) => captured.browserConsole.push(message.text()));
  page.on('crash', () => serverExited('the workbench page crashed'));
  context.on('close', () => serverExited('the browser went away'));

  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [
    // VS Code runs extension tests only next to a development extension: an empty one stands in for the VSIX run.
    ['extensionDevelopmentPath', remote(opts.vsix ? join(repoRoot, 'test', 'vscode-host', 'vsix-suite', 'runner-extension') : repoRoot)],
    ['extensionTestsPath', remote(suitePath)],
    ['extensionEnvironment', JSON.stringify(extensionEnvironment)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = workbenchUrl(server, workspace, payload);
  say(`opening the workbench (${opts.vsix ? 'installed VSIX' : 'development extension'}, suite ${opts.suite})`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });

  const timeoutMs = Number(opts['timeout-ms']);
  let timer;
  const timedOut = /** @type {Promise<string>} */ (new Promise((ok) => (timer = setTimeout(() => ok(`no result within ${timeoutMs / 1000} s`), timeoutMs))));
  cleanups.push(async () => clearTimeout(timer));
  /** @type {{ code?: number, problem?: string }} */
  const outcome = await Promise.race([exitCalled.then((code) => ({ code })), serverGone.then((problem) => ({ problem })), timedOut.then((problem) => ({ problem }))]);
  // Log lines travel separately from the exit call: give a marker still in flight a moment to land.
  for (const deadline = Date.now() + 3000; !marker && !outcome.problem && Date.now() < deadline; ) await new Promise((ok) => setTimeout(ok, 50));

  /** @type {RunResult} */
  const result = { suite: suiteName, passed: summary?.passed ?? marker?.passed ?? 0, failed: summary?.failed ?? marker?.failed ?? 0, skipped: summary?.skipped ?? marker?.skipped ?? 0, ok: false, seconds: 0, peakMemoryMb: peakMb };
  if (outcome.problem) {
    say(`FAILED: ${outcome.problem}`);
    await page.screenshot({ path: join(screenshotDir, `${suiteName}-harness-failure.png`) }).catch(() => {});
    result.failed = Math.max(result.failed, 1);
  } else if (!marker) {
    say(`FAILED: the extension host exited (${outcome.code}) without the completion marker: it crashed or the suite never ran. Host log: ${logFile}`);
    result.failed = Math.max(result.failed, 1);
  } else {
    result.ok = marker.failed === 0 && outcome.code === 0;
    if (marker.failed === 0 && outcome.code !== 0) {
      say(`FAILED: the suite passed but the extension host exited ${outcome.code}`);
      result.failed = 1;
    }
  }
  return result;
}

/** @type {RunResult} */
let result;
try {
  result = await main();
} catch (error) {
  say(`FAILED: ${error instanceof Error ? error.message : error}`);
  result = { suite: suiteName, passed: 0, failed: 1, skipped: 0, ok: false, error: String(error) };
}
process.exitCode = result.ok ? 0 : 1;
await cleanUp();
// A leak (or a scan that could not run) fails the run; the test counts stay the tests' own.
if (secretScan && 'error' in secretScan) {
  say(`FAILED: the secrets scan did not run: ${secretScan.error}`);
  result.secrets = { error: secretScan.error };
  result.ok = false;
} else if (secretScan) {
  const { occurrences, files, outputs, findings } = secretScan;
  result.secrets = { occurrences, files, outputs, foundIn: findings };
  console.log(`secrets: ${occurrences} occurrences in ${files} files (and ${outputs} captured outputs)`);
  for (const finding of findings) say(`FAILED: a test key appears ${finding.occurrences} time(s) in ${finding.where}`);
  if (occurrences > 0) result.ok = false;
}
result.seconds = Math.round((Date.now() - started) / 100) / 10;
say(`${result.ok ? 'passed' : 'FAILED'} in ${result.seconds} s; peak memory ${result.peakMemoryMb?.all ?? '?'} MB (VS Code server ${result.peakMemoryMb?.server ?? '?'} MB)`);
console.log(`${suiteName}: ${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ''}`);
if (opts['result-file']) writeFileSync(resolve(opts['result-file']), JSON.stringify(result));
process.exit(result.ok ? 0 : 1);

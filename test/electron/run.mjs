// Runs the integration suite in a desktop VS Code through @vscode/test-electron (downloads VS Code once,
// or uses VSCODE_EXECUTABLE_PATH), against the local emulator. Browser-driven tests skip themselves here.
// Usage: npm run test:electron [-- --version 1.104.0] [-- --grep text]
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { startEmulatorProcess } from '../vscode-host/emulator.mjs';
import { endProcessesOfRun, RUN_TAG_VAR } from '../vscode-host/processes.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({ options: { version: { type: 'string', default: 'stable' }, grep: { type: 'string' } } });
const say = (line) => console.log(`[electron] ${line}`);
const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up|Failed to get|Failed to download|Failed to fetch/i;

const workspace = mkdtempSync(join(tmpdir(), 'orvt-electron-'));
const env = { ...process.env, [RUN_TAG_VAR]: tag };
for (const name of Object.keys(env)) if (name.startsWith('OPENROUTER_')) delete env[name];
let emulator;
let code = 1;
try {
  emulator = await startEmulatorProcess({ repoRoot, env, log: (line) => say(`emulator: ${line}`) });
  say(`emulator at ${emulator.baseUrl}`);
  const cachePath = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'openrouter-vscode-test', 'vscode-electron');
  mkdirSync(cachePath, { recursive: true });
  code = await runTests({
    ...(process.env.VSCODE_EXECUTABLE_PATH ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH } : { version: opts.version, cachePath }),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', `--user-data-dir=${join(workspace, '.user-data')}`],
    extensionTestsEnv: {
      OPENROUTER_BASE_URL: emulator.baseUrl,
      OPENROUTER_TEST_BASE_URL: emulator.baseUrl,
      [RUN_TAG_VAR]: tag,
      ...(opts.grep ? { VSCODE_TEST_GREP: opts.grep } : {}),
    },
  });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (OFFLINE.test(message) || OFFLINE.test(String(error instanceof Error ? (error.cause ?? '') : ''))) {
    say(`could not download VS Code (${message.split('\n')[0]}).`);
    say('Offline: point VSCODE_EXECUTABLE_PATH at an installed VS Code, or run `npm run test:integration` (code-server + Chromium, no download).');
  } else {
    say(`failed: ${message}`);
  }
  code = 1;
} finally {
  await emulator?.stop();
  await endProcessesOfRun([], tag);
  rmSync(workspace, { recursive: true, force: true });
}
process.exit(code === 0 ? 0 : 1);

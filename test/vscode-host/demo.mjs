// The demo VS Code (`npm start`, `npm run screenshots`): the packaged extension installed into the real VS Code
// embedded in code-server, served on 127.0.0.1, as a user has it: notifications shown and VS Code's own chat
// on, so the OpenRouter models are listed in its Language Models editor. Without OPENROUTER_API_KEY the
// extension talks to the local OpenRouter emulator.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { startEmulatorProcess } from './emulator.mjs';
import { ensureHost } from './install.mjs';
import { endProcessesOfRun } from './processes.mjs';
import { runEnvironment, startServer } from './server.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What the demo changes from the tests' quiet settings (server.mjs BASE_SETTINGS). */
export const DEMO_SETTINGS = { 'chat.disableAIFeatures': false };

/**
 * Packages and installs the extension, starts the emulator (unless OPENROUTER_API_KEY is set) and the VS Code
 * server. `profileDir` keeps settings and state between runs; `settings` adds user settings.
 * Resolves to `{ url, emulator, stop, onExit }`; `stop()` ends every process it started.
 */
export async function startDemo({ port = 0, profileDir = join(repoRoot, '.cache', 'vscode-start'), settings = /** @type {Record<string, unknown>} */ ({}), say = (/** @type {string} */ _text) => {} } = {}) {
  const tag = `demo-${process.pid}-${randomBytes(4).toString('hex')}`;
  const stops = [];
  const stop = async () => {
    for (const each of stops.splice(0).reverse()) await each().catch((error) => say(`stop: ${error.message}`));
    await endProcessesOfRun([], tag).catch(() => {});
  };
  try {
    // VS Code's web workbench loads a development extension only under its test driver, which also hides
    // every notification: the demo installs the packaged extension instead.
    say('packaging the extension...');
    const packaged = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8' });
    if (packaged.status !== 0) throw new Error(`packaging failed:\n${packaged.stdout}\n${packaged.stderr}`);
    const host = await ensureHost({ log: (line) => say(`install: ${line}`) });
    const workspace = join(profileDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    if (!existsSync(join(workspace, 'README.md'))) writeFileSync(join(workspace, 'README.md'), '# Scratch workspace for `npm start`\n');

    // The extension host inherits the server's environment: the key travels there, never in the printed URL.
    // Homes and sockets go to a short temp path (a unix socket path has ~100 characters at most).
    const tempDir = mkdtempSync(join(tmpdir(), 'orvt-start-'));
    stops.push(async () => rmSync(tempDir, { recursive: true, force: true }));
    const env = runEnvironment(tempDir, tag);
    let emulator;
    if (process.env.OPENROUTER_API_KEY) {
      say('OPENROUTER_API_KEY is set: the extension talks to OpenRouter.');
    } else {
      for (const name of Object.keys(env)) if (name.startsWith('OPENROUTER_')) delete env[name];
      emulator = await startEmulatorProcess({ repoRoot, env, extraArgs: ['--demo-answers', '--demo-catalogue'], log: (line) => say(`emulator: ${line}`) });
      stops.push(emulator.stop);
      // A key the emulator accepts; the status bar and the log say that this is the local emulator. The installed
      // extension ignores OPENROUTER_BASE_URL (development and test runs only): the user settings name the emulator.
      Object.assign(env, { OPENROUTER_API_KEY: 'sk-or-v1-test', OPENROUTER_EMULATOR: '1' });
      say(`no OPENROUTER_API_KEY: using the local OpenRouter emulator at ${emulator.baseUrl} (set the variable to use OpenRouter).`);
      const { DEMO_PRICES_AS_OF } = await tsImport('../emulator/demoModels.ts', import.meta.url);
      say(`its model list is a snapshot of real OpenRouter models with their prices as of ${DEMO_PRICES_AS_OF}; today's are on openrouter.ai/models.`);
    }

    const vsix = join(repoRoot, 'dist', 'openrouter-vscode.vsix');
    const installed = spawnSync(host.nodeBin, [host.codeServerEntry, '--install-extension', vsix, '--force', '--extensions-dir', join(profileDir, 'extensions'), '--user-data-dir', join(profileDir, 'user-data')], { env, cwd: profileDir, encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`installing the VSIX failed:\n${installed.stdout}\n${installed.stderr}`);
    say('installed the packaged extension.');
    const server = await startServer({ host, runDir: profileDir, tag, env, port, settings: { ...DEMO_SETTINGS, ...(emulator ? { 'openrouter.baseUrl': emulator.baseUrl } : {}), ...settings }, smokeTestDriver: false });
    stops.push(server.stop);
    const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}`;
    return { url, emulator, stop, onExit: (listener) => server.child.once('exit', listener) };
  } catch (error) {
    await stop();
    throw error;
  }
}

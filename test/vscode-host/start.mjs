// `npm start`: builds the extension and opens it in the real VS Code embedded in code-server, served on
// 127.0.0.1 for your browser. Without OPENROUTER_API_KEY it runs against the local OpenRouter emulator.
// Usage: npm start [-- --port 3917] [-- --no-build]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulatorProcess } from './emulator.mjs';
import { ensureHost } from './install.mjs';
import { endProcessesOfRun } from './processes.mjs';
import { runEnvironment, startServer } from './server.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({ options: { port: { type: 'string', default: '0' }, 'no-build': { type: 'boolean', default: false } } });
const say = (line) => console.log(`[start] ${line}`);
const tag = `start-${process.pid}-${randomBytes(4).toString('hex')}`;

let stopping = false;
const stops = [];
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) await stop().catch((error) => say(`stop: ${error.message}`));
  await endProcessesOfRun([], tag).catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  if (!opts['no-build']) {
    say('building...');
    const built = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('the build failed');
  }
  const host = await ensureHost({ log: (line) => say(`install: ${line}`) });
  // One profile kept between runs (settings, state) in the git-ignored .cache/.
  const profileDir = join(repoRoot, '.cache', 'vscode-start');
  const workspace = join(profileDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  if (!existsSync(join(workspace, 'README.md'))) writeFileSync(join(workspace, 'README.md'), '# Scratch workspace for `npm start`\n');

  // The extension host inherits the server's environment: the key travels there, never in the printed URL.
  // Homes and sockets go to a short temp path (a unix socket path has ~100 characters at most).
  const tempDir = mkdtempSync(join(tmpdir(), 'orvt-start-'));
  stops.push(async () => rmSync(tempDir, { recursive: true, force: true }));
  const env = runEnvironment(tempDir, tag);
  if (process.env.OPENROUTER_API_KEY) {
    say('OPENROUTER_API_KEY is set: the extension talks to OpenRouter.');
  } else {
    for (const name of Object.keys(env)) if (name.startsWith('OPENROUTER_')) delete env[name];
    const emulator = await startEmulatorProcess({ repoRoot, env, log: (line) => say(`emulator: ${line}`) });
    stops.push(emulator.stop);
    // A key the emulator accepts; the status bar and the log say that this is the local emulator.
    Object.assign(env, { OPENROUTER_BASE_URL: emulator.baseUrl, OPENROUTER_API_KEY: 'sk-or-v1-test', OPENROUTER_EMULATOR: '1' });
    say(`no OPENROUTER_API_KEY: using the local OpenRouter emulator at ${emulator.baseUrl} (set the variable to use OpenRouter).`);
  }

  const server = await startServer({ host, runDir: profileDir, tag, env, port: Number(opts.port) });
  stops.push(server.stop);
  server.child.once('exit', (code) => {
    if (stopping) return;
    say(`the VS Code server exited (${code})`);
    void stopAll(1);
  });
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(repoRoot)],
    ['skipWelcome', 'true'],
  ];
  const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  say('VS Code with the extension is ready (loopback only). Open this URL in your browser:');
  console.log(`\n${url}\n`);
  say('Ctrl+C stops it. After a rebuild (npm run build), reload the page.');
} catch (error) {
  say(`failed: ${error instanceof Error ? error.message : error}`);
  await stopAll(1);
}

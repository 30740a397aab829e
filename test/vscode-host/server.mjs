// Starts the VS Code server embedded in code-server on 127.0.0.1, with every home/temp folder inside one run folder.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endProcessesOfRun, RUN_TAG_VAR } from './processes.mjs';

/** Settings that keep the workbench quiet and offline. */
export const BASE_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** The environment every process of a run gets: homes and temp inside `runDir`, tagged with the run id. */
export function runEnvironment(runDir, tag, extra = {}) {
  const dirs = {
    HOME: join(runDir, 'home'),
    XDG_CONFIG_HOME: join(runDir, 'home', '.config'),
    XDG_DATA_HOME: join(runDir, 'home', '.local', 'share'),
    XDG_CACHE_HOME: join(runDir, 'home', '.cache'),
    XDG_RUNTIME_DIR: join(runDir, 'runtime'),
    TMPDIR: join(runDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const env = { ...process.env, ...dirs, [RUN_TAG_VAR]: tag, ...extra };
  // The server must not inherit a test runner's or an editor's variables that change how Node behaves.
  for (const name of ['NODE_OPTIONS', 'ELECTRON_RUN_AS_NODE', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_PID', 'VSCODE_CWD', 'npm_config_nodedir']) delete env[name];
  return env;
}

/**
 * Starts code-server's VS Code server. `mode: 'server-main'` (default) runs VS Code's own server entry
 * (faster start); `mode: 'code-server'` runs code-server's documented entry point. Resolves when it listens.
 * `smokeTestDriver` (on for tests) gives the test browser VS Code's driver and hides notification toasts; the demo
 * (`npm start`) turns it off so a user sees everything.
 * `wrap(command, args)`, when given, returns the `[command, args]` that runs it (e.g. in a mount namespace, see osTrust.mjs).
 */
export async function startServer({ host, runDir, tag, settings = /** @type {Record<string, unknown>} */ ({}), env, port = 0, mode = 'server-main', log = (/** @type {string} */ _line) => {}, startTimeoutMs = 120_000, wrap = /** @type {((command: string, args: string[]) => [string, string[]]) | undefined} */ (undefined), smokeTestDriver = true }) {
  const userDataDir = join(runDir, 'user-data');
  const serverDataDir = join(runDir, 'server-data');
  const extensionsDir = join(runDir, 'extensions');
  for (const dir of [join(userDataDir, 'User'), join(serverDataDir, 'data', 'Machine'), extensionsDir]) mkdirSync(dir, { recursive: true });
  const allSettings = JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2);
  // code-server reads user settings from the user-data dir; VS Code's server applies the machine settings file.
  writeFileSync(join(userDataDir, 'User', 'settings.json'), allSettings);
  writeFileSync(join(serverDataDir, 'data', 'Machine', 'settings.json'), allSettings);

  // `env` is the whole environment (from runEnvironment): what a caller removed stays removed.
  const serverEnv = { ...(env ?? runEnvironment(runDir, tag)), [RUN_TAG_VAR]: tag, EXTENSIONS_GALLERY: '{}' };
  // code-server's patch of VS Code's server points `asExternalUri` at a /proxy/<port>/ route that only code-server's
  // own HTTP layer serves. Alone, the server has none: an empty template leaves addresses on this machine as they
  // are, as VS Code's own server and desktop VS Code do.
  if (mode !== 'code-server') serverEnv.VSCODE_PROXY_URI ??= '';
  const args =
    mode === 'code-server'
      ? [
          host.codeServerEntry,
          '--config', join(runDir, 'config.yaml'),
          '--bind-addr', `127.0.0.1:${port}`,
          '--auth', 'none',
          '--user-data-dir', userDataDir,
          '--extensions-dir', extensionsDir,
          '--disable-telemetry',
          '--disable-update-check',
          '--disable-workspace-trust',
          '--disable-getting-started-override',
          '--disable-proxy',
          '--ignore-last-opened',
          ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
        ]
      : [
          host.serverMain,
          '--host', '127.0.0.1',
          '--port', String(port),
          '--without-connection-token',
          '--accept-server-license-terms',
          ...(smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
          '--disable-telemetry',
          '--telemetry-level', 'off',
          '--user-data-dir', userDataDir,
          '--server-data-dir', serverDataDir,
          '--extensions-dir', extensionsDir,
        ];
  if (mode === 'code-server') writeFileSync(join(runDir, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const logFile = join(runDir, 'server.log');
  const logStream = createWriteStream(logFile);
  const [command, commandArgs] = wrap ? wrap(host.nodeBin, args) : [host.nodeBin, args];
  const child = spawn(command, commandArgs, { env: serverEnv, cwd: runDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const listening = mode === 'code-server' ? /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/ : /Extension host agent listening on (\d+)/;

  let stopped = false;
  const stop = async () => {
    if (stopped) return 0;
    stopped = true;
    const ended = await endProcessesOfRun([child.pid], tag);
    logStream.end();
    return ended;
  };

  const listeningPort = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`the server did not listen within ${startTimeoutMs} ms; see ${logFile}`)), startTimeoutMs);
    const onData = (chunk) => {
      logStream.write(chunk);
      const text = chunk.toString();
      for (const line of text.split('\n')) if (line.trim()) log(line);
      buffer = (buffer + text).slice(-2000);
      const match = listening.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${sig ?? code}) before listening; see ${logFile}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });

  return { port: listeningPort, origin: `http://127.0.0.1:${listeningPort}`, pid: child.pid, userDataDir, extensionsDir, logFile, child, stop };
}

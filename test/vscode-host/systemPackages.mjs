// The Debian packages the tests and the VS Code test host need, checked with dpkg-query and installed with
// apt-get when this process may (root, or password-less sudo), saying what it installs. Otherwise it stops
// with one message giving the exact command to run. `npm test`, `npm start` and `npm run setup` use it.
import { spawn, spawnSync } from 'node:child_process';

/**
 * Every package, what needs it (`tests`: the test stages; `host`: building the VS Code host), whether the system
 * suite (`npm run test:system`, real nginx and squid) needs it too, and why.
 */
export const SYSTEM_PACKAGES = [
  { name: 'chromium', for: 'tests', why: 'the browser the VS Code tests drive' },
  { name: 'nginx-light', for: 'tests', system: true, why: 'the TLS and HTTP/2 server the network tests start on loopback' },
  { name: 'squid-openssl', for: 'tests', system: true, why: 'the forward proxy (basic auth, TLS interception) the proxy tests start' },
  { name: 'openssl', for: 'tests', system: true, why: 'makes the test certificate authority' },
  { name: 'ca-certificates', for: 'tests', system: true, why: 'the system CA bundle the proxy tests extend' },
  { name: 'build-essential', for: 'host', why: "compiles code-server's native modules" },
  { name: 'pkg-config', for: 'host', why: "finds libraries for code-server's native modules" },
  { name: 'python3', for: 'host', why: 'runs node-gyp' },
  { name: 'libkrb5-dev', for: 'host', why: "headers for VS Code's kerberos module" },
];

/** Package names for the given needs (`system`: only what the system suite needs), in the list's order. */
export function packagesFor({ tests = false, host = false, system = false } = {}) {
  return SYSTEM_PACKAGES.filter((p) => (p.for === 'tests' && tests) || (p.for === 'host' && host) || (p.system && system)).map((p) => p.name);
}

/** The command a user runs to install `names`. */
export function installCommand(names) {
  return `sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`;
}

function describe(names) {
  return names.map((name) => `${name} (${SYSTEM_PACKAGES.find((p) => p.name === name)?.why ?? 'needed'})`).join(', ');
}

/** The names dpkg does not list as installed; undefined where there is no dpkg (not Debian or Ubuntu). */
export function missingPackages(names, { env = process.env } = {}) {
  const missing = [];
  for (const name of names) {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { env, encoding: 'utf8' });
    if (result.error) return undefined;
    if (result.status !== 0 || !result.stdout.includes('install ok installed')) missing.push(name);
  }
  return missing;
}

/** `[]` as root, `['sudo', '-n']` when password-less sudo works, undefined when neither. */
function privilege(env) {
  if (process.getuid?.() === 0) return [];
  const sudo = spawnSync('sudo', ['-n', 'true'], { env, stdio: 'ignore' });
  return !sudo.error && sudo.status === 0 ? ['sudo', '-n'] : undefined;
}

function run(argv, env) {
  return /** @type {Promise<void>} */ (new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk).slice(-3000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${argv.join(' ')} failed (exit ${code}):\n${tail.trim()}`))));
  }));
}

/** Thrown when packages are missing and this process may not install them; its message says what to run. */
export class MissingSystemPackages extends Error {
  constructor(names, purpose) {
    super(`${purpose} needs Debian packages that are not installed: ${describe(names)}.\nInstall them, then run it again:\n\n  ${installCommand(names)}\n`);
    this.name = 'MissingSystemPackages';
    this.packages = names;
  }
}

/**
 * Installs what of `names` is missing (apt-get as root or through password-less sudo), logging what and why.
 * Resolves to the names it installed. Throws MissingSystemPackages when it may not install them, and says
 * nothing where dpkg is absent (another system: its packages are the user's to provide).
 */
export async function ensureSystemPackages(names, { purpose = 'This', log = (line) => console.log(`[setup] ${line}`), env = process.env } = {}) {
  const missing = missingPackages(names, { env });
  if (!missing) {
    log(`no dpkg here: make sure these (Debian names) or their equivalents are installed: ${names.join(' ')}`);
    return [];
  }
  if (missing.length === 0) return [];
  const prefix = privilege(env);
  if (!prefix) throw new MissingSystemPackages(missing, purpose);
  const started = Date.now();
  log(`installing Debian packages ${purpose} needs: ${describe(missing)}`);
  log(`running: ${[...prefix, 'apt-get', 'install', '-y', ...missing].join(' ')}`);
  await run([...prefix, 'apt-get', 'update', '-qq'], env);
  await run([...prefix, 'apt-get', 'install', '-y', '-qq', ...missing], env);
  const still = missingPackages(missing, { env }) ?? [];
  if (still.length) throw new Error(`apt-get finished but these are still not installed: ${still.join(' ')}`);
  log(`installed ${missing.join(' ')} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return missing;
}

// The set-up `npm test` and `npm start` run first (test/vscode-host/setup.mjs, systemPackages.mjs, install.mjs):
// missing Debian packages are installed or named in one command, and the VS Code host's npm sees its own Node.
// dpkg-query, apt-get and sudo are small scripts on PATH standing in for a machine where a package is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repoRoot = resolve(__dirname, '..', '..');

// The set-up scripts are plain ES modules (with top-level await), loaded as Node loads them.
interface SetupModules {
  hostInstallEnvironment(env: NodeJS.ProcessEnv, nodeBinDir?: string): NodeJS.ProcessEnv;
  ensureSystemPackages(names: string[], options: { purpose?: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void }): Promise<string[]>;
}
async function setupModules(): Promise<SetupModules> {
  const load = (file: string): Promise<Partial<SetupModules>> => import(pathToFileURL(join(repoRoot, 'test', 'vscode-host', file)).href);
  return { ...(await load('install.mjs')), ...(await load('systemPackages.mjs')) } as SetupModules;
}

/** A folder of stand-ins: dpkg-query reports the packages listed in `missing` as absent; apt-get logs and installs. */
function fakeMachine(missing: string[], { sudo }: { sudo: 'fails' | 'runs' }): { dir: string; bin: string; aptLog: string } {
  const dir = mkdtempSync(join(tmpdir(), 'orvt-setup-'));
  chmodSync(dir, 0o755);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const state = join(dir, 'missing');
  const aptLog = join(dir, 'apt.log');
  writeFileSync(state, missing.map((name) => `${name}\n`).join(''), { mode: 0o666 });
  const script = (name: string, body: string): void => writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  script('dpkg-query', `name="$3"; if grep -qx "$name" '${state}'; then echo "dpkg-query: no packages found matching $name" >&2; exit 1; fi; printf 'install ok installed'`);
  script('apt-get', `echo "$*" >> '${aptLog}'; if [ "$1" = install ]; then for p in "$@"; do grep -vx -- "$p" '${state}' > '${state}.new'; cat '${state}.new' > '${state}'; done; fi`);
  script('sudo', sudo === 'runs' ? `[ "$1" = -n ] && shift; exec "$@"` : 'echo "sudo: a password is required" >&2; exit 1');
  return { dir, bin, aptLog };
}

const withPath = (bin: string): NodeJS.ProcessEnv => ({ ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` });

describe('npm test and npm start set-up', function () {
  this.timeout(60_000);

  it('without root or password-less sudo, stops before anything with one message giving the exact apt-get command', () => {
    const machine = fakeMachine(['nginx-light', 'libkrb5-dev'], { sudo: 'fails' });
    try {
      const env = { ...withPath(machine.bin), XDG_CACHE_HOME: join(machine.dir, 'cache') };
      // As root, the check runs as the unprivileged user `nobody`, as a newcomer's shell would.
      const drop = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
      const argv = [...drop, process.execPath, 'test/vscode-host/setup.mjs', '--purpose', 'npm test'];
      const result = spawnSync(argv[0]!, argv.slice(1), { cwd: repoRoot, env, encoding: 'utf8' });
      assert.equal(result.status, 1, result.stdout + result.stderr);
      assert.match(result.stderr, /npm test needs Debian packages that are not installed: nginx-light \(.+\), libkrb5-dev \(.+\)\./);
      assert.ok(result.stderr.includes('\n  sudo apt-get update && sudo apt-get install -y nginx-light libkrb5-dev\n'), result.stderr);
      assert.equal(result.stderr.match(/apt-get install/g)?.length, 1, 'one command');
      assert.doesNotMatch(result.stdout, /install: /, 'the VS Code host install did not start');
      assert.throws(() => readFileSync(machine.aptLog), 'apt-get never ran');
    } finally {
      rmSync(machine.dir, { recursive: true, force: true });
    }
  });

  it('before the system suite (npm run test:system), asks only for what its nginx and squid tests need', () => {
    const machine = fakeMachine(['squid-openssl', 'chromium', 'libkrb5-dev'], { sudo: 'fails' });
    try {
      const env = { ...withPath(machine.bin), XDG_CACHE_HOME: join(machine.dir, 'cache') };
      const drop = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
      const argv = [...drop, process.execPath, 'test/vscode-host/setup.mjs', '--system-suite', '--purpose', 'npm run test:system'];
      const result = spawnSync(argv[0]!, argv.slice(1), { cwd: repoRoot, env, encoding: 'utf8' });
      assert.equal(result.status, 1, result.stdout + result.stderr);
      assert.match(result.stderr, /npm run test:system needs Debian packages that are not installed: squid-openssl \(the forward proxy .+\)\./);
      assert.ok(result.stderr.includes('\n  sudo apt-get update && sudo apt-get install -y squid-openssl\n'), result.stderr);
      assert.doesNotMatch(result.stdout, /install: /, 'no VS Code host for the system suite');
    } finally {
      rmSync(machine.dir, { recursive: true, force: true });
    }
  });

  it('with the rights to, installs exactly the missing packages with apt-get, saying which and why', async () => {
    const machine = fakeMachine(['nginx-light'], { sudo: 'runs' });
    try {
      const { ensureSystemPackages } = await setupModules();
      const said: string[] = [];
      const installed = await ensureSystemPackages(['chromium', 'nginx-light', 'openssl'], { purpose: 'npm test', env: withPath(machine.bin), log: (line: string) => said.push(line) });
      assert.deepEqual(installed, ['nginx-light']);
      assert.deepEqual(readFileSync(machine.aptLog, 'utf8').trim().split('\n'), ['update -qq', 'install -y -qq nginx-light']);
      assert.match(said.join('\n'), /installing Debian packages npm test needs: nginx-light \(the TLS and HTTP\/2 server the network tests start on loopback\)/);
      assert.match(said.join('\n'), /running: (sudo -n )?apt-get install -y nginx-light/);
      // Once installed, nothing more is asked for.
      assert.deepEqual(await ensureSystemPackages(['chromium', 'nginx-light'], { env: withPath(machine.bin), log: () => {} }), []);
    } finally {
      rmSync(machine.dir, { recursive: true, force: true });
    }
  });

  it("the host's npm, started from inside another npm, reports the Node it runs on to code-server's postinstall", async () => {
    const { hostInstallEnvironment } = await setupModules();
    const project = mkdtempSync(join(tmpdir(), 'orvt-agent-'));
    try {
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'agent', private: true, scripts: { agent: 'echo "agent: $npm_config_user_agent"' } }));
      // What `npm start` on Node 18 would leave in the environment of everything it runs.
      const outer = {
        ...process.env,
        npm_config_user_agent: 'npm/10.8.2 node/v18.20.4 linux x64 workspaces/false',
        npm_config_registry: 'https://registry.npmjs.org/',
        npm_lifecycle_event: 'start',
        NODE: '/opt/node18/bin/node',
        INIT_CWD: repoRoot,
        PATH: `${join(repoRoot, 'node_modules', '.bin')}${delimiter}/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin${delimiter}${process.env.PATH ?? ''}`,
      };
      const nodeDir = dirname(process.execPath);
      const agent = (env: NodeJS.ProcessEnv): string => spawnSync('npm', ['run', '-s', 'agent'], { cwd: project, env, encoding: 'utf8' }).stdout.trim();
      assert.match(agent(outer), /node\/v18\.20\.4/, 'inherited as is, the outer Node is what the postinstall sees');
      assert.match(agent(hostInstallEnvironment(outer, nodeDir)), new RegExp(`^agent: npm/\\S+ node/${process.version.replace(/\./g, '\\.')} `));

      const clean = hostInstallEnvironment(outer, nodeDir);
      assert.equal(clean.PATH?.split(delimiter)[0], nodeDir, 'the host Node comes first');
      assert.ok(!clean.PATH?.split(delimiter).some((dir) => dir.endsWith(join('node_modules', '.bin')) || dir.endsWith('node-gyp-bin')), clean.PATH);
      assert.deepEqual([clean.NODE, clean.INIT_CWD, clean.npm_lifecycle_event, clean.npm_config_user_agent], [undefined, undefined, undefined, undefined]);
      assert.equal(clean.npm_config_registry, 'https://registry.npmjs.org/', 'a registry mirror set in the environment still applies');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

// Debian's squid (package squid-openssl) as a real forward proxy on loopback for tests: its own config, logs,
// pid file and certificate database in a temporary folder; optionally basic authentication (an htpasswd file
// checked by squid's basic_ncsa_auth) and TLS interception (ssl-bump with a CA the test provides, the way a
// corporate inspecting proxy works). Started with `squid -N` (no daemon) and stopped by its pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../freePort';

export const SQUID = '/usr/sbin/squid';
const HELPERS = '/usr/lib/squid';

export interface SquidOptions {
  /** Demand `Proxy-Authorization: Basic …` for these credentials (407 otherwise). */
  basicAuth?: { user: string; password: string };
  /** Intercept TLS: mint a certificate for each destination with this CA (PEM files), trust origins signed by `upstreamCaFile`. */
  bump?: { caCertFile: string; caKeyFile: string; upstreamCaFile: string };
}

export interface SquidAccess {
  /** e.g. `TCP_DENIED/407`, `NONE_NONE/200`, `TCP_MISS/200`. */
  result: string;
  method: string;
  /** `host:port` for CONNECT, the full URL of a request squid read (a bumped one: `https://…`). */
  url: string;
  /** The authenticated user, or `-`. */
  user: string;
}

export interface Squid {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The access log so far (squid writes a CONNECT line when its tunnel closes, a request's when it ends). */
  accessLog(): SquidAccess[];
  stop(): Promise<void>;
}

/** Why squid cannot run here, or undefined when it can. */
export function squidUnavailable(): string | undefined {
  if (!existsSync(SQUID)) return `${SQUID} is missing (apt-get install squid-openssl)`;
  return undefined;
}

/** `Basic base64(user:password)`, the value of `http.proxyAuthorization` for these credentials. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args[0] ?? ''} failed: ${result.stderr || result.error?.message || result.status}`);
  return result.stdout;
}

/** Squid started as root drops to `cache_effective_user` (Debian's `proxy`), which must own its folder. */
function proxyUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('proxy:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('squid runs as the user "proxy", which does not exist (it comes with the squid-common package)');
  return { uid: Number(uid), gid: Number(gid) };
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}

function config(dir: string, port: number, options: SquidOptions): string {
  const lines = [
    options.bump
      ? `http_port 127.0.0.1:${port} ssl-bump tls-cert=${options.bump.caCertFile} tls-key=${options.bump.caKeyFile} generate-host-certificates=on dynamic_cert_mem_cache_size=4MB`
      : `http_port 127.0.0.1:${port}`,
    `pid_filename ${join(dir, 'squid.pid')}`,
    `access_log stdio:${join(dir, 'access.log')} squid`,
    `cache_log ${join(dir, 'cache.log')}`,
    'cache_store_log none',
    'cache deny all',
    `coredump_dir ${dir}`,
    'pinger_enable off',
    'shutdown_lifetime 0 seconds',
    // The tests' destinations are on loopback, on any port.
    'acl loopback_destination dst 127.0.0.0/8 ::1',
  ];
  if (options.bump) {
    lines.push(
      `sslcrtd_program ${HELPERS}/security_file_certgen -s ${join(dir, 'ssl_db')} -M 4MB`,
      'sslcrtd_children 2 startup=1 idle=1',
      'acl step1 at_step SslBump1',
      'acl step2 at_step SslBump2',
      // Peek at the client's hello, stare at the origin's certificate, then bump: squid answers with a
      // certificate for the destination signed by its own CA, as inspecting proxies do.
      'ssl_bump peek step1',
      'ssl_bump stare step2',
      'ssl_bump bump all',
      `tls_outgoing_options cafile=${options.bump.upstreamCaFile}`,
    );
  }
  if (options.basicAuth) {
    lines.push(
      `auth_param basic program ${HELPERS}/basic_ncsa_auth ${join(dir, 'htpasswd')}`,
      'auth_param basic children 2 startup=1 idle=1',
      'auth_param basic realm OpenRouter test proxy',
      'acl authenticated proxy_auth REQUIRED',
      'http_access deny !authenticated',
    );
  }
  lines.push('http_access allow localhost loopback_destination', 'http_access deny all');
  return `${lines.join('\n')}\n`;
}

function parseAccessLog(text: string): SquidAccess[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      // time elapsed client result/status bytes method url user hierarchy type
      const fields = line.trim().split(/\s+/);
      return { result: fields[3] ?? '', method: fields[5] ?? '', url: fields[6] ?? '', user: fields[7] ?? '' };
    });
}

export async function startSquid(options: SquidOptions = {}): Promise<Squid> {
  const unavailable = squidUnavailable();
  if (unavailable) throw new Error(unavailable);
  const owner = proxyUser();
  // Squid started as root works as the user `proxy`, which must reach its folder: the run's own temp folder
  // may be private to root, so then the folder goes directly under /tmp.
  const dir = mkdtempSync(join(owner ? '/tmp' : tmpdir(), 'squid-test-'));
  chmodSync(dir, 0o755);
  if (options.bump) {
    // Squid's helpers read the CA files as `proxy` too: they get copies in squid's folder.
    const own = (file: string, name: string): string => {
      copyFileSync(file, join(dir, name));
      return join(dir, name);
    };
    options = { ...options, bump: { caCertFile: own(options.bump.caCertFile, 'bump-ca.pem'), caKeyFile: own(options.bump.caKeyFile, 'bump-ca.key'), upstreamCaFile: own(options.bump.upstreamCaFile, 'upstream-ca.pem') } };
  }
  if (options.basicAuth) {
    const hash = run('openssl', ['passwd', '-apr1', '-stdin'], `${options.basicAuth.password}\n`).trim();
    writeFileSync(join(dir, 'htpasswd'), `${options.basicAuth.user}:${hash}\n`);
  }
  if (options.bump) run(`${HELPERS}/security_file_certgen`, ['-c', '-s', join(dir, 'ssl_db'), '-M', '4MB']);
  if (owner) chownTree(dir, owner.uid, owner.gid);

  let lastError: Error | undefined;
  // The port is chosen free just before squid binds it; another process could take it in between.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    writeFileSync(join(dir, 'squid.conf'), config(dir, port, options));
    const child = spawn(SQUID, ['-N', '-d', '1', '-f', join(dir, 'squid.conf')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await ready(child);
      return handle(child, dir, port);
    } catch (error) {
      lastError = error as Error;
      await stopChild(child);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError ?? new Error('squid did not start');
}

/** Resolves when squid says it accepts connections; rejects with its last lines when it dies first. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`squid did not start within 30 s:\n${output.slice(-2000)}`)), 30_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      reject(error);
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Accepting (SSL bumped )?HTTP Socket connections/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`squid exited (${signal ?? code}) before accepting connections:\n${output.slice(-2000)}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function handle(child: ChildProcess, dir: string, port: number): Squid {
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    accessLog: () => {
      const file = join(dir, 'access.log');
      return existsSync(file) ? parseAccessLog(readFileSync(file, 'utf8')) : [];
    },
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

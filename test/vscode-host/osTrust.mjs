// The operating system's certificate store as the VS Code server's process tree sees it: Debian's bundle plus a
// test CA (the CA of the suite's TLS-inspecting squid), bind-mounted over /etc/ssl/certs/ca-certificates.crt in a
// private mount namespace. Nothing under /etc/ssl is written; other processes keep seeing the real file.
// VS Code reads that file (Node's tls.getCACertificates('system') on Linux, or @vscode/proxy-agent directly).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const OS_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * Makes the test CA and the bundle copy in `runDir`. Returns `{ caCertFile, caKeyFile, wrap }` where
 * `wrap(command, args)` gives the command line that runs `command` inside the namespace, or `{ unavailable }`
 * with the reason (not root, no unshare, no bundle).
 */
export function prepareOsTrust(runDir) {
  if (process.platform !== 'linux') return { unavailable: 'a private mount namespace needs Linux' };
  if (process.getuid?.() !== 0) return { unavailable: 'bind-mounting over the OS certificate bundle in a private mount namespace needs root' };
  if (!existsSync(OS_BUNDLE)) return { unavailable: `${OS_BUNDLE} does not exist (package ca-certificates)` };
  const probe = spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']);
  if (probe.status !== 0) return { unavailable: `unshare --mount failed: ${probe.stderr?.toString().trim() || probe.error?.message}` };
  const dir = join(runDir, 'os-trust');
  mkdirSync(dir, { recursive: true });
  const caCertFile = join(dir, 'inspection-ca.pem');
  const caKeyFile = join(dir, 'inspection-ca.key');
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=OpenRouter Test Inspecting Proxy CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', caKeyFile, '-out', caCertFile,
  ]);
  if (made.status !== 0) return { unavailable: `openssl could not make the test CA: ${made.stderr?.toString().trim() || made.error?.message}` };
  const bundle = join(dir, 'ca-certificates.crt');
  writeFileSync(bundle, `${readFileSync(OS_BUNDLE, 'utf8').trimEnd()}\n${readFileSync(caCertFile, 'utf8')}`);
  /** @type {(command: string, args: string[]) => [string, string[]]} */
  const wrap = (command, args) => [
    'unshare',
    ['--mount', '--propagation', 'private', '--', 'sh', '-c', `mount --bind "$0" ${OS_BUNDLE} && exec "$@"`, bundle, command, ...args],
  ];
  return { caCertFile, caKeyFile, wrap };
}

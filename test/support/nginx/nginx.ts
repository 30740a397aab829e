// Debian's nginx as a TLS + HTTP/2 reverse proxy in front of the emulator, the way a CDN or gateway fronts
// OpenRouter: it closes connections after `keepalive_requests` and when idle for `keepalive_timeout`.
// Each instance has its own prefix, config, pid file and logs in a temp dir, and is stopped by its pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeServerCertificate } from '../../emulator/tls';
import { freePort } from '../freePort';
import { waitFor } from '../waitFor';

export interface NginxOptions {
  /** Port of the plain-HTTP upstream on 127.0.0.1 (the emulator). */
  upstreamPort: number;
  keepaliveRequests?: number;
  keepaliveTimeout?: string;
  /** Offer HTTP/2 by ALPN (the default); false serves HTTP/1.1 only, like a proxy without h2. */
  http2?: boolean;
}

export interface Nginx {
  /** `https://localhost:PORT/api/v1`. */
  baseUrl: string;
  /** PEM of the CA that signed nginx's certificate. */
  ca: string;
  pid: number;
  /** The error log so far, for a failing test's message. */
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

const NGINX = '/usr/sbin/nginx';

/** Whether Debian's nginx with the ssl and http_v2 modules is installed (nginx-light has both). */
export function nginxAvailable(): boolean {
  const version = spawnSync(NGINX, ['-V'], { encoding: 'utf8' });
  const text = `${version.stdout ?? ''}${version.stderr ?? ''}`;
  return version.status === 0 && text.includes('--with-http_ssl_module') && text.includes('--with-http_v2_module');
}

export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const dir = await mkdtemp(join(tmpdir(), 'openrouter-nginx-'));
  const certificate = await makeServerCertificate('Test nginx CA');
  await writeFile(join(dir, 'cert.pem'), certificate.cert);
  await writeFile(join(dir, 'key.pem'), certificate.key, { mode: 0o600 });
  const port = await freePort();
  await writeFile(join(dir, 'nginx.conf'), config(dir, port, options));
  // -e: nginx opens its error log before reading the config; without it that is /var/log/nginx.
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const errorLog = (): Promise<string> => readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
  try {
    await waitForListening(port, exited);
  } catch (error) {
    await stopChild(child, exited);
    const log = await errorLog();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`nginx did not start: ${(error as Error).message}\n${stderr}\n${log}`);
  }
  return {
    baseUrl: `https://localhost:${port}/api/v1`,
    ca: certificate.ca,
    pid: child.pid as number,
    errorLog,
    stop: async () => {
      await stopChild(child, exited);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function config(dir: string, port: number, options: NginxOptions): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(dir, kind)};`).join('\n');
  return `# Runs as the user who started it (root in CI); nothing outside ${dir} is written.
user root;
daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} info;
events { worker_connections 1024; }
http {
  access_log off;
${temp}
  keepalive_requests ${options.keepaliveRequests ?? 30};
  keepalive_timeout ${options.keepaliveTimeout ?? '1s'};
  upstream emulator {
    server 127.0.0.1:${options.upstreamPort};
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port} ssl${options.http2 === false ? '' : ' http2'};
    ssl_certificate ${join(dir, 'cert.pem')};
    ssl_certificate_key ${join(dir, 'key.pem')};
    location / {
      proxy_pass http://emulator;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_read_timeout 60s;
    }
  }
}
`;
}

/** Connects until nginx accepts (it binds before it forks its worker), or fails when nginx exits. */
async function waitForListening(port: number, exited: Promise<number | null>): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => {
    gone = code;
  });
  const listening = async (): Promise<boolean> => {
    if (gone !== undefined) throw new Error(`nginx exited with code ${String(gone)}`);
    return connects(port);
  };
  await waitFor(`nginx to listen on port ${port}`, listening, { timeoutMs: 10_000, intervalMs: 20 });
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** SIGTERM is nginx's fast shutdown; SIGKILL after 5 s. The worker exits with its master. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

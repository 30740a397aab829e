// Benchmark (prints numbers; asserts nothing): the emulator's own CPU per streamed answer over HTTP/1.1 and over
// HTTP/2, so a difference between the provider's two transports can be told apart from the test server's cost. The
// emulator runs in its own process (test/emulator/cli.ts, TLS) on loopback; bare Node clients (`node:https`, which
// offers no ALPN and so gets HTTP/1.1, and `node:http2` with the provider's windows) stream one answer of --chunks
// chunks at a time, alternating; the emulator's main-thread CPU comes from /proc/<pid>/schedstat (Linux).
// Run: `npx tsx test/bench/emulator-cpu.ts` [--chunks 4000] [--answers 10]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { median } from './stats';

const { values } = parseArgs({ options: { chunks: { type: 'string', default: '4000' }, answers: { type: 'string', default: '10' } } });
const warmUps = 2;

/** The process's main thread's CPU time so far (ms). */
function threadCpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'orvt-emulator-cpu-'));
  const caPath = join(dir, 'ca.pem');
  const emulator = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--tls', '--ca-out', caPath], { cwd: resolve(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((done) => createInterface({ input: emulator.stdout! }).once('line', done));
    const { port } = JSON.parse(line) as { port: number };
    const ca = readFileSync(caPath);
    const body = JSON.stringify({ model: 'openai/gpt-4o', stream: true, messages: [{ role: 'user', content: `Tell a long story. [[chunks:${values.chunks}]]` }] });
    const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-or-v1-management' };
    const overHttp1 = (): Promise<number> =>
      new Promise((done, fail) => {
        const req = https.request({ host: '127.0.0.1', port, path: '/api/v1/chat/completions', method: 'POST', ca, headers, agent: false }, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => done(bytes));
        });
        req.on('error', fail);
        req.end(body);
      });
    const overHttp2 = (): Promise<number> =>
      new Promise((done, fail) => {
        const session = http2.connect(`https://127.0.0.1:${port}`, { ca, settings: { initialWindowSize: 4 << 20 } });
        session.on('connect', () => session.setLocalWindowSize(16 << 20));
        session.on('error', fail);
        const req = session.request({ ':method': 'POST', ':path': '/api/v1/chat/completions', ...headers });
        let bytes = 0;
        req.on('data', (chunk: Buffer) => (bytes += chunk.length));
        req.on('end', () => {
          session.close();
          done(bytes);
        });
        req.end(body);
      });
    const clients = { 'HTTP/1.1': overHttp1, 'HTTP/2': overHttp2 };
    const cpu: Record<string, number[]> = { 'HTTP/1.1': [], 'HTTP/2': [] };
    let bytes = 0;
    for (let i = 0; i < warmUps + Number(values.answers); i++) {
      for (const [name, stream] of Object.entries(clients)) {
        const before = threadCpuMs(emulator.pid!);
        bytes = await stream();
        const spent = threadCpuMs(emulator.pid!) - before;
        if (i >= warmUps) cpu[name]!.push(spent);
      }
    }
    console.log(`the emulator's main-thread CPU per answer of ${values.chunks} chunks (${(bytes / 1024).toFixed(0)} KB), ${values.answers} answers each after ${warmUps} to warm up, alternating:`);
    for (const [name, list] of Object.entries(cpu)) {
      console.log(`  ${name}: median ${median(list).toFixed(1)} ms (${Math.min(...list).toFixed(0)}–${Math.max(...list).toFixed(0)} ms)`);
    }
  } finally {
    emulator.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

// Starts the OpenRouter emulator (test/emulator/cli.ts) as a child process on 127.0.0.1 and reads its address.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { endProcessesOfRun } from './processes.mjs';

export async function startEmulatorProcess({ repoRoot, env, log = (/** @type {string} */ _line) => {}, startTimeoutMs = 30_000, extraArgs = /** @type {string[]} */ ([]) }) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test', 'emulator', 'cli.ts'), '--host', '127.0.0.1', '--port', '0', ...extraArgs], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (chunk) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(line);
  });
  const stop = async () => {
    await endProcessesOfRun([child.pid], null);
  };
  try {
    const info = await new Promise((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new Error(`the emulator printed no address within ${startTimeoutMs} ms`)), startTimeoutMs);
      child.stdout.on('data', (chunk) => {
        buffer += chunk.toString();
        const newline = buffer.indexOf('\n');
        if (newline < 0) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(buffer.slice(0, newline)));
        } catch {
          reject(new Error(`the emulator printed ${JSON.stringify(buffer.slice(0, 200))} instead of its address`));
        }
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the emulator exited (${signal ?? code}) before printing its address`));
      });
    });
    if (!/^https?:\/\/127\.0\.0\.1:\d+\//.test(info.baseUrl)) throw new Error(`the emulator is not on loopback: ${info.baseUrl}`);
    return { baseUrl: info.baseUrl, origin: new URL(info.baseUrl).origin, ca: info.ca ?? undefined, pid: child.pid, child, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { auth, send } from '../rawClient';

describe('emulator command line', () => {
  it('starts on its own over HTTPS, prints its address and CA file, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
    const caFile = join(dir, 'ca.pem');
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../cli.ts'), '--tls', '--ca-out', caFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
      });
      const info = JSON.parse(line) as { baseUrl: string; port: number; ca: string };
      assert.match(info.baseUrl, new RegExp(`^https://127\\.0\\.0\\.1:${info.port}/api/v1$`));
      assert.equal(info.ca, caFile);
      const res = await send(new URL(info.baseUrl).origin, { path: '/api/v1/key', headers: auth(), ca: readFileSync(caFile, 'utf8') });
      assert.equal(res.status, 200);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

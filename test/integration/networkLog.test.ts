import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds } from '../../src/commands/commandIds';
import type { ConnectionStatsReport } from '../../src/log/statsReport';
import { TEST_KEY, emulator, logMark, logSince, resetWorld, setSetting } from './openrouterKit';

const netLines = async (mark: number) => (await logSince(mark)).filter((l) => l.component === 'net');

describe('network log', function () {
  // Setting writes go through the workbench and settings.json; slow on a loaded machine.
  this.timeout(60_000);

  beforeEach(async () => {
    await resetWorld({ key: TEST_KEY });
  });

  afterEach(async () => {
    await setSetting('logLevel', undefined);
  });

  it('writes one line per attempt with method, path, status, latency, ttfb, connection and HTTP version', async () => {
    const mark = await logMark();
    await vscode.commands.executeCommand(commandIds.refreshCredits);
    await vscode.commands.executeCommand(commandIds.refreshCredits);
    const lines = await netLines(mark);
    const keyLines = lines.filter((l) => l.message.startsWith('GET /key '));
    assert.ok(keyLines.length >= 2, JSON.stringify(lines));
    for (const line of keyLines) {
      assert.equal(line.level, 'info');
      assert.match(line.message, /^GET \/key · 200 · \d+ ms · ttfb \d+ ms · (new|reused) connection · HTTP\/1\.1 · call \d+ attempt 1$/);
    }
    assert.ok(keyLines.some((l) => l.message.includes('reused connection')), 'a later request reuses the kept-alive connection');
  });

  it('writes a retry line with the reason and the delay chosen', async () => {
    await emulator.addFault({ path: '/models/user', times: 1, fault: { type: 'status', status: 503, retryAfter: '0', message: 'no provider available' } });
    const mark = await logMark();
    const count = await vscode.commands.executeCommand(commandIds.refreshModels);
    assert.ok(count);
    const lines = await netLines(mark);
    const failed = lines.find((l) => /^GET \/models\/user(\?\S*)? · 503 /.test(l.message));
    const retry = lines.find((l) => l.message.startsWith('retry GET /models/user'));
    const succeeded = lines.find((l) => /^GET \/models\/user(\?\S*)? · 200 .* attempt 2$/.test(l.message));
    assert.ok(failed, JSON.stringify(lines));
    assert.ok(retry, JSON.stringify(lines));
    assert.equal(retry.level, 'warn');
    assert.match(retry.message, /after attempt 1: .*503.*; waiting \d+ ms$/);
    assert.ok(succeeded, JSON.stringify(lines));
  });

  it('writes a refused request as a warning and an unreachable server as an error', async () => {
    const mark = await logMark();
    await vscode.commands.executeCommand(commandIds.setApiKey, 'sk-or-v1-unknown-to-the-emulator');
    const lines = await netLines(mark);
    const rejected = lines.find((l) => l.message.startsWith('GET /key · 401'));
    assert.ok(rejected, JSON.stringify(lines));
    assert.equal(rejected.level, 'warn');
    await setSetting('maxRetries', 0);
    try {
      await emulator.addFault({ path: '/key', times: 1, fault: { type: 'drop-before-response' } });
      const dropMark = await logMark();
      await vscode.commands.executeCommand(commandIds.refreshCredits);
      const dropped = (await netLines(dropMark)).find((l) => l.message.startsWith('GET /key · no response'));
      assert.ok(dropped, JSON.stringify(await netLines(dropMark)));
      assert.equal(dropped.level, 'error');
    } finally {
      await setSetting('maxRetries', undefined);
    }
  });

  it('respects the openrouter.logLevel setting', async () => {
    await setSetting('logLevel', 'warning');
    await emulator.addFault({ path: '/key', times: 1, fault: { type: 'status', status: 429, retryAfter: '0' } });
    const mark = await logMark();
    await vscode.commands.executeCommand(commandIds.refreshCredits);
    const lines = await netLines(mark);
    assert.ok(lines.length > 0, 'the retry is still logged');
    assert.ok(lines.every((l) => l.level === 'warn' || l.level === 'error'), JSON.stringify(lines));
  });

  it('Show Connection Stats prints requests, reuse rate, connections, DNS lookups, retries and p50/p95', async () => {
    await vscode.commands.executeCommand(commandIds.refreshCredits);
    const mark = await logMark();
    const report = (await vscode.commands.executeCommand(commandIds.showConnectionStats)) as ConnectionStatsReport;
    assert.ok(report.requests > 0);
    assert.ok(report.p50Ms !== undefined && report.p95Ms !== undefined && report.p95Ms >= report.p50Ms);
    const text = (await logSince(mark)).map((l) => l.message).join('\n');
    for (const pattern of [/requests \d+/, /retries \d+/, /connections opened \d+/, /reuse rate \d+%/, /DNS lookups \d+/, /p50 \d+ ms · p95 \d+ ms/]) assert.match(text, pattern);
  });
});

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vscode from 'vscode';
import { commandIds } from '../../src/commands/commandIds';
import { canaryKey } from '../emulator/accounts';
import { TEST_KEY, TEST_KEY_STATE, emulator, logTail, resetWorld, state } from './openrouterKit';

/** Every file below `dir` (skipping big binaries), for scanning. */
function filesBelow(dir: string, found: string[] = []): string[] {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) filesBelow(full, found);
    else if (entry.isFile() && statSync(full).size < 20 * 1024 * 1024) found.push(full);
  }
  return found;
}

describe('secrets: a canary key through the extension', function () {
  this.timeout(120_000);
  const canary = canaryKey();
  const fragment = canary.slice(-16);
  const seen: Array<{ where: string; text: string }> = [];

  before(async () => {
    await emulator.setKey(canary, { ...TEST_KEY_STATE, label: 'canary' });
    await resetWorld({ key: canary });
    const echo = `Invalid key ${canary} (Authorization: Bearer ${canary})`;
    const outcomes: unknown[] = [];
    outcomes.push(await vscode.commands.executeCommand(commandIds.refreshCredits));
    outcomes.push(await vscode.commands.executeCommand(commandIds.refreshModels));
    outcomes.push(await vscode.commands.executeCommand(commandIds.validateApiKey));
    // Servers that echo the key back in their error bodies.
    await emulator.addFault([
      { path: '/key', times: 10, fault: { type: 'status', status: 401, message: echo, metadata: { key: canary } } },
      { path: '/models/user', times: 10, fault: { type: 'raw', status: 502, body: `<html>${echo}</html>`, contentType: 'text/html' } },
      { path: '/models', times: 10, fault: { type: 'raw', status: 502, body: `<html>${echo}</html>`, contentType: 'text/html' } },
    ]);
    outcomes.push(await vscode.commands.executeCommand(commandIds.refreshCredits));
    outcomes.push(await vscode.commands.executeCommand(commandIds.refreshModels).then(undefined, (error: unknown) => String(error)));
    outcomes.push(await vscode.commands.executeCommand(commandIds.validateApiKey));
    await emulator.clearFaults();
    seen.push({ where: 'command results', text: JSON.stringify(outcomes) });
    seen.push({ where: 'extension state', text: JSON.stringify(await state()) });
    seen.push({ where: 'log channel', text: JSON.stringify(await logTail()) });
    seen.push({ where: 'emulator request log', text: JSON.stringify(await emulator.requests()) });
    // Files: the extension's storage folder, the user's settings, and every log file of this session.
    const storage = path.dirname(fileURLToPath((await state()).modelsCacheUri));
    const user = path.resolve(storage, '..', '..');
    const userData = path.dirname(user);
    for (const file of [...filesBelow(storage), path.join(user, 'settings.json'), ...filesBelow(path.join(userData, 'logs'))]) {
      if (existsSync(file)) seen.push({ where: file, text: readFileSync(file, 'latin1') });
    }
  });

  after(async () => {
    await resetWorld({ key: TEST_KEY });
    await emulator.setKey(canary, null);
  });

  it('reached the places it scans', () => {
    assert.ok(seen.some((item) => item.where === 'log channel' && item.text.length > 100));
    assert.ok(seen.some((item) => item.where.includes(`${path.sep}logs${path.sep}`)), `log files found: ${seen.map((item) => item.where).join(', ')}`);
  });

  it('never appears in command results, extension state, the log, stored files or log files', () => {
    const leaks = seen.filter((item) => item.text.includes(canary) || item.text.includes(fragment)).map((item) => item.where);
    assert.deepEqual(leaks, []);
  });
});

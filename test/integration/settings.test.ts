import assert from 'node:assert/strict';
import { TEST_KEY, emulator, emulatorBaseUrl, logMark, logSince, resetWorld, setSetting, state } from './openrouterKit';
import * as vscode from 'vscode';
import { commandIds } from '../../src/commands/commandIds';
import { waitFor } from '../support/waitFor';

/** Sockets the emulator holds open besides the control call asking for the count. */
const clientSockets = async (): Promise<number> => (await emulator.counters()).openConnections - 1;

describe('settings applied live', function () {
  // Each setting write goes through the workbench and settings.json; slow on a loaded machine.
  this.timeout(60_000);

  beforeEach(async () => {
    await resetWorld({ key: TEST_KEY });
  });

  afterEach(async () => {
    for (const key of ['poolSize', 'baseUrl', 'maxRetries', 'idleTimeoutSeconds', 'http2'] as const) await setSetting(key, undefined);
  });

  it('HTTP/2 is offered by default and a server without it is spoken to over HTTP/1.1; turning it off rebuilds the provider', async () => {
    assert.equal((await state()).settings.http2, true);
    // A refresh joins a fetch already under way (one logged before the mark): start from a quiet catalogue.
    await waitFor('no model list fetch under way', async () => !(await state()).modelsFetching, { accept: (quiet) => quiet });
    const mark = await logMark();
    await vscode.commands.executeCommand(commandIds.refreshModels);
    // The emulator here is plain HTTP, where HTTP/2 cannot be negotiated: the request goes out as HTTP/1.1.
    const line = await waitFor('the model list request in the log', async () => (await logSince(mark)).find((l) => /GET \/models/.test(l.message)));
    assert.match(line.message, /200/);
    assert.match(line.message, /HTTP\/1\.1/);
    const off = await logMark();
    await setSetting('http2', false);
    await waitFor('the HTTP/2 setting read', async () => (await state()).settings.http2 === false);
    await waitFor('the rebuild', async () => (await logSince(off)).some((l) => /Connection pool rebuilt .*HTTP\/2 off/.test(l.message)));
  });

  it('a new pool size rebuilds the provider and closes the old connections', async () => {
    await vscode.commands.executeCommand(commandIds.refreshCredits);
    const before = await state();
    assert.ok(before.providerStats.openConnections > 0, 'the provider holds a kept-alive connection');
    const mark = await logMark();
    await setSetting('poolSize', 3);
    await waitFor('the new pool size', async () => (await state()).settings.poolSize === 3);
    assert.ok((await logSince(mark)).some((l) => /Connection pool rebuilt .*pool 3/.test(l.message)));
    const after = await state();
    assert.ok(after.providerStats.connectionsOpened <= 1, 'a fresh provider (its own counters)');
    // The old provider's sockets close: the server then sees only the new provider's.
    await waitFor('the old sockets to close', async () => (await clientSockets()) === (await state()).providerStats.openConnections);
  });

  it('a rebuild lets a request in flight finish on the old pool before closing it', async () => {
    await emulator.reset();
    await emulator.addFault({ path: '/models/user', times: 1, fault: { type: 'keepalive-first', count: 60, intervalMs: 100 } });
    const mark = await logMark();
    const pending = vscode.commands.executeCommand<number | undefined>(commandIds.refreshModels);
    await waitFor('the /models/user request to start', async () => ((await emulator.counters()).requestsByPath['/models/user'] ?? 0) > 0);
    await setSetting('poolSize', 4);
    const count = await pending;
    assert.ok(count && count > 100, `the request in flight completed (${count})`);
    const lines = await logSince(mark);
    assert.ok(lines.some((l) => /closes after its 1 in-flight call/.test(l.message)), JSON.stringify(lines.map((l) => l.message)));
    await waitFor('the old sockets to close', async () => (await clientSockets()) === (await state()).providerStats.openConnections);
  });

  it('a bad base URL gets a clear message and a fallback, not a crash', async () => {
    const mark = await logMark();
    await setSetting('baseUrl', 'http://example.com/api/v1');
    const lines = await waitFor('the problem in the log', async () => (await logSince(mark)).filter((l) => l.component === 'settings' && l.message.includes('openrouter.baseUrl')));
    assert.ok(lines.length > 0);
    assert.match(lines[0]?.message ?? '', /must use https .*using http:\/\/127\.0\.0\.1/);
    assert.equal((await state()).settings.baseUrl, emulatorBaseUrl().replace(/\/+$/, ''));
    const snap = await vscode.commands.executeCommand(commandIds.refreshCredits);
    assert.equal((snap as { state: string }).state, 'ok', 'the extension keeps working');
  });

  it('an absurd number is clamped with a message', async () => {
    const mark = await logMark();
    await setSetting('poolSize', -4);
    await waitFor('the clamped value', async () => (await state()).settings.poolSize === 1);
    assert.ok((await logSince(mark)).some((l) => /openrouter\.poolSize is -4, below the minimum 1/.test(l.message)));
  });

  it('a changed retry count takes effect on the next call', async () => {
    await setSetting('maxRetries', 0);
    await waitFor('maxRetries 0', async () => (await state()).settings.maxRetries === 0);
    await emulator.reset();
    await emulator.addFault({ path: '/key', times: 1, fault: { type: 'status', status: 503, retryAfter: '0' } });
    const snap = (await vscode.commands.executeCommand(commandIds.refreshCredits)) as { state: string };
    assert.equal(snap.state, 'error', 'no retry with maxRetries 0');
    assert.equal((await emulator.counters()).requestsByPath['/key'], 1);
  });
});

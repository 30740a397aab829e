import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds } from '../../src/commands/commandIds';
import type { ReuseSummary } from '../../src/measure/reuseStats';
import { startLatencyRelay } from '../bench/latencyRelay';
import type { LatencyRelay } from '../bench/latencyRelay';
import { TEST_KEY, emulatorBaseUrl, logMark, logSince, resetWorld, setSetting, state } from './openrouterKit';
import { waitFor } from '../support/waitFor';

describe('OpenRouter: Measure Connection Reuse', () => {
  let relay: LatencyRelay;
  let relayBaseUrl: string;

  before(async () => {
    await resetWorld({ key: TEST_KEY });
    const emulator = new URL(emulatorBaseUrl());
    // The relay runs right here in the extension host: the calls cross a modelled 20 ms round trip.
    relay = await startLatencyRelay({ targetHost: emulator.hostname, targetPort: Number(emulator.port), oneWayMs: 10 });
    const through = new URL(emulator.href);
    through.port = String(relay.port);
    relayBaseUrl = through.href.replace(/\/$/, '');
    await setSetting('baseUrl', relayBaseUrl);
    await waitFor('the provider to use the relay', async () => (await state()).settings.baseUrl === relayBaseUrl);
  });

  after(async () => {
    await setSetting('baseUrl', undefined);
    await relay?.close();
  });

  it('shows that the pooled calls shared a connection while the fresh ones opened one each, over two rounds', async () => {
    const mark = await logMark();
    const before = relay.connections();
    const summary = (await vscode.commands.executeCommand(commandIds.measureConnectionReuse, { calls: 6, rounds: 2 })) as ReuseSummary | undefined;
    assert.ok(summary, 'the command returns its summary');
    assert.equal(summary.calls, 6);
    assert.equal(summary.rounds, 2);
    assert.equal(summary.fresh.connectionsOpened, 12, 'one connection per fresh call');
    assert.ok(summary.pooled.connectionsOpened <= 1, `the pool opened ${summary.pooled.connectionsOpened} connections for 12 sequential calls`);
    assert.ok(summary.handshakesSaved >= 11);
    assert.equal(summary.pooled.calls, 12);
    assert.ok(summary.speedupMin <= summary.speedup && summary.speedup <= summary.speedupMax);
    assert.ok(summary.pooled.p50Ms > 0 && summary.pooled.p95Ms >= summary.pooled.p50Ms);
    // The relay is the server side's count: it saw at least every connection the summary reports.
    assert.ok(relay.connections() - before >= summary.fresh.connectionsOpened + summary.pooled.connectionsOpened);

    const lines = (await logSince(mark)).filter((line) => line.component === 'measure').map((line) => line.message);
    assert.ok(lines.some((line) => /pooled .*p50 [\d.]+ ms, p95 [\d.]+ ms/.test(line)), JSON.stringify(lines));
    assert.ok(lines.some((line) => line.includes(`handshakes saved: ${summary.handshakesSaved}`)), JSON.stringify(lines));
    assert.ok(lines.some((line) => /speed-up at the median: [\d.]+×, .*rounds ranged [\d.]+–[\d.]+× over 2 rounds/.test(line)), JSON.stringify(lines));
  });

  it('measures against the configured endpoint, whatever it is', async () => {
    const mark = await logMark();
    await vscode.commands.executeCommand(commandIds.measureConnectionReuse, { calls: 1, rounds: 1 });
    const lines = (await logSince(mark)).filter((line) => line.component === 'measure').map((line) => line.message);
    assert.ok(lines.some((line) => line.includes(relayBaseUrl)), JSON.stringify(lines));
  });
});

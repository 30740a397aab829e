import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds } from '../../src/commandIds';
import type { CreditsSnapshot } from '../../src/credits/creditsStatusItem';
import { startConnectProxy, type ConnectProxy } from '../proxy/connectProxy';
import { TEST_KEY, emulator, logMark, logSince, resetWorld, waitFor } from './openrouterKit';

async function setHttp(key: 'proxy' | 'noProxy', value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('http').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Changes an `http.*` setting and waits for the provider rebuilt for it. */
async function setHttpAndRebuild(key: 'proxy' | 'noProxy', value: unknown): Promise<void> {
  const mark = await logMark();
  await setHttp(key, value);
  await waitFor('the provider rebuilt for the proxy setting', async () => (await logSince(mark)).some((line) => /Connection pool rebuilt/.test(line.message)));
}

const refreshCredits = async (): Promise<CreditsSnapshot> => (await vscode.commands.executeCommand(commandIds.refreshCredits)) as CreditsSnapshot;

describe('VS Code proxy settings', function () {
  this.timeout(60_000);
  let proxy: ConnectProxy;

  before(async () => {
    await resetWorld({ key: TEST_KEY });
    proxy = await startConnectProxy();
  });

  after(async () => {
    await setHttp('noProxy', undefined);
    await setHttp('proxy', undefined);
    await proxy.close();
  });

  it('sends the extension’s calls through http.proxy, over one kept-alive tunnel', async () => {
    await setHttpAndRebuild('proxy', proxy.url);
    const first = await refreshCredits();
    assert.equal(first.state, 'ok', first.error);
    const tunnels = proxy.connects;
    assert.ok(tunnels >= 1, 'the refresh went through the proxy');
    const second = await refreshCredits();
    assert.equal(second.state, 'ok', second.error);
    assert.equal(proxy.connects, tunnels, 'the second refresh reused the kept-alive tunnel');
    assert.equal(proxy.refused, 0);
  });

  it('connects directly to hosts in http.noProxy', async () => {
    await setHttpAndRebuild('noProxy', ['127.0.0.1']);
    const before = proxy.connects;
    const requests = (await emulator.counters()).requests;
    const snapshot = await refreshCredits();
    assert.equal(snapshot.state, 'ok', snapshot.error);
    assert.equal(proxy.connects, before, 'the proxy was not asked');
    assert.ok((await emulator.counters()).requests > requests, 'the emulator answered directly');
    await setHttpAndRebuild('noProxy', undefined);
  });

  it('explains a proxy that refuses, and recovers when it is removed', async () => {
    proxy.options = { refuseWith: 407 };
    // A fresh provider, so no tunnel opened before the refusal can be reused.
    await setHttpAndRebuild('proxy', `${proxy.url}/`);
    const refused = await refreshCredits();
    assert.notEqual(refused.state, 'ok');
    assert.match(refused.error ?? '', /proxy http:\/\/127\.0\.0\.1:\d+.*407/);
    proxy.options = {};
    await setHttpAndRebuild('proxy', undefined);
    const direct = await refreshCredits();
    assert.equal(direct.state, 'ok', direct.error);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { commandIds } from '../../src/commands/commandIds';
import type { CreditsSnapshot } from '../../src/credits/creditsStatusItem';
import { startEmulator } from '../emulator/index';
import type { Emulator } from '../emulator/types';
import { startConnectProxy, type ConnectProxy } from '../support/proxy/connectProxy';
import { basicAuthorization, startSquid, type Squid, type SquidAccess } from '../support/proxy/squid';
import { TEST_KEY, emulator as harnessEmulator, logMark, logSince, resetWorld, setSetting, state } from './openrouterKit';
import { waitFor } from '../support/waitFor';

type HttpSetting = 'proxy' | 'noProxy' | 'proxyAuthorization' | 'proxySupport' | 'systemCertificates';

const USER = 'alice';
const PASSWORD = 'proxy-pass-7';

async function setHttp(key: HttpSetting, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('http').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Runs `change` and waits for the provider rebuilt for it. */
async function andRebuild(change: () => Promise<void>): Promise<void> {
  const mark = await logMark();
  await change();
  await waitFor('the provider rebuilt for the setting', async () => (await logSince(mark)).some((line) => /Connection pool rebuilt/.test(line.message)));
}

const setHttpAndRebuild = (key: HttpSetting, value: unknown): Promise<void> => andRebuild(() => setHttp(key, value));

const refreshCredits = async (): Promise<CreditsSnapshot> => (await vscode.commands.executeCommand(commandIds.refreshCredits)) as CreditsSnapshot;

/** Squid logs a CONNECT when its tunnel closes, a request it decrypted when that request ends. */
function squidLogged(squid: Squid, what: string, pick: (lines: SquidAccess[]) => SquidAccess[]): Promise<SquidAccess[]> {
  return waitFor(`squid's access log to show ${what}`, () => {
    const lines = pick(squid.accessLog());
    return lines.length > 0 ? lines : undefined;
  });
}

describe('VS Code proxy settings', function () {
  this.timeout(90_000);
  let squid: Squid;
  // The home-made proxy counts each CONNECT the moment it arrives, so it can show that a proxy was NOT asked;
  // squid only logs a tunnel when it closes.
  let proxy: ConnectProxy;

  before(async () => {
    await resetWorld({ key: TEST_KEY });
    squid = await startSquid({ basicAuth: { user: USER, password: PASSWORD } });
    proxy = await startConnectProxy();
  });

  after(async () => {
    for (const key of ['noProxy', 'proxySupport', 'proxyAuthorization', 'proxy'] as const) await setHttp(key, undefined);
    await squid.stop();
    await proxy.close();
  });

  it('goes through squid with the credentials of http.proxyAuthorization, over one kept-alive tunnel', async () => {
    await setHttpAndRebuild('proxy', squid.url);
    const refused = await refreshCredits();
    assert.notEqual(refused.state, 'ok');
    assert.match(refused.error ?? '', /proxy http:\/\/127\.0\.0\.1:\d+: it answered HTTP 407 .*http\.proxyAuthorization/);

    const authorization = basicAuthorization(USER, PASSWORD);
    await setHttpAndRebuild('proxyAuthorization', authorization);
    const first = await refreshCredits();
    assert.equal(first.state, 'ok', first.error);
    const opened = (await state()).providerStats.connectionsOpened;
    assert.ok(opened >= 1, 'the refresh opened a tunnel');
    const second = await refreshCredits();
    assert.equal(second.state, 'ok', second.error);
    assert.equal((await state()).providerStats.connectionsOpened, opened, 'the second refresh reused the kept-alive tunnel');

    // Removing the proxy retires the pool, which closes its tunnels: squid logs each with the user it authenticated.
    await setHttpAndRebuild('proxy', undefined);
    const tunnels = await squidLogged(squid, 'the tunnels', (lines) => {
      const closed = lines.filter((line) => line.method === 'CONNECT' && line.result === 'TCP_TUNNEL/200');
      return closed.length >= opened ? closed : [];
    });
    assert.ok(tunnels.every((line) => line.user === USER), `every tunnel was authenticated as ${USER}: ${tunnels.map((line) => line.user).join(', ')}`);
    const log = JSON.stringify(await logSince(0));
    assert.ok(!log.includes(PASSWORD) && !log.includes(authorization.slice('Basic '.length)), 'the proxy credentials never reach the log');
    await setHttpAndRebuild('proxyAuthorization', undefined);
  });

  it('connects directly to hosts in http.noProxy', async () => {
    await setHttpAndRebuild('proxy', proxy.url);
    const through = await refreshCredits();
    assert.equal(through.state, 'ok', through.error);
    assert.ok(proxy.connects >= 1, 'the refresh went through the proxy');
    await setHttpAndRebuild('noProxy', ['127.0.0.1']);
    const before = proxy.connects;
    const direct = await refreshCredits();
    assert.equal(direct.state, 'ok', direct.error);
    assert.equal(proxy.connects, before, 'the proxy was not asked');
    await setHttpAndRebuild('noProxy', undefined);
    await setHttpAndRebuild('proxy', undefined);
  });

  it('fails closed on a malformed http.proxy: an error naming the setting, once, without its password, and nothing sent directly', async () => {
    const mark = await logMark();
    await setHttpAndRebuild('proxy', `http://${USER}:${PASSWORD}@127.0.0.1:port`);
    const before = (await harnessEmulator.requests()).map((request) => `${request.method} ${request.path}`);
    const refused = await refreshCredits();
    assert.notEqual(refused.state, 'ok');
    assert.match(refused.error ?? '', /http\.proxy: .*127\.0\.0\.1:port.*not a valid URL.*not contacted until you correct or clear the http\.proxy setting/);
    await refreshCredits();
    assert.deepEqual((await harnessEmulator.requests()).map((request) => `${request.method} ${request.path}`), before, 'no request went around the proxy');
    const lines = (await logSince(mark)).map((line) => line.message);
    assert.equal(lines.filter((line) => /^http\.proxy: /.test(line)).length, 1, `said once in the log:\n${lines.join('\n')}`);
    assert.ok(!JSON.stringify(lines).includes(PASSWORD) && !(refused.error ?? '').includes(PASSWORD), 'the password is in no log line or error');
    await setHttpAndRebuild('proxy', undefined);
  });

  it('connects directly when http.proxySupport is off', async () => {
    await setHttpAndRebuild('proxy', proxy.url);
    await setHttpAndRebuild('proxySupport', 'off');
    const before = proxy.connects;
    const direct = await refreshCredits();
    assert.equal(direct.state, 'ok', direct.error);
    assert.equal(proxy.connects, before, 'the proxy was not asked');
    await setHttpAndRebuild('proxySupport', undefined);
    await setHttpAndRebuild('proxy', undefined);
  });
});

describe('a TLS-inspecting proxy whose CA only the operating system trusts', function () {
  this.timeout(90_000);
  let emulator: Emulator;
  let squid: Squid;
  let dir: string;
  let baseUrl: string;
  let startMark: number;

  before(async function () {
    startMark = await logMark();
    const caCertFile = process.env.OPENROUTER_TEST_OS_CA_CERT_FILE;
    const caKeyFile = process.env.OPENROUTER_TEST_OS_CA_KEY_FILE;
    assert.ok(
      caCertFile && caKeyFile,
      'the harness did not put a test CA into the OS certificate store of this VS Code (test/vscode-host/osTrust.mjs needs root on Linux, unshare and openssl)',
    );
    await resetWorld({ key: TEST_KEY });
    emulator = await startEmulator({ tls: true });
    dir = mkdtempSync(join(tmpdir(), 'inspecting-proxy-'));
    const upstreamCaFile = join(dir, 'emulator-ca.pem');
    writeFileSync(upstreamCaFile, emulator.ca ?? '');
    squid = await startSquid({ bump: { caCertFile, caKeyFile, upstreamCaFile } });
    // Squid names the certificates it makes after the CONNECT host; the emulator's own has `localhost`.
    baseUrl = emulator.baseUrl.replace('127.0.0.1', 'localhost');
    await andRebuild(() => setSetting('baseUrl', baseUrl));
    await setHttpAndRebuild('proxy', squid.url);
  });

  after(async () => {
    await setHttp('systemCertificates', undefined);
    await setHttp('proxy', undefined);
    await setSetting('baseUrl', undefined);
    await squid?.stop();
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('works with http.systemCertificates on, and says what to do when it is off', async () => {
    const trusted = await refreshCredits();
    assert.equal(trusted.state, 'ok', trusted.error);
    const decrypted = await squidLogged(squid, 'a request it decrypted', (lines) => lines.filter((line) => line.method === 'GET'));
    assert.ok(decrypted.every((line) => line.url.startsWith(`${baseUrl}/`)), 'squid read the calls in the clear: it intercepted TLS');
    const loaded = (await logSince(startMark)).filter((line) => /certificates/.test(line.message)).map((line) => line.message);
    assert.ok(loaded.some((line) => /^Loaded \d+ certificates from the operating system's store through VS Code /.test(line)), `VS Code's own loader read the store: ${loaded.join(' | ')}`);

    await setHttpAndRebuild('systemCertificates', false);
    const refused = await refreshCredits();
    assert.notEqual(refused.state, 'ok');
    assert.match(
      refused.error ?? '',
      /OpenRouter at https:\/\/localhost:\d+ through the proxy http:\/\/127\.0\.0\.1:\d+: the TLS certificate was not accepted \(\w+\)\. The operating system’s certificate store is not used \(http\.systemCertificates is off\): turn it on/,
    );
  });
});

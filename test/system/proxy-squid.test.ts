// The provider's own pool through Debian's squid: basic authentication, the system proxy resolver, and a
// TLS-inspecting squid (ssl-bump) whose CA is trusted only through the system certificates loader.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/index';
import type { Emulator } from '../emulator/types';
import { basicAuthorization, squidUnavailable, startSquid, type Squid } from '../support/proxy/squid';
import { ConnectionError, OpenRouterProvider, type ProviderOptions } from '../../src/openrouter/index';
import { KEY, rejectionOf } from '../support/providerHarness';
import { waitFor } from '../support/waitFor';

/** Squid writes its access log as transactions end: waits (at most 5 s) for a line. */
function logged<T>(what: string, probe: () => T | undefined): Promise<NonNullable<T>> {
  return waitFor(`squid's access log to show ${what}`, probe, { timeoutMs: 5_000, intervalMs: 20, accept: (found) => found !== undefined });
}

const USER = 'alice';
const PASSWORD = 'proxy-pass-1';

/** A CA of the kind an inspecting proxy uses (key and certificate in PEM files), made with openssl. */
export function makeInspectionCa(dir: string, name = 'Test Inspecting Proxy CA'): { certFile: string; keyFile: string; pem: string } {
  const certFile = join(dir, 'inspection-ca.pem');
  const keyFile = join(dir, 'inspection-ca.key');
  const result = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', keyFile, '-out', certFile,
  ], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl could not make a CA: ${result.stderr}`);
  return { certFile, keyFile, pem: readFileSync(certFile, 'utf8') };
}

describe('provider through a real squid', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let squid: Squid | undefined;
  let dir: string;
  const providers: OpenRouterProvider[] = [];

  const make = (options: Partial<ProviderOptions>): OpenRouterProvider => {
    const provider = new OpenRouterProvider({ apiKey: KEY, baseUrl: emulator.baseUrl, retryBaseDelayMs: 5, retryMaxDelayMs: 20, ...options });
    providers.push(provider);
    return provider;
  };

  /** Squid and the emulator are started once per group (squid takes a second or two); each test reads the log from its start. */
  let logStart = 0;
  const logSinceStart = () => squid!.accessLog().slice(logStart);

  before(function () {
    const why = squidUnavailable();
    if (why) throw new Error(why);
    dir = mkdtempSync(join(tmpdir(), 'proxy-squid-'));
  });

  beforeEach(() => {
    logStart = squid?.accessLog().length ?? 0;
  });

  afterEach(async () => {
    await Promise.all(providers.splice(0).map((provider) => provider.close()));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const stopServers = async (): Promise<void> => {
    await squid?.stop();
    squid = undefined;
    await emulator?.close();
  };

  describe('with basic authentication', () => {
    before(async () => {
      emulator = await startEmulator({ tls: true });
      squid = await startSquid({ basicAuth: { user: USER, password: PASSWORD } });
    });

    after(stopServers);

    it('sends the Proxy-Authorization value and keeps one tunnel for sequential calls', async () => {
      const provider = make({ ca: emulator.ca, proxy: { url: squid!.url, authorization: basicAuthorization(USER, PASSWORD) } });
      await provider.listModels();
      await provider.listModels();
      assert.equal(provider.stats().connectionsOpened, 1, 'one tunnel through squid');
      await provider.close();
      // Squid writes a CONNECT line when its tunnel closes.
      const connects = await logged('the CONNECT', () => {
        const lines = logSinceStart().filter((line) => line.method === 'CONNECT');
        return lines.length > 0 ? lines : undefined;
      });
      assert.deepEqual(connects.map((line) => [line.result, line.user]), [['TCP_TUNNEL/200', USER]], 'one authenticated tunnel');
    });

    it('explains a 407 without credentials, naming http.proxyAuthorization and never the password', async () => {
      const provider = make({ ca: emulator.ca, proxy: { url: squid!.url } });
      const error = await rejectionOf(provider.listModels());
      assert.ok(error instanceof ConnectionError);
      assert.match(error.message, /proxy http:\/\/127\.0\.0\.1:\d+: it answered HTTP 407 .*http\.proxyAuthorization/);
      const wrong = make({ ca: emulator.ca, proxy: { url: squid!.url, authorization: basicAuthorization(USER, 'wrong-pass-2') } });
      const refused = await rejectionOf(wrong.listModels());
      assert.ok(refused instanceof ConnectionError);
      assert.match(refused.message, /407/);
      assert.ok(!refused.message.includes('wrong-pass-2') && !refused.message.includes(basicAuthorization(USER, 'wrong-pass-2')));
      assert.ok(logSinceStart().some((line) => line.result === 'TCP_DENIED/407'));
    });

    it('asks the system resolver when no proxy URL is configured, once per pool', async () => {
      const asked: string[] = [];
      const resolve = async (origin: string): Promise<string> => {
        asked.push(origin);
        return squid!.url;
      };
      const provider = make({ ca: emulator.ca, proxy: { resolve, authorization: basicAuthorization(USER, PASSWORD) } });
      await provider.listModels();
      await provider.listModels();
      assert.deepEqual(asked, [new URL(emulator.baseUrl).origin]);
      await provider.close();
      await logged('an authenticated CONNECT', () => logSinceStart().find((line) => line.method === 'CONNECT' && line.user === USER));
    });
  });

  describe('inspecting TLS (ssl-bump)', () => {
    let inspection: { certFile: string; keyFile: string; pem: string };
    let baseUrl: string;

    before(async () => {
      emulator = await startEmulator({ tls: true });
      const upstreamCaFile = join(dir, 'emulator-ca.pem');
      writeFileSync(upstreamCaFile, emulator.ca ?? '');
      inspection = makeInspectionCa(dir);
      squid = await startSquid({ bump: { caCertFile: inspection.certFile, caKeyFile: inspection.keyFile, upstreamCaFile } });
      // Squid names the certificates it mints after the CONNECT host; the emulator's certificate has `localhost`.
      baseUrl = emulator.baseUrl.replace('127.0.0.1', 'localhost');
    });

    after(stopServers);

    it('trusts the inspecting CA from the system certificates, and squid reads the requests', async () => {
      const provider = make({ baseUrl, proxy: { url: squid!.url }, systemCertificates: async () => [inspection.pem] });
      const models = await provider.listModels();
      assert.ok(models.length > 0);
      const seen = await logged('the decrypted GET', () => logSinceStart().find((line) => line.method === 'GET'));
      assert.equal(seen.url, `${baseUrl}/models`, 'squid decrypted the request');
    });

    it('refuses the inspecting CA without the system certificates, saying what to do', async () => {
      const provider = make({ baseUrl, proxy: { url: squid!.url } });
      const error = await rejectionOf(provider.listModels());
      assert.ok(error instanceof ConnectionError);
      assert.match(error.message, /^OpenRouter at https:\/\/localhost:\d+ through the proxy http:\/\/127\.0\.0\.1:\d+: the TLS certificate was not accepted \(\w+\)\. The operating system’s certificate store is not used \(http\.systemCertificates is off\)/);
      assert.equal(error.retryable, false);
    });
  });
});

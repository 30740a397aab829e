import { standIn } from './vscode/install';
import { hostOn, silent } from './vscode/providerHostFixture';
import assert from 'node:assert/strict';
import type { ApiKeyStore } from '../../src/apiKey/apiKeyStore';
import { OpenRouterProvider } from '../../src/openrouter';
import { ProviderHost } from '../../src/host/providerHost';
import type { Settings } from '../../src/config/settings';
import { startEmulator, type Emulator } from '../emulator';
import { TEST_KEY } from '../emulator/accounts';
import { waitFor } from '../support/waitFor';

const keys = { get: async () => TEST_KEY, has: async () => true, onDidChange: () => ({ dispose() {} }) } as unknown as ApiKeyStore;

function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('provider host (vscode stand-in, loopback emulator)', () => {
  let emulator: Emulator;
  let settings: Settings;
  let host: ProviderHost;

  before(async () => {
    emulator = await startEmulator();
  });

  after(async () => {
    await emulator.close();
  });

  beforeEach(() => {
    standIn.reset();
    emulator.reset();
    ({ settings, host } = hostOn(emulator, keys));
  });

  afterEach(async () => {
    host.dispose();
    settings.dispose();
  });

  it('closing the connections at deactivation closes a pool retired mid-stream at once, and its timers', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'slow-chunks', delayMs: 50 } });
    const stream = host.provider.streamExecute({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: '[[chunks:2000]] a long answer' }] });
    const reader = stream[Symbol.asyncIterator]();
    await reader.next();
    const timersBefore = timers();

    // A settings change retires the pool while its stream is still running.
    standIn.setConfiguration('openrouter.poolSize', 3);
    assert.equal(host.retiringCount, 1, 'the old pool waits for its stream');

    const started = Date.now();
    await host.closeConnections();
    assert.ok(Date.now() - started < 5000, 'deactivation does not wait for the stream to end');
    assert.equal(host.retiringCount, 0);
    await waitFor('the server to see every socket closed', () => emulator.counters().openConnections === 0);
    await assert.rejects(reader.next(), 'the retired stream ends with an error once its pool is closed');
    assert.ok(timers() <= timersBefore, `no watch timer is left running (${timers()} timers, ${timersBefore} before)`);
  });

  it('a retired pool with nothing in flight closes at once', async () => {
    await host.provider.listModels();
    standIn.setConfiguration('openrouter.poolSize', 4);
    await waitFor('the idle pool to close', () => host.retiringCount === 0);
    await waitFor('its socket to close', () => emulator.counters().openConnections === 0);
  });

  it('offers the shared provider’s options (proxy, HTTP/2, CA) for a provider of its own', () => {
    standIn.setConfiguration('openrouter.http2', true);
    standIn.setConfiguration('http.proxy', 'http://127.0.0.1:3128');
    const ca = '-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----';
    const withCa = new ProviderHost(settings, keys, silent, (options) => new OpenRouterProvider(options), { ca });
    try {
      const options = withCa.currentOptions();
      assert.equal(options.allowH2, true);
      assert.equal(options.proxy?.url, 'http://127.0.0.1:3128');
      assert.equal(options.ca, ca);
      assert.equal(options.baseUrl, emulator.baseUrl);
    } finally {
      withCa.dispose();
    }
  });
  it('a malformed http.proxy: one error notice and log line without its password, and no call goes around it', async () => {
    host.dispose();
    settings.dispose();
    const lines: string[] = [];
    const log = { trace() {}, debug() {}, info() {}, warn: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    standIn.configuration.set('http.proxy', 'http://bob:hun/ter2@proxy.corp:3128');
    ({ settings, host } = hostOn(emulator, keys, { log }));
    await assert.rejects(host.provider.listModels(), (error: Error) => /http\.proxy: .*proxy\.corp.*not contacted/.test(error.message) && !error.message.includes('ter2'));
    await assert.rejects(host.provider.listModels(), /not contacted/);
    const notices = standIn.messages.filter((m) => m.level === 'error');
    assert.equal(notices.length, 1, 'said once');
    assert.match(notices[0]?.text ?? '', /http\.proxy: .*proxy\.corp/);
    assert.ok(![...lines, ...notices.map((m) => m.text)].some((text) => text.includes('ter2')), lines.join('\n'));
    assert.equal(emulator.counters().requests, 0, 'nothing reached OpenRouter directly');
  });
});

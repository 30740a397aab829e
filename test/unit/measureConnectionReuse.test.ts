import { standIn } from './vscode/install';
import { hostOn, silent } from './vscode/providerHostFixture';
import assert from 'node:assert/strict';
import type { ApiKeyStore } from '../../src/apiKey/apiKeyStore';
import { MeasureConnectionReuseCommand } from '../../src/measure/measureConnectionReuse';
import { startEmulator, type Emulator } from '../emulator';
import { TEST_KEY } from '../emulator/accounts';
import { startConnectProxy, type ConnectProxy } from '../support/proxy/connectProxy';

const keys = { get: async () => TEST_KEY, has: async () => true, onDidChange: () => ({ dispose() {} }) } as unknown as ApiKeyStore;

describe('Measure Connection Reuse command (vscode stand-in, TLS emulator behind a CONNECT proxy)', () => {
  let emulator: Emulator;
  let proxy: ConnectProxy;

  before(async () => {
    emulator = await startEmulator({ tls: true, modelCount: 20 });
    proxy = await startConnectProxy();
  });

  after(async () => {
    await proxy.close();
    await emulator.close();
  });

  it('builds its fresh connections like the pooled one: through the proxy, trusting the same CA', async () => {
    standIn.reset();
    standIn.setConfiguration('http.proxy', proxy.url);
    const { settings, host } = hostOn(emulator, keys, { environment: { ca: emulator.ca } });
    const command = new MeasureConnectionReuseCommand({ host, settings, log: silent });
    try {
      const summary = await command.run(2, 3);
      assert.ok(summary, `the measurement ran (${JSON.stringify(standIn.messages)})`);
      assert.equal(summary.fresh.connectionsOpened, 6, 'one connection per fresh call');
      // Every connection, pooled or fresh, went through the proxy's tunnel.
      assert.equal(proxy.tunnels, summary.fresh.connectionsOpened + summary.pooled.connectionsOpened);
      assert.equal(emulator.counters().tlsHandshakes, proxy.tunnels, 'and every one verified the emulator with the configured CA');
      assert.equal(summary.rounds, 3);
      const shown = standIn.messages.find((m) => m.level === 'info')?.text ?? '';
      assert.match(shown, /(faster|slower|no clear difference).*rounds ranged [\d.]+–[\d.]+× over 3 rounds/);
    } finally {
      command.dispose();
      host.dispose();
      settings.dispose();
    }
  });
});

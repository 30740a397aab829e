// A call's bookkeeping: encoded once before it takes anything, counted in flight from its start to its end.
import assert from 'node:assert/strict';
import { ConfigError, type ChatRequest } from '../../src/openrouter/index';
import { ConnectionPool } from '../../src/openrouter/pool';
import { KEY, TRANSPORTS, chat, rejectionOf, useRig } from '../support/providerHarness';

for (const transport of TRANSPORTS) {
  describe(`provider call bookkeeping over ${transport.name}`, () => {
    const rig = useRig(transport.emulator, transport.provider);

    it('fails a body that cannot be encoded with a ConfigError, sending nothing and leaking no connection', async () => {
      const { emulator, make } = rig();
      const provider = make({ poolSize: 1 });
      const withBigInt = { ...chat('big'), seed: 10n } as unknown as ChatRequest;
      const cyclic: Record<string, unknown> = { ...chat('cycle') };
      cyclic.self = cyclic;
      for (const request of [withBigInt, cyclic as unknown as ChatRequest]) {
        const error = await rejectionOf(provider.execute(request));
        assert.ok(error instanceof ConfigError, String(error));
        assert.match(error.message, /^POST \/chat\/completions: the request could not be encoded as JSON: /);
        assert.equal(error.attempts, 0);
      }
      assert.equal(provider.stats().inFlight, 0);
      assert.equal(provider.stats().requests, 0);
      assert.equal(emulator.counters().requests, 0);
      // The one kept connection is still free: the second good call rides the socket the first one opened.
      const records: boolean[] = [];
      await provider.execute(chat('one'), { onAttempt: (record) => records.push(record.newConnection) });
      await provider.execute(chat('two'), { onAttempt: (record) => records.push(record.newConnection) });
      assert.deepEqual(records, [true, false]);
    });

    it('counts a call in flight from its start: while its key is read and while it waits to retry', async () => {
      const { emulator, make } = rig();
      let giveKey: (key: string) => void = () => {};
      let keyAsked: () => void = () => {};
      const asked = new Promise<void>((resolve) => {
        keyAsked = resolve;
      });
      let reads = 0;
      // The first read waits for the test; later attempts get the key at once.
      const provider = make({
        apiKey: () => {
          if (reads++ > 0) return KEY;
          keyAsked();
          return new Promise<string>((resolve) => {
            giveKey = resolve;
          });
        },
      });
      emulator.addFault({ path: '/models', fault: { type: 'status', status: 503, retryAfterMs: 30 } });
      const inFlightAtRetry: number[] = [];
      const call = provider.listModels({
        onAttempt: (record) => {
          if (record.retryDelayMs !== undefined) inFlightAtRetry.push(provider.stats().inFlight);
        },
      });
      await asked;
      assert.equal(provider.stats().inFlight, 1, 'in flight while the key is read');
      giveKey(KEY);
      await call;
      assert.deepEqual(inFlightAtRetry, [1], 'in flight while it waits to retry');
      assert.equal(provider.stats().inFlight, 0);
    });
  });
}

describe('connection pool after close', () => {
  it('refuses to lend a connection once closed, with a clear error', async () => {
    const pool = new ConnectionPool({ origin: 'http://127.0.0.1:9', poolSize: 2, connectMs: 1_000, headersMs: 1_000, idleMs: 1_000, allowH2: false });
    await pool.close();
    await assert.rejects(pool.acquire(), /the connection pool is closed/);
  });
});

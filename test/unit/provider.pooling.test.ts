import assert from 'node:assert/strict';
import { Agent } from 'undici';
import { keyFingerprint, startEmulator } from '../emulator/index';
import { AbortError, ConnectionError, type OpenRouterProvider } from '../../src/openrouter/index';
import { KEY, chat, makeProvider, rejectionOf, useRig } from '../support/providerHarness';
import { waitFor } from '../support/waitFor';

describe('provider pooling (HTTP/1.1 over loopback)', () => {
  const rig = useRig({}, { poolSize: 4 });

  it('reuses one connection for sequential calls', async () => {
    const { provider, emulator, records } = rig();
    await provider.listModels();
    await provider.execute(chat('one'));
    await provider.validateConfig();
    for await (const _chunk of provider.streamExecute(chat('two'))) { /* drain */ }
    await provider.listModels();
    assert.equal(emulator.counters().connectionsAccepted, 1);
    assert.equal(provider.stats().connectionsOpened, 1);
    assert.deepEqual(records.map((r) => r.newConnection), [true, false, false, false, false]);
    assert.equal(provider.stats().reusedRequests, 4);
    assert.ok(records.every((r) => r.httpVersion === '1.1'));
  });

  it('never blocks: a burst of 3 × poolSize calls is in flight at once', async () => {
    // Each answer takes 1.5 s, so every call must be in flight together for all to reach the server first.
    const emulator = await startEmulator({ serverDelayMs: 1_500 });
    const provider = makeProvider(emulator, { poolSize: 4 });
    try {
      let finished = 0;
      const burst = Array.from({ length: 12 }, () => provider.validateConfig().finally(() => finished++));
      // All twelve reach the server while the first is still being answered.
      await waitFor('all 12 requests at the server', () => emulator.counters().requests === 12);
      assert.equal(finished, 0);
      assert.equal(provider.stats().inFlight, 12);
      await Promise.all(burst);
      assert.equal(emulator.counters().connectionsAccepted, 12);
    } finally {
      await provider.close();
      await emulator.close();
    }
  });

  it('keeps at most poolSize idle connections after a burst, and reuses them', async () => {
    const emulator = await startEmulator({ serverDelayMs: 500 });
    const provider = makeProvider(emulator, { poolSize: 4 });
    try {
      await Promise.all(Array.from({ length: 12 }, () => provider.validateConfig()));
      assert.ok(emulator.counters().connectionsAccepted > 4, 'the burst went beyond the pool');
      await waitFor('the server to see extra connections closed', () => emulator.counters().openConnections <= 4);
      await waitFor('the client to close extra connections', () => provider.stats().openConnections <= 4);
      assert.equal(emulator.counters().openConnections, 4);
      const before = emulator.counters().connectionsAccepted;
      await Promise.all(Array.from({ length: 4 }, () => provider.validateConfig()));
      assert.equal(emulator.counters().connectionsAccepted, before, 'a burst of poolSize rides the kept connections');
    } finally {
      await provider.close();
      await emulator.close();
    }
  });

  it('close() closes every socket', async () => {
    const { provider, emulator } = rig();
    await Promise.all(Array.from({ length: 3 }, () => provider.listModels()));
    assert.ok(emulator.counters().openConnections > 0);
    await provider.close();
    await waitFor('the server to see all connections closed', () => emulator.counters().openConnections === 0);
    assert.equal(provider.stats().openConnections, 0);
    const error = await rejectionOf(provider.listModels());
    assert.ok(error instanceof ConnectionError);
  });

  it('sends every request through a caller’s dispatcher when given one', async () => {
    const { emulator } = rig();
    const agent = new Agent();
    let dispatched = 0;
    const counting = agent.compose((dispatch) => (opts, handler) => {
      dispatched++;
      return dispatch(opts, handler);
    });
    const provider = makeProvider(emulator, { dispatcher: counting });
    try {
      await provider.listModels();
      await provider.execute(chat('via agent'));
      assert.equal(dispatched, 2);
      // The caller's dispatcher owns its sockets, so the provider cannot count them.
      assert.equal(provider.stats().connectionsOpened, 0);
    } finally {
      await provider.close();
      await agent.close();
    }
  });
});

describe('provider DNS lookups', () => {
  it('counts and caches lookups: one lookup for many connections to localhost', async () => {
    const emulator = await startEmulator({ serverDelayMs: 300 });
    const provider: OpenRouterProvider = makeProvider(emulator, { baseUrl: `http://localhost:${emulator.port}/api/v1`, poolSize: 2 });
    try {
      await Promise.all(Array.from({ length: 6 }, () => provider.validateConfig()));
      await provider.validateConfig();
      assert.ok(provider.stats().connectionsOpened > 1);
      assert.equal(provider.stats().dnsLookups, 1);
    } finally {
      await provider.close();
      await emulator.close();
    }
  });

  it('makes no lookup for an IP address', async () => {
    const emulator = await startEmulator();
    const provider = makeProvider(emulator);
    try {
      await provider.listModels();
      assert.equal(provider.stats().dnsLookups, 0);
    } finally {
      await provider.close();
      await emulator.close();
    }
  });
});

describe('provider over HTTPS', () => {
  const rig = useRig({ tls: true }, { poolSize: 3 });

  it('trusts the test CA given in `ca`, over HTTP/1.1 by default', async () => {
    const { provider, emulator, records } = rig();
    const models = await provider.listModels();
    assert.ok(models.length > 100);
    await provider.listModels();
    assert.equal(emulator.counters().tlsHandshakes, 1);
    assert.equal(records[0]?.httpVersion, '1.1');
  });

  it('refuses the certificate without `ca` (verification stays on), and does not retry it', async () => {
    const { emulator } = rig();
    const provider = makeProvider(emulator, { ca: undefined });
    try {
      const error = await rejectionOf(provider.listModels());
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match((error as Error).message, /certificate/);
      assert.equal((error as ConnectionError).attempts, 1);
    } finally {
      await provider.close();
    }
  });

  it('negotiates HTTP/2 with allowH2, where a burst shares one connection', async () => {
    const { emulator } = rig();
    const provider = makeProvider(emulator, { allowH2: true, poolSize: 3 });
    const records: string[] = [];
    provider.onRequest((r) => records.push(r.httpVersion ?? '?'));
    try {
      await provider.listModels();
      await Promise.all(Array.from({ length: 9 }, (_, i) => provider.execute(chat(`h2 ${i}`))));
      let text = '';
      for await (const chunk of provider.streamExecute(chat('h2 stream'))) text += chunk.choices[0]?.delta.content ?? '';
      assert.match(text, /h2 stream/);
      assert.deepEqual(new Set(records), new Set(['2']));
      assert.equal(emulator.counters().connectionsAccepted, 1);
      assert.equal(provider.stats().connectionsOpened, 1);
    } finally {
      await provider.close();
    }
  });
});

describe('provider over HTTP/2 from a cold start', () => {
  const rig = useRig({ tls: true }, { allowH2: true, poolSize: 4 });

  it('a first burst waits for the first connection’s ALPN answer and then shares it', async () => {
    const { provider, emulator, records } = rig();
    await Promise.all(Array.from({ length: 12 }, (_, i) => provider.execute(chat(`cold ${i}`))));
    assert.equal(emulator.counters().connectionsAccepted, 1);
    assert.equal(provider.stats().connectionsOpened, 1);
    assert.ok(records.every((r) => r.httpVersion === '2'));
    assert.equal(records.filter((r) => r.newConnection).length, 1);
  });

  it('an aborted call in a cold burst sends nothing and leaves nothing in flight', async () => {
    const { provider, emulator } = rig();
    const first = provider.listModels();
    const controller = new AbortController();
    const second = provider.listModels({ signal: controller.signal });
    controller.abort();
    assert.ok((await rejectionOf(second)) instanceof AbortError);
    await first;
    assert.equal(emulator.counters().requests, 1);
    assert.equal(provider.stats().inFlight, 0);
  });
});

describe('provider with allowH2 against an HTTP/1.1-only server', () => {
  const rig = useRig({}, { allowH2: true, poolSize: 2 });

  it('falls back to HTTP/1.1 rules after the first answer, and never blocks', async () => {
    const { provider, emulator, records } = rig();
    await Promise.all(Array.from({ length: 6 }, () => provider.validateConfig()));
    assert.ok(records.every((r) => r.httpVersion === '1.1'));
    assert.equal(emulator.counters().requests, 6);
    await waitFor('extra connections to close', () => emulator.counters().openConnections <= 2);
  });
});

describe('provider keys per request', () => {
  const rig = useRig();

  it('reads an async apiKey function for every request', async () => {
    const { emulator } = rig();
    emulator.setKey('sk-or-v1-second', { limit: null, limit_remaining: null, usage: 0 });
    let current = KEY;
    let reads = 0;
    const provider = makeProvider(emulator, { apiKey: async () => { reads++; return current; } });
    try {
      assert.equal((await provider.validateConfig()).ok, true);
      current = 'sk-or-v1-second';
      const second = await provider.validateConfig();
      assert.ok(second.ok);
      current = 'sk-or-v1-unknown';
      const third = await provider.validateConfig();
      assert.equal(third.ok, false);
      assert.equal(reads, 3);
      const sent = emulator.requests().map((r) => r.keyFingerprint);
      assert.deepEqual(sent, [KEY, 'sk-or-v1-second', 'sk-or-v1-unknown'].map(keyFingerprint));
    } finally {
      await provider.close();
    }
  });
});

import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { ConnectionTracker } from '../../src/openrouter/connections';

function lookupAll(tracker: ConnectionTracker, host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    tracker.lookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses as LookupAddress[])));
  });
}

function lookupOne(tracker: ConnectionTracker, host: string): Promise<{ address: string; family?: number }> {
  return new Promise((resolve, reject) => {
    tracker.lookup(host, {}, (err, address, family) => (err ? reject(err) : resolve({ address: address as string, family })));
  });
}

describe('DNS lookup cache', () => {
  const trackers: ConnectionTracker[] = [];
  const make = (ttlMs?: number): ConnectionTracker => {
    const tracker = new ConnectionTracker(ttlMs);
    trackers.push(tracker);
    return tracker;
  };
  afterEach(() => {
    for (const tracker of trackers.splice(0)) tracker.dispose();
  });

  it('resolves localhost once and answers repeats from the cache', async () => {
    const tracker = make();
    const first = await lookupAll(tracker, 'localhost');
    assert.ok(first.length > 0);
    assert.deepEqual(await lookupAll(tracker, 'localhost'), first);
    const one = await lookupOne(tracker, 'localhost');
    assert.equal(one.address, first[0]?.address);
    assert.equal(tracker.dnsLookups, 1);
  });

  it('shares one query between concurrent lookups of the same name', async () => {
    const tracker = make();
    await Promise.all(Array.from({ length: 5 }, () => lookupAll(tracker, 'localhost')));
    assert.equal(tracker.dnsLookups, 1);
  });

  it('asks again once the entry is older than its TTL', async () => {
    const tracker = make(0);
    await lookupAll(tracker, 'localhost');
    await lookupAll(tracker, 'localhost');
    assert.equal(tracker.dnsLookups, 2);
  });
});

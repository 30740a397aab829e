// Kept connections that Debian's nginx closes while idle (keepalive_timeout 1s), met by the next call:
// over HTTP/1.1 a FIN, over HTTP/2 a GOAWAY then FIN. Nothing may be lost, nothing run twice, and a call
// that meets such a connection must not sit out a retry backoff.
import assert from 'node:assert/strict';
import type { RequestRecord } from '../../src/openrouter/index';
import { blockUntilPeerCloses } from '../support/nginx/closeWait';
import { useNginxRig } from '../support/nginx/rig';
import { chat } from '../support/providerHarness';
import { waitFor } from '../support/waitFor';

const TRANSPORTS = [
  { name: 'HTTP/2', allowH2: true },
  { name: 'HTTP/1.1', allowH2: false },
];

describe('behind nginx that closes idle connections after 1 s', function () {
  this.timeout(60_000);
  const rig = useNginxRig({ keepaliveRequests: 30, keepaliveTimeout: '1s' });

  for (const transport of TRANSPORTS) {
    it(`${transport.name}: a call made just after nginx closed the idle connection goes out once, on a new connection, without a retry`, async () => {
      const { make, port, completionsUpstream } = rig();
      const provider = make({ allowH2: transport.allowH2 });
      for (let round = 1; round <= 3; round++) {
        await provider.execute(chat(`warm ${round}`));
        // The process is kept busy until nginx's close has reached it unread, as a busy editor would be.
        blockUntilPeerCloses(port, 5_000);
        const records: RequestRecord[] = [];
        const completion = await provider.execute(chat(`after idle ${round}`), { onAttempt: (record) => records.push(record) });
        assert.match(String(completion.choices[0]?.message.content), new RegExp(`after idle ${round}`));
        assert.deepEqual(records.map((r) => ({ status: r.status, newConnection: r.newConnection, retryDelayMs: r.retryDelayMs })), [
          { status: 200, newConnection: true, retryDelayMs: undefined },
        ]);
      }
      assert.equal(completionsUpstream(), 6);
    });

    it(`${transport.name}: once nginx has closed an idle connection, calls spaced around its keep-alive timeout all succeed, each POSTed upstream once`, async () => {
      const { make, completionsUpstream } = rig();
      const provider = make({ allowH2: transport.allowH2 });
      const records: RequestRecord[] = [];
      provider.onRequest((record) => records.push(record));
      await provider.execute(chat('first'));
      // nginx drops the idle connection after 1 s, and the provider sees it go.
      await waitFor('nginx to close the idle connection', () => provider.stats().openConnections === 0, 10_000);
      if (!transport.allowH2) {
        // HTTP/1.1 has no way to say a request came too late, and nginx does not announce its timeout: it is learnt.
        const learnt = provider.stats().serverIdleTimeoutMs;
        assert.ok(learnt !== undefined && learnt >= 900 && learnt < 5_000, `the idle timeout learnt: ${learnt} ms`);
      }
      const gaps = [960, 990, 1000, 1010, 1040];
      await provider.execute(chat('warm'));
      for (const [i, gap] of gaps.entries()) {
        // The spacing is what is tested: the next call starts near the moment nginx drops the idle connection.
        await new Promise((resolve) => setTimeout(resolve, gap));
        await provider.execute(chat(`after ${gap} ms (${i})`));
      }
      assert.equal(completionsUpstream(), gaps.length + 2);
      assert.deepEqual(records.filter((r) => r.error).map((r) => r.error), []);
      if (!transport.allowH2) {
        // Every call near the timeout went out on a new connection, none on one nginx was dropping. A call made while
        // the kept connection was still open says it was renewed (the later ones may find nginx closed it already).
        const spaced = records.slice(-gaps.length);
        assert.deepEqual(spaced.map((r) => r.newConnection), gaps.map(() => true));
        const renewed = spaced.map((r) => r.renewedBeforeServerIdleMs).filter((ms) => ms !== undefined);
        assert.ok(renewed.length >= 1 && renewed.every((ms) => ms >= 900 && ms < 5_000), `renewed before the timeout learnt: ${JSON.stringify(renewed)}`);
      }
    });
  }

  it('HTTP/1.1: a connection idle well within the learnt timeout is still reused', async () => {
    const { make } = rig();
    const provider = make({ allowH2: false });
    const records: RequestRecord[] = [];
    provider.onRequest((record) => records.push(record));
    await provider.execute(chat('first'));
    await waitFor('nginx to close the idle connection', () => provider.stats().serverIdleTimeoutMs !== undefined, 10_000);
    await provider.execute(chat('second'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await provider.execute(chat('third, 300 ms later'));
    assert.deepEqual(records.map((r) => r.newConnection), [true, true, false]);
    assert.ok(records.every((r) => r.renewedBeforeServerIdleMs === undefined), 'nothing was renewed');
  });
});

// Completions through Debian's nginx (TLS, HTTP/2, keepalive_requests 30) in front of the emulator: nginx
// ends each connection after 30 requests (GOAWAY over HTTP/2, `Connection: close` over HTTP/1.1), as CDNs
// do. Every call must succeed and run upstream exactly once: a resent completion is billed twice.
import assert from 'node:assert/strict';
import type { ChatCompletion } from '../../src/openrouter/index';
import { useNginxRig } from '../support/nginx/rig';
import { chat } from '../support/providerHarness';

const TRANSPORTS = [
  { name: 'HTTP/2', allowH2: true, version: '2' },
  { name: 'HTTP/1.1', allowH2: false, version: '1.1' },
];

function answerOf(completion: ChatCompletion): string {
  return String(completion.choices[0]?.message.content);
}

describe('behind nginx that closes connections after 30 requests', function () {
  this.timeout(60_000);
  const rig = useNginxRig({ keepaliveRequests: 30, keepaliveTimeout: '1s' });

  for (const transport of TRANSPORTS) {
    it(`${transport.name}: 60 sequential completions all succeed, each POSTed upstream exactly once`, async () => {
      const { make, completionsUpstream } = rig();
      const provider = make({ allowH2: transport.allowH2 });
      const versions = new Set<string | undefined>();
      for (let i = 1; i <= 60; i++) {
        const completion = await provider.execute(chat(`call ${i}`), { onAttempt: (record) => versions.add(record.httpVersion) });
        assert.match(answerOf(completion), new RegExp(`You said: call ${i}\\b`));
      }
      assert.equal(completionsUpstream(), 60);
      assert.deepEqual([...versions], [transport.version]);
      assert.ok(provider.stats().connectionsOpened >= 2, 'nginx ended the first connection after 30 requests');
    });

    it(`${transport.name}: a burst of 60 completions all succeed, each POSTed upstream exactly once`, async () => {
      const { make, completionsUpstream } = rig();
      const provider = make({ allowH2: transport.allowH2 });
      const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => provider.execute(chat(`burst ${i + 1}`))));
      const failures = results.filter((result) => result.status === 'rejected').map((result) => String((result as PromiseRejectedResult).reason));
      assert.deepEqual(failures, []);
      results.forEach((result, i) => assert.match(answerOf((result as PromiseFulfilledResult<ChatCompletion>).value), new RegExp(`burst ${i + 1}\\b`)));
      assert.equal(completionsUpstream(), 60);
    });
  }

  it('HTTP/2 without retries: the calls that meet the GOAWAY still get their answers', async () => {
    const { make, completionsUpstream } = rig();
    const provider = make({ allowH2: true, maxRetries: 0 });
    for (let i = 1; i <= 61; i++) await provider.execute(chat(`call ${i}`));
    assert.equal(completionsUpstream(), 61);
    assert.equal(provider.stats().retries, 0);
  });

  it('HTTP/2: a burst of 60 streamed completions all run to [DONE], each POSTed upstream exactly once', async () => {
    const { make, completionsUpstream, emulator } = rig();
    const provider = make({ allowH2: true });
    const counts = await Promise.all(Array.from({ length: 60 }, async () => {
      let pieces = 0;
      for await (const chunk of provider.streamExecute(chat('[[chunks:20]] stream'))) if (chunk.choices[0]?.delta.content) pieces++;
      return pieces;
    }));
    assert.deepEqual(counts, Array.from({ length: 60 }, () => 20));
    assert.equal(completionsUpstream(), 60);
    assert.equal(emulator.counters().streamsAbortedByClient, 0);
  });
});

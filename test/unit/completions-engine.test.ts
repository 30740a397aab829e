import assert from 'node:assert/strict';
import { fetchCompletion, type CompletionOutcome } from '../../src/completions/completionClient';
import { CompletionEngine, wantsSingleLine, type CompletionInput, type EngineEvent } from '../../src/completions/completionEngine';
import { CompletionSpend } from '../../src/completions/completionSpend';
import { RateGuard } from '../../src/completions/rateGuard';
import { TRANSPORTS, useRig } from '../support/providerHarness';
import { waitFor } from '../support/waitFor';

const FIM_MODEL = 'mistralai/codestral-2508';

/** A document whose prefix asks the emulator for `middle` (see test/emulator/fimMiddle.ts). */
function at(middle: string, typed = '', suffix = '\n'): CompletionInput {
  const prefix = `// [[fim:${middle}]]\nfunction add(a, b) {\n  ${typed}`;
  return { documentKey: 'file:///work/add.ts', offset: prefix.length, prefix, suffix, languageId: 'typescript', path: 'add.ts' };
}

for (const transport of TRANSPORTS) {
  describe(`completion engine against the emulator over ${transport.name}`, () => {
    const rig = useRig({ ...transport.emulator, chunkDelayMs: 30 }, transport.provider);
    let events: EngineEvent[];
    let outcomes: CompletionOutcome[];
    let spend: CompletionSpend;

    function engine(options: { debounceMs?: number; model?: string; guard?: RateGuard; mayRequest?: () => Promise<boolean> } = {}): CompletionEngine {
      events = [];
      outcomes = [];
      spend = new CompletionSpend();
      const { provider } = rig();
      return new CompletionEngine(
        (prompt, signal, limits) => fetchCompletion(provider, prompt, { signal, ...limits, onOutcome: (o) => { outcomes.push(o); spend.record(o); } }),
        () => ({ model: options.model ?? FIM_MODEL, debounceMs: options.debounceMs ?? 0, contextTokens: 2048, maxTokens: 64 }),
        options.guard ?? new RateGuard(100),
        (event) => events.push(event),
        undefined,
        options.mayRequest,
      );
    }
    const completionRequests = (): number => rig().emulator.counters().requestsByPath['/completions'] ?? 0;

    it('answers the middle through /completions with the prefix and suffix, and knows its cost', async () => {
      const ghost = await engine().complete(at('return a + b;'));
      assert.equal(ghost, 'return a + b;');
      const sent = rig().emulator.requests().find((r) => r.path === '/completions')?.body as { prompt: string; suffix: string; stream: boolean; model: string };
      assert.equal(sent.model, FIM_MODEL);
      assert.equal(sent.stream, true);
      assert.ok(sent.prompt.startsWith('// Path: add.ts\n// [[fim:'));
      assert.equal(sent.suffix, '\n');
      assert.equal(spend.snapshot.requests, 1);
      assert.equal(spend.snapshot.costed, 1);
      assert.ok(spend.snapshot.costUsd > 0, 'the usage chunk carries the cost');
      assert.match(String(outcomes[0]?.generationId), /^gen-/);
    });

    it('sends nothing while a spent budget holds completions, and takes no slot of the rate guard', async () => {
      let allowed = false;
      const guard = new RateGuard(100);
      const e = engine({ guard, mayRequest: () => Promise.resolve(allowed) });
      assert.equal(await e.complete(at('held')), undefined);
      assert.equal(completionRequests(), 0);
      assert.equal(guard.used, 0);
      allowed = true;
      assert.equal(await e.complete(at('held')), 'held');
      assert.equal(completionRequests(), 1);
    });

    it('waits for the pause: a keystroke during it sends nothing for the earlier position', async () => {
      const e = engine({ debounceMs: 150 });
      const started = performance.now();
      const first = e.complete(at('first'));
      const second = e.complete(at('second'));
      assert.equal(await first, undefined);
      assert.equal(await second, 'second');
      // (Node may fire the pause's timer up to a millisecond early.)
      const waited = performance.now() - started;
      assert.ok(waited >= 149, `the request waited for the pause: ${waited.toFixed(1)} ms`);
      assert.equal(completionRequests(), 1);
      assert.deepEqual(events.filter((ev) => ev.type === 'cancelled'), [{ type: 'cancelled', sent: false }]);
    });

    it('a keystroke while the answer streams closes the stream, and the emulator sees it closed', async () => {
      const e = engine();
      const slow = e.complete(at('a long middle that streams four characters every thirty milliseconds'));
      await waitFor('the first request to arrive', () => completionRequests() === 1);
      const next = e.complete(at('b;', 'a + '));
      assert.equal(await slow, undefined, 'the earlier answer is not shown');
      assert.equal(await next, 'b;');
      await waitFor('the emulator to see the stream closed', () => rig().emulator.counters().streamsAbortedByClient === 1);
      assert.equal(spend.snapshot.cancelled, 1);
      assert.equal(outcomes[0]?.cancelled, true);
      assert.equal(outcomes[0]?.usage, undefined, 'no usage arrives for a closed stream');
      // What a cancellation costs the connection: HTTP/2 closes the stream only, HTTP/1.1 loses the socket.
      assert.equal(rig().emulator.counters().connectionsAccepted, transport.provider.allowH2 ? 1 : 2);
    });

    it('answers from the cache when the user types what it predicted, without a request', async () => {
      const e = engine();
      assert.equal(await e.complete(at('return a + b;')), 'return a + b;');
      assert.equal(await e.complete(at('return a + b;', 'ret')), 'urn a + b;');
      assert.equal(await e.complete(at('return a + b;', 'return a')), ' + b;');
      // Back to where it was asked: the whole answer again.
      assert.equal(await e.complete(at('return a + b;')), 'return a + b;');
      assert.equal(completionRequests(), 1);
      assert.equal(events.filter((ev) => ev.type === 'cache-hit').length, 3);
      // Typing something else asks again.
      assert.equal(await e.complete(at('x;', 'return x')), 'x;');
      assert.equal(completionRequests(), 2);
    });

    it('sends at most the per-minute limit and says when it stops', async () => {
      const e = engine({ guard: new RateGuard(2) });
      assert.equal(await e.complete(at('one')), 'one');
      assert.equal(await e.complete(at('two', 'x')), 'two');
      assert.equal(await e.complete(at('three', 'xy')), undefined);
      assert.equal(completionRequests(), 2);
      const limited = events.find((ev) => ev.type === 'rate-limited');
      assert.ok(limited && limited.type === 'rate-limited' && limited.limit === 2 && limited.waitMs > 55_000);
    });

    it('asks a model without fill-in-the-middle through a chat and cleans its answer', async () => {
      const ghost = await engine({ model: 'emulator/echo' }).complete(at('return a + b;'));
      assert.equal(ghost, 'return a + b;');
      assert.equal(completionRequests(), 0);
      const chat = rig().emulator.requests().find((r) => r.path === '/chat/completions')?.body as { messages: Array<{ content: string }> };
      assert.match(chat.messages[1]?.content ?? '', /<CURSOR>/);
    });
  });
}

describe('completion engine decisions', () => {
  it('completes the rest of the line inside a line, several lines where a block or line starts', () => {
    assert.equal(wantsSingleLine('const x = ', ';\n'), true);
    assert.equal(wantsSingleLine('const x = ', '\n'), true);
    assert.equal(wantsSingleLine('function f() {', '\n}'), false);
    assert.equal(wantsSingleLine('x\n    ', '\n'), false);
  });
});

describe('rate guard', () => {
  it('allows N requests in any sliding minute and says how long until the next', () => {
    let now = 1_000_000;
    const guard = new RateGuard(3, () => now);
    assert.equal(guard.tryTake(), true);
    now += 10_000;
    assert.equal(guard.tryTake(), true);
    assert.equal(guard.tryTake(), true);
    assert.equal(guard.tryTake(), false);
    assert.equal(guard.used, 3);
    assert.equal(guard.waitMs(), 50_000);
    now += 50_000;
    assert.equal(guard.tryTake(), true, 'the first has left the minute');
    assert.equal(guard.tryTake(), false);
    guard.setLimit(5);
    assert.equal(guard.tryTake(), true);
  });
});

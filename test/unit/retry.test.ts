import assert from 'node:assert/strict';
import { raceAbort, sleep, withRetries } from '../../src/openrouter/retry';

class Flaky extends Error {
  constructor(readonly waitMs: number | undefined) {
    super('flaky');
  }
}

describe('withRetries (p-retry driven by the policy)', () => {
  it('waits exactly the delay chosen for each failure, not p-retry’s own backoff', async () => {
    const starts: number[] = [];
    const waits = [30, 60];
    const result = await withRetries(async (attempt) => {
      starts.push(performance.now());
      if (attempt <= waits.length) throw new Flaky(waits[attempt - 1]);
      return attempt;
    }, { maxRetries: 3, delayFor: (error) => (error as Flaky).waitMs });
    assert.equal(result, 3);
    const gaps = starts.slice(1).map((start, i) => start - (starts[i] as number));
    // Timers never fire early; the gap is at least the chosen wait and far below p-retry's 1 s default.
    assert.ok((gaps[0] as number) >= 29 && (gaps[0] as number) < 500, `first gap ${gaps[0]}`);
    assert.ok((gaps[1] as number) >= 59 && (gaps[1] as number) < 500, `second gap ${gaps[1]}`);
  });

  it('stops at the first failure the policy refuses to retry', async () => {
    let attempts = 0;
    await assert.rejects(withRetries(async () => {
      attempts++;
      throw new Flaky(undefined);
    }, { maxRetries: 3, delayFor: (error) => (error as Flaky).waitMs }), /flaky/);
    assert.equal(attempts, 1);
  });

  it('makes at most maxRetries + 1 attempts and rethrows the last failure', async () => {
    let attempts = 0;
    let retries = 0;
    await assert.rejects(withRetries(async () => {
      attempts++;
      throw new Flaky(0);
    }, { maxRetries: 2, delayFor: () => 0, onRetry: () => retries++ }), /flaky/);
    assert.equal(attempts, 3);
    assert.equal(retries, 2);
  });

  it('ends a backoff wait the moment the signal aborts', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const started = performance.now();
    const run = withRetries(async () => {
      attempts++;
      setTimeout(() => controller.abort(new Error('stopped')), 20);
      throw new Flaky(60_000);
    }, { maxRetries: 3, signal: controller.signal, delayFor: (error) => (error as Flaky).waitMs });
    await assert.rejects(run, /stopped/);
    assert.equal(attempts, 1);
    assert.ok(performance.now() - started < 5_000, 'the 60 s wait was not cut short');
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('before'));
    let attempts = 0;
    await assert.rejects(withRetries(async () => ++attempts, { maxRetries: 3, signal: controller.signal, delayFor: () => 0 }), /before/);
    assert.equal(attempts, 0);
  });
});

describe('sleep and raceAbort', () => {
  it('sleep rejects with the abort reason', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
  });

  it('raceAbort rejects as soon as the signal aborts, before the work settles', async () => {
    const controller = new AbortController();
    let settle: (v: string) => void = () => {};
    const work = new Promise<string>((resolve) => { settle = resolve; });
    const raced = raceAbort(work, controller.signal);
    controller.abort(new Error('gone'));
    await assert.rejects(raced, /gone/);
    settle('late');
  });

  it('raceAbort passes the result through when nothing aborts', async () => {
    const controller = new AbortController();
    assert.equal(await raceAbort(Promise.resolve('ok'), controller.signal), 'ok');
  });
});

import assert from 'node:assert/strict';
import { SOAK_FAULTS, runSoak, type SoakResult } from '../bench/soakRun';

describe('reliability: soak under injected faults', function () {
  this.timeout(60_000);
  let result: SoakResult;

  before(async () => {
    // A quarter of the calls meet a fault, so every kind comes up in a few hundred calls. The timeouts
    // leave room for a busy CI machine: only the injected stalls may reach them.
    result = await runSoak({ calls: 300, concurrency: 20, faultRate: 0.25, seed: 11, poolSize: 6, timeouts: { connectMs: 5_000, headersMs: 4_000, idleMs: 3_000 } });
  });

  it('meets every fault kind the emulator knows', () => {
    for (const name of Object.keys(SOAK_FAULTS)) assert.ok((result.byFault[name]?.calls ?? 0) > 0, `no call met "${name}"`);
  });

  it('settles every call in time, once, with nothing unhandled', () => {
    assert.equal(result.hung, 0, 'calls past their deadline');
    assert.equal(result.unhandledRejections, 0);
    assert.equal(result.doubleAnswers, 0, 'calls with more than one final answer');
    assert.equal(result.lostErrors, 0, 'calls whose outcome contradicts their final record');
    assert.equal(result.succeeded + result.failed, result.calls);
  });

  it('fails only with typed errors that carry a message, of the kind the fault implies', () => {
    assert.equal(result.untypedFailures, 0, JSON.stringify(result.failedByClass));
    assert.equal(result.wrongKinds, 0, JSON.stringify(result.samples, null, 1));
  });

  it('retries away every transient fault, and never retries a response that had started', () => {
    assert.equal(result.unexpectedFailures, 0, JSON.stringify(result.samples, null, 1));
    for (const [name, spec] of Object.entries(SOAK_FAULTS)) {
      const figures = result.byFault[name];
      if (!figures) continue;
      if (spec.recovers) {
        assert.equal(figures.succeeded, figures.calls, `${name}: every call succeeded`);
        const retried = name.startsWith('429') || /^\d|HTML|drop before/.test(name);
        if (retried) assert.equal(figures.retries, figures.calls, `${name}: exactly one retry per call`);
      } else {
        assert.equal(figures.succeeded, 0, `${name}: no call pretended to succeed`);
        assert.equal(figures.retries, 0, `${name}: not retried`);
      }
    }
  });

  it('keeps sockets bounded by the pool, and closes them all on close()', () => {
    assert.ok(result.sockets.openAtEnd <= result.sockets.poolSize, `${result.sockets.openAtEnd} open, pool ${result.sockets.poolSize}`);
    assert.equal(result.sockets.openAfterClose, 0, 'open at the emulator after close()');
    assert.equal(result.sockets.providerOpenAfterClose, 0, 'open by the provider’s count after close()');
  });
});

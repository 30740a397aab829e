import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { toAbortSignal } from '../../src/util/cancellation';
import type { CancellationTokenLike } from '../../src/util/cancellation';

/** Behaves like vscode.CancellationTokenSource's token: cancel once, listeners told once. */
function tokenSource() {
  const events = new EventEmitter();
  let cancelled = false;
  const token: CancellationTokenLike = {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested(listener) {
      events.on('cancel', listener);
      return { dispose: () => events.off('cancel', listener) };
    },
  };
  return {
    token,
    cancel: () => {
      if (cancelled) return;
      cancelled = true;
      events.emit('cancel');
    },
    listeners: () => events.listenerCount('cancel'),
  };
}

describe('CancellationToken to AbortSignal', () => {
  it('aborts the signal when the token is cancelled', () => {
    const source = tokenSource();
    const { signal } = toAbortSignal(source.token);
    assert.equal(signal.aborted, false);
    source.cancel();
    assert.equal(signal.aborted, true);
  });

  it('is already aborted for a token that already was cancelled', () => {
    const source = tokenSource();
    source.cancel();
    assert.equal(toAbortSignal(source.token).signal.aborted, true);
  });

  it('stops listening once disposed, so finished requests leave nothing behind', () => {
    const source = tokenSource();
    const converted = toAbortSignal(source.token);
    assert.equal(source.listeners(), 1);
    converted.dispose();
    assert.equal(source.listeners(), 0);
    source.cancel();
    assert.equal(converted.signal.aborted, false);
  });

  it('never aborts without a token', () => {
    assert.equal(toAbortSignal(undefined).signal.aborted, false);
  });
});

// Runs attempts under p-retry, waiting between them exactly the delay the retry policy chose.
import { loadPRetry } from './lazyPackages';

export interface RetryRun {
  maxRetries: number;
  signal?: AbortSignal;
  /** The wait chosen for this failure, or undefined when it must not be retried. */
  delayFor(error: unknown): number | undefined;
  /** Called as each retry starts, after its wait. */
  onRetry?(): void;
}

/**
 * p-retry's own wait is computed from fixed options (minTimeout · factorⁿ) and cannot follow a
 * per-failure `Retry-After`, so its timeouts are zero and `shouldRetry` waits the chosen delay
 * itself, on a timer the AbortSignal cancels at once.
 */
export function withRetries<T>(attempt: (attemptNumber: number) => Promise<T>, run: RetryRun): Promise<T> {
  return loadPRetry()(attempt, {
    retries: run.maxRetries,
    minTimeout: 0,
    maxTimeout: 0,
    factor: 1,
    randomize: false,
    signal: run.signal,
    shouldRetry: async ({ error }) => {
      const wait = run.delayFor(error);
      if (wait === undefined) return false;
      await sleep(wait, run.signal);
      run.onRetry?.();
      return true;
    },
  });
}

/**
 * Resolves after `ms`, or rejects with the signal's reason the moment it aborts. `unref`: the wait alone does
 * not keep the process alive (a background wait nobody must sit through at shutdown).
 */
export function sleep(ms: number, signal?: AbortSignal, options: { unref?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (options.unref) timer.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settles like `promise`, but rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

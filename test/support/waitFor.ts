// The one way a test waits for something another part makes true (the emulator, the extension host, a webview):
// it polls between event-loop turns until the probe's value is accepted, and fails naming what it waited for and
// the last value seen. Never a fixed sleep: the wait ends as soon as the thing happens.

export interface WaitOptions<T> {
  /** How long before the wait fails (default 10 s; the test's own timeout still applies). */
  timeoutMs?: number;
  /** Time between probes (default 50 ms: a probe may itself be a request to the emulator, whose socket must go first). */
  intervalMs?: number;
  /** Which value ends the wait (default: any truthy value). */
  accept?: (value: T) => boolean;
}

/** Polls `probe` until its value is accepted and returns that value; `options` may be just the timeout in ms. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, options: number | WaitOptions<T> = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 10_000, intervalMs = 50, accept = (value: T) => !!value } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${describe(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function describe(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 500);
  } catch {
    return String(value);
  }
}

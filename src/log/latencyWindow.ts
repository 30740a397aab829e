// A bounded window of recent latencies with percentiles: pure, unit-tested under plain Node.

export class LatencyWindow {
  private readonly values: number[] = [];
  private next = 0;

  constructor(private readonly capacity = 500) {}

  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    if (this.values.length < this.capacity) {
      this.values.push(ms);
    } else {
      this.values[this.next] = ms;
    }
    this.next = (this.next + 1) % this.capacity;
  }

  get size(): number {
    return this.values.length;
  }

  /** Nearest-rank percentile (p in 0..100); undefined when empty. */
  percentile(p: number): number | undefined {
    return percentile(this.values, p);
  }
}

export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}

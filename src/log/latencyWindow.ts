// A bounded window of recent latencies with percentiles: pure, unit-tested under plain Node.
import { percentile } from '../util/percentile';

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

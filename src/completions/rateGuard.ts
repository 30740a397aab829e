// The spending guard: at most N completion requests in any sliding minute.

const WINDOW_MS = 60_000;

export class RateGuard {
  private readonly sent: number[] = [];

  constructor(private limit: number, private readonly now: () => number = () => Date.now()) {}

  setLimit(limit: number): void {
    this.limit = limit;
  }

  get maxPerMinute(): number {
    return this.limit;
  }

  /** Requests counted in the last minute. */
  get used(): number {
    this.forgetOld();
    return this.sent.length;
  }

  /** Counts one request and returns true, or returns false when the minute's budget is spent. */
  tryTake(): boolean {
    this.forgetOld();
    if (this.sent.length >= this.limit) return false;
    this.sent.push(this.now());
    return true;
  }

  /** How long until the next request is allowed; 0 when it is now. */
  waitMs(): number {
    this.forgetOld();
    if (this.sent.length < this.limit) return 0;
    const oldest = this.sent[this.sent.length - this.limit] ?? this.now();
    return Math.max(0, oldest + WINDOW_MS - this.now());
  }

  private forgetOld(): void {
    const cutoff = this.now() - WINDOW_MS;
    let drop = 0;
    while (drop < this.sent.length && (this.sent[drop] as number) <= cutoff) drop++;
    if (drop > 0) this.sent.splice(0, drop);
  }
}

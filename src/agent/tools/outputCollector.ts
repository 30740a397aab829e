// A command's output kept within a size: the start and the latest part, whatever it prints, so a command that
// writes megabytes costs neither memory nor the model's context.
import { cutMiddle, stripTerminalCodes } from './textLimits';

export class OutputCollector {
  private head = '';
  private tail = '';
  private dropped = 0;

  constructor(private readonly max: number) {}

  add(chunk: string): void {
    const half = Math.floor(this.max / 2);
    if (this.head.length < half) {
      const room = half - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    this.tail += chunk;
    // Keep twice the tail needed, so escape sequences cut at the edge are rare, and trim in large steps.
    if (this.tail.length > this.max * 2) {
      const cut = this.tail.length - this.max;
      this.dropped += cut;
      this.tail = this.tail.slice(cut);
    }
  }

  /** The plain text (no terminal control codes), cut to the limit in the middle. */
  text(): string {
    const joined = this.dropped ? `${this.head}\n[… ${this.dropped} characters of output left out …]\n${this.tail}` : this.head + this.tail;
    return cutMiddle(stripTerminalCodes(joined), this.max).text;
  }
}

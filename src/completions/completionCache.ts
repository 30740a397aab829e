// Recent completions by where they were asked for: the same place again, or the user having typed the
// start of what was predicted, is answered without a request.

interface Entry {
  documentKey: string;
  /** Document offset of the cursor when the completion was asked for. */
  offset: number;
  /** The last characters before that cursor, to check the text there is still the same. */
  prefixTail: string;
  /** The first characters after that cursor. */
  suffixHead: string;
  middle: string;
}

export interface CacheLookup {
  documentKey: string;
  offset: number;
  prefix: string;
  suffix: string;
}

const TAIL_CHARS = 256;
const HEAD_CHARS = 64;

export class CompletionCache {
  private readonly entries: Entry[] = [];

  constructor(private readonly capacity = 50) {}

  get size(): number {
    return this.entries.length;
  }

  add(at: CacheLookup, middle: string): void {
    const entry: Entry = { documentKey: at.documentKey, offset: at.offset, prefixTail: at.prefix.slice(-TAIL_CHARS), suffixHead: at.suffix.slice(0, HEAD_CHARS), middle };
    const same = this.entries.findIndex((e) => e.documentKey === entry.documentKey && e.offset === entry.offset && e.prefixTail === entry.prefixTail && e.suffixHead === entry.suffixHead);
    if (same >= 0) this.entries.splice(same, 1);
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  /**
   * What is left of a recent completion at this cursor: all of it at the same place, or its rest after the
   * user typed its first characters. Undefined when none fits.
   */
  lookup(at: CacheLookup): string | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i] as Entry;
      if (entry.documentKey !== at.documentKey) continue;
      const typedLength = at.offset - entry.offset;
      if (typedLength < 0 || typedLength >= entry.middle.length || typedLength > at.prefix.length) continue;
      const typed = at.prefix.slice(at.prefix.length - typedLength);
      if (!entry.middle.startsWith(typed)) continue;
      const before = at.prefix.slice(0, at.prefix.length - typedLength);
      if (!before.endsWith(entry.prefixTail) && !entry.prefixTail.endsWith(before)) continue;
      if (!at.suffix.startsWith(entry.suffixHead) && !entry.suffixHead.startsWith(at.suffix.slice(0, HEAD_CHARS))) continue;
      // Move it to the newest place: it is in use.
      this.entries.splice(i, 1);
      this.entries.push(entry);
      return entry.middle.slice(typedLength);
    }
    return undefined;
  }

  clear(): void {
    this.entries.length = 0;
  }
}

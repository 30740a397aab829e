// Finds where a streaming markdown text can be cut so the part before the cut renders the same
// whatever arrives later: a blank line outside a code fence, followed by an unindented line.
// Lets the panel render finished blocks once and re-render only the growing tail each frame.

const fenceOpen = /^ {0,3}(`{3,}|~{3,})/;

export class StableBlockScanner {
  private scanned = 0;
  private fence: string | undefined;
  private sawBlankOutsideFence = false;
  private stable = 0;

  /** `onCut`: told every offset where a block starts that renders the same whatever follows. */
  constructor(private readonly onCut?: (offset: number) => void) {}

  /** True when the text scanned so far ends inside a code fence that has not been closed. */
  get inFence(): boolean {
    return this.fence !== undefined;
  }

  /** Offset up to which `text` (which only ever grows) is final markdown. */
  stableEnd(text: string): number {
    for (;;) {
      const newline = text.indexOf('\n', this.scanned);
      if (newline < 0) break;
      this.scanLine(text.slice(this.scanned, newline), this.scanned);
      this.scanned = newline + 1;
    }
    return this.stable;
  }

  private scanLine(line: string, lineStart: number): void {
    if (this.fence !== undefined) {
      const close = fenceOpen.exec(line);
      if (close && close[1]![0] === this.fence[0] && close[1]!.length >= this.fence.length && line.trim() === close[1]) {
        this.fence = undefined;
      }
      return;
    }
    if (line.trim() === '') {
      this.sawBlankOutsideFence = true;
      return;
    }
    if (this.sawBlankOutsideFence && !/^\s/.test(line)) {
      this.stable = lineStart;
      this.onCut?.(lineStart);
    }
    this.sawBlankOutsideFence = false;
    const open = fenceOpen.exec(line);
    if (open) this.fence = open[1]!;
  }
}

/**
 * A finished text cut at block boundaries into pieces of at least `minChars` (a block longer than that is a piece
 * of its own): each renders alone as it would within the whole, so a long answer is rendered a piece per task.
 */
export function markdownPieces(text: string, minChars: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  new StableBlockScanner((offset) => {
    if (offset - start < minChars) return;
    pieces.push(text.slice(start, offset));
    start = offset;
  }).stableEnd(text);
  pieces.push(text.slice(start));
  return pieces;
}

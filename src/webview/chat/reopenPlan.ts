// How a reopened chat is drawn: the last turns, those that fill the first screens, at once; the earlier ones after,
// newest first, a few per task, into placeholders whose height is estimated from their text (so the scroll bar is
// about right before a turn is laid out). Pure: the chat panel (turnList.ts) applies it to the page.

/** Estimated layout of the panel's text: pixels per line and characters per wrapped line (a narrow side bar). */
const linePx = 19;
const charsPerLine = 60;
/** A turn's head, padding, stats line and margin. */
const turnChromePx = 56;

/** About how tall a turn with this text is drawn, in pixels. */
export function estimateTurnHeight(text: string): number {
  let lines = 0;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const length = (end < 0 ? text.length : end) - start;
    lines += Math.max(1, Math.ceil(length / charsPerLine));
    if (end < 0) break;
    start = end + 1;
  }
  return turnChromePx + lines * linePx;
}

/**
 * The index of the first turn drawn at once: from the end back until the turns fill `screenPx` (estimated), and
 * at least the last question with its answer.
 */
export function firstTurnShownAtOnce(heights: readonly number[], screenPx: number): number {
  let filled = 0;
  let index = heights.length;
  while (index > 0 && (filled < screenPx || heights.length - index < 2)) filled += heights[--index]!;
  return index;
}

/** The turns before `first` in the order they are built, newest first, in batches of `size`: lists of indexes. */
export function earlierBatches(first: number, size: number): number[][] {
  const batches: number[][] = [];
  for (let end = first; end > 0; end -= size) {
    const batch: number[] = [];
    for (let i = Math.max(0, end - size); i < end; i++) batch.push(i);
    batches.push(batch);
  }
  return batches;
}

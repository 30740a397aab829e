// Very long unbroken runs of text (a 20,000-character "word", a minified line) are expensive to lay
// out: with `overflow-wrap: anywhere` Chromium looks for each line's break point through the whole
// run, and a streaming answer would pay that again every frame. These helpers find such runs and cut
// them into pieces separated by break opportunities (<wbr>), which add no characters when copied.

/** Runs without whitespace at least this long get break opportunities. */
export const longRunChars = 200;
/** Length of the pieces a long run is cut into. */
export const runPieceChars = 64;
/** A streaming tail longer than this is shown as plain text until the answer ends (no markdown per frame). */
export const maxStreamingMarkdownChars = 16_000;
/** A streaming tail holding an unbroken run this long is shown as plain text until the answer ends. */
export const maxStreamingRunChars = 1_000;

const longRun = new RegExp(`\\S{${longRunChars},}`, 'g');

/** Pieces of `text` that join back into it; a line may break between any two. */
export function breakableSegments(text: string): string[] {
  const segments: string[] = [];
  let start = 0;
  for (const match of text.matchAll(longRun)) {
    const runEnd = match.index + match[0].length;
    for (let cut = match.index + runPieceChars; cut < runEnd; cut += runPieceChars) {
      segments.push(text.slice(start, cut));
      start = cut;
    }
  }
  segments.push(text.slice(start));
  return segments;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 12 || code === 0xa0 || (code > 0x1fff && /\s/.test(String.fromCharCode(code)));
}

/** Whether `text` holds at least `length` characters in a row without whitespace (one linear pass). */
export function hasRunOfAtLeast(text: string, length: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (isWhitespace(text.charCodeAt(i))) run = 0;
    else if (++run >= length) return true;
  }
  return false;
}

/** Whether a streaming tail is too big or too unbroken to re-render as markdown every frame. */
export function tailTooHeavyForMarkdown(tail: string): boolean {
  return tail.length > maxStreamingMarkdownChars || hasRunOfAtLeast(tail, maxStreamingRunChars);
}

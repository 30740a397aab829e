// Cleans a model's answer into the text that goes at the cursor: code fences and the cursor mark a chat
// model may add, and the text before or after the cursor that a model repeats (it is already there).
import { CURSOR_MARK } from './fimPrompt';

/** An overlap this long is taken as an echo wherever it ends; a shorter one only when it covers whole lines. */
const SURE_ECHO_CHARS = 12;

function stripFences(text: string): string {
  const fenced = /^\s*```[^\n]*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return fenced ? (fenced[1] ?? '') : text;
}

/** Longest k with `a` ending in the first k characters of `b`. */
function overlapEndStart(a: string, b: string): number {
  for (let k = Math.min(a.length, b.length); k > 0; k--) {
    if (a.endsWith(b.slice(0, k))) return k;
  }
  return 0;
}

/** Longest k with `b` starting with the last k characters of `a`. */
function overlapStartEnd(a: string, b: string): number {
  for (let k = Math.min(a.length, b.length); k > 0; k--) {
    if (b.startsWith(a.slice(a.length - k))) return k;
  }
  return 0;
}

export interface MiddleOptions {
  prefix: string;
  suffix: string;
  /** Cut at the first line break. */
  singleLine: boolean;
}

/** The text to show as ghost text, or undefined when nothing useful is left. */
export function cleanMiddle(answer: string, options: MiddleOptions): string | undefined {
  const { prefix, suffix } = options;
  let text = stripFences(answer).split(CURSOR_MARK).join('');
  const linePrefix = prefix.slice(prefix.lastIndexOf('\n') + 1);

  // The answer starts with text already before the cursor (often the whole current line).
  const head = overlapEndStart(prefix, text);
  const coversLine = linePrefix.trim().length > 0 && head >= linePrefix.length;
  if (head >= SURE_ECHO_CHARS || coversLine) {
    text = text.slice(head);
  } else if (linePrefix.trim().length > 0 && text.startsWith(linePrefix.trimStart())) {
    // The line repeated without its indentation.
    text = text.slice(linePrefix.trimStart().length);
  }

  // The answer ends with text already after the cursor.
  const firstSuffixLine = suffix.split('\n')[0]?.trim() ?? '';
  const tail = overlapStartEnd(text, suffix);
  const wholeLines = tail > 0 && text.slice(text.length - tail).includes('\n') && (tail === suffix.length || suffix[tail] === '\n');
  if (tail >= SURE_ECHO_CHARS || wholeLines) {
    text = text.slice(0, text.length - tail);
  } else if (firstSuffixLine.length >= 4 && text.trimEnd().endsWith(firstSuffixLine)) {
    text = text.trimEnd().slice(0, -firstSuffixLine.length);
  }

  if (options.singleLine) {
    const lineEnd = text.indexOf('\n');
    if (lineEnd >= 0) text = text.slice(0, lineEnd);
  }
  text = text.trimEnd();
  return text.trim().length === 0 ? undefined : text;
}

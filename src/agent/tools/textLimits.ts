// Size limits for what a tool hands back to the model: whole lines where possible, and always a note saying
// what was left out, so the model knows to ask for less instead of guessing.

/** `text` cut to at most `max` characters at a line end, with a note naming what was left out. */
export function cutText(text: string, max: number, advice = 'Ask for a smaller part.'): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const lineEnd = text.lastIndexOf('\n', max);
  const keep = lineEnd > max / 2 ? lineEnd + 1 : max;
  const rest = text.slice(keep);
  const lines = rest.split('\n').length - (rest.endsWith('\n') ? 1 : 0);
  const kept = text.slice(0, keep);
  return { text: `${kept}${kept.endsWith('\n') ? '' : '\n'}[… cut: ${rest.length} more characters (${lines} lines) not shown. ${advice}]`, cut: true };
}

/** The start and the end of `text` with the middle left out (a command's output: the end says how it finished). */
export function cutMiddle(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const head = Math.floor(max * 0.3);
  const tail = max - head;
  const removed = text.length - head - tail;
  return { text: `${text.slice(0, head)}\n[… ${removed} characters of output left out …]\n${text.slice(text.length - tail)}`, cut: true };
}

export interface LineSlice {
  text: string;
  /** 1-based, inclusive. */
  start: number;
  end: number;
  total: number;
}

/** Lines `start`..`end` (1-based, inclusive; either may be absent) of `text`, or why the range is wrong. */
export function sliceLines(text: string, start?: number, end?: number): LineSlice | string {
  const lines = text.split(/(?<=\n)/);
  const total = text === '' ? 0 : lines.length;
  const from = start ?? 1;
  const to = Math.min(end ?? total, total);
  if (!Number.isInteger(from) || from < 1) return `startLine must be a whole number from 1 (got ${start}).`;
  if (end !== undefined && (!Number.isInteger(end) || end < from)) return `endLine must be a whole number not below startLine (got ${end}).`;
  if (total > 0 && from > total) return `The file has ${total} lines: startLine ${from} is past its end.`;
  return { text: lines.slice(from - 1, to).join(''), start: from, end: Math.max(to, from - 1), total };
}

/** Terminal control sequences (colours, cursor moves, shell-integration marks) removed: the model reads plain text. */
export function stripTerminalCodes(text: string): string {
  /* eslint-disable no-control-regex -- escape sequences are what is removed here */
  return text
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b[@-Z\\-_]/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/[^\n]*\r(?!\n)/g, '');
  /* eslint-enable no-control-regex */
}

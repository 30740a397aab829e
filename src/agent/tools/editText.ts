// What propose_edit changes in a file's text, without VS Code: a search text that must occur exactly once, a
// range of lines, or the whole content. A change that cannot be placed for certain is refused with a reason.

export type EditSpec = { kind: 'replace'; search: string; replace: string } | { kind: 'lines'; startLine: number; endLine: number; replace: string } | { kind: 'whole'; content: string };

export type EditOutcome = { ok: true; text: string } | { ok: false; reason: string };

/** Which kind of edit the model's arguments describe, or why they describe none (or several). */
export function editSpecOf(input: Record<string, unknown>): EditSpec | string {
  const has = (key: string): boolean => input[key] !== undefined;
  const kinds = [has('search') ? 'search' : '', has('startLine') || has('endLine') ? 'startLine/endLine' : '', has('content') ? 'content' : ''].filter(Boolean);
  if (kinds.length !== 1) return kinds.length ? `Give only one of search, startLine/endLine or content (got ${kinds.join(' and ')}).` : 'Give search and replace, or startLine, endLine and replace, or content (the whole new file).';
  if (has('content')) return typeof input.content === 'string' ? { kind: 'whole', content: input.content } : 'content must be a string.';
  if (typeof input.replace !== 'string') return 'replace (the new text) must be a string.';
  if (has('search')) return typeof input.search === 'string' && input.search !== '' ? { kind: 'replace', search: input.search, replace: input.replace } : 'search must be a non-empty string.';
  const start = input.startLine;
  const end = input.endLine ?? input.startLine;
  if (typeof start !== 'number' || typeof end !== 'number') return 'startLine and endLine must be line numbers.';
  return { kind: 'lines', startLine: start, endLine: end, replace: input.replace };
}

function countOf(text: string, search: string): number {
  let count = 0;
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + search.length)) count++;
  return count;
}

/** `text` with the edit made, in the file's own line endings. */
export function applyEdit(text: string, spec: EditSpec): EditOutcome {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const inFileEol = (value: string): string => (eol === '\r\n' ? value.replace(/\r?\n/g, '\r\n') : value.replace(/\r\n/g, '\n'));
  if (spec.kind === 'whole') return { ok: true, text: spec.content };
  if (spec.kind === 'replace') {
    const search = inFileEol(spec.search);
    const count = countOf(text, search);
    if (count === 0) return { ok: false, reason: 'The search text does not occur in the file (it must match exactly, whitespace included). Read the file again and copy the text to replace.' };
    if (count > 1) return { ok: false, reason: `The search text occurs ${count} times in the file: include more of the surrounding lines so it matches exactly once.` };
    const at = text.indexOf(search);
    return { ok: true, text: text.slice(0, at) + inFileEol(spec.replace) + text.slice(at + search.length) };
  }
  const lines = text.split(/(?<=\n)/);
  const { startLine, endLine } = spec;
  if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || endLine < startLine - 1) return { ok: false, reason: `Lines ${startLine}–${endLine} are not a valid range (1-based, endLine not below startLine; endLine = startLine - 1 inserts before startLine).` };
  if (startLine > lines.length + 1 || endLine > lines.length) return { ok: false, reason: `The file has ${lines.length} lines: lines ${startLine}–${endLine} are past its end.` };
  let replacement = inFileEol(spec.replace);
  const after = lines.slice(endLine).join('');
  if (replacement !== '' && !replacement.endsWith(eol) && after !== '') replacement += eol;
  return { ok: true, text: lines.slice(0, startLine - 1).join('') + replacement + after };
}

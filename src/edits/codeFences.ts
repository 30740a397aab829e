// The fenced code blocks of an answer's markdown, in the order a CommonMark renderer shows them, with the
// fence's info string (language, and often a file name). Pure: the extension reads blocks from its own copy
// of the answer, never from the webview.

export interface CodeFence {
  /** Everything after the opening fence: `ts`, `ts title="src/a.ts"`, `src/a.ts`, … */
  info: string;
  /** The block's text, newline-terminated unless empty. */
  code: string;
}

const openingFence = /^( {0,3}|(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)|[ \t]*(?:>[ \t]?)+)(`{3,}|~{3,})(.*)$/;

export function extractFences(markdown: string): CodeFence[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const fences: CodeFence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = openingFence.exec(lines[i] ?? '');
    if (!open) continue;
    const [, lead = '', marker = '', rawInfo = ''] = open;
    // A backtick fence's info string may not hold a backtick (that is inline code).
    if (marker.startsWith('`') && rawInfo.includes('`')) continue;
    const indent = lead.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      const stripped = line.slice(Math.min(indent, line.length - line.trimStart().length));
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]![0] === marker[0] && close[1]!.length >= marker.length) break;
      body.push(stripped);
    }
    fences.push({ info: rawInfo.trim(), code: body.length ? `${body.join('\n')}\n` : '' });
    i = j;
  }
  return fences;
}

/** A block's text as the panel shows it, for comparing what the user clicked with the extension's copy. */
export function sameCode(a: string, b: string): boolean {
  const norm = (text: string): string => text.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  return norm(a) === norm(b);
}

const pathLike = /^(?:\.{0,2}\/)?[\w@.-]+(?:\/[\w@.-]+)*\.[\w]+$/;

/**
 * The file a block names, if any: in its info string (`ts:src/a.ts`, `ts title="src/a.ts"`, `file=src/a.ts`,
 * or a bare path), or in a first-line comment (`// src/a.ts`, `# File: app.py`).
 */
export function fileNameHint(fence: CodeFence): string | undefined {
  const info = fence.info;
  const quoted = /(?:title|file|filename|path)\s*=\s*["']?([^"'\s]+)["']?/i.exec(info)?.[1];
  if (quoted && pathLike.test(quoted)) return quoted;
  for (const word of info.split(/\s+/)) {
    const candidate = word.includes(':') ? word.slice(word.indexOf(':') + 1) : word;
    if (candidate.includes('.') && pathLike.test(candidate)) return candidate;
  }
  const first = fence.code.split('\n', 1)[0] ?? '';
  const comment = /^\s*(?:\/\/|#|--|;|<!--|\/\*)\s*(?:file(?:name)?\s*:\s*)?([\w@./-]+\.[\w]+)\s*(?:-->|\*\/)?\s*$/i.exec(first)?.[1];
  return comment && pathLike.test(comment) ? comment : undefined;
}

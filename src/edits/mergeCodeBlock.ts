// Places a code block from an answer into the file it is about. A block that is the whole file replaces it; a
// block that shows part of a file (one function, or several pieces between "… existing code …" lines) replaces
// exactly the parts it matches and keeps the rest. When a piece cannot be placed with certainty (its first line
// is not in the file, or matches more than one place) nothing is guessed: the result says why. Pure.

export type MergeResult =
  | { kind: 'whole-file'; text: string }
  | { kind: 'merged'; text: string; pieces: number }
  | { kind: 'refused'; reason: string; canReplaceWhole: boolean };

interface Replacement {
  start: number;
  end: number;
  lines: string[];
}

const ELLIPSIS = /\.\.\.|…/;
const COMMENT_OPEN = /^(?:\/\/+|#+|--|;+|<!--|\{?\/\*+|\*+)\s*/;
const COMMENT_CLOSE = /\s*(?:\*+\/\}?|-->)$/;
const ELISION_WORDS = /\b(?:existing|rest|remaining|unchanged|same|previous|other|more|omitted|code|here|above|below|before|after|as|is|of|the|this|file|class|methods?|functions?|imports?|lines?|content|stays?|remains?|kept|keep|implementation|body|etc|your|and|props?|fields?)\b/gi;

/** "// ... existing code ...", "# ... rest of the file unchanged", "/* … *\/", or a bare "..." that is not a Python body. */
export function isElisionLine(line: string, previous?: string): boolean {
  const trimmed = line.trim();
  if (!ELLIPSIS.test(trimmed)) return false;
  const commented = COMMENT_OPEN.test(trimmed);
  const inner = trimmed.replace(COMMENT_OPEN, '').replace(COMMENT_CLOSE, '');
  const rest = inner.replace(/\.\.\.|…/g, ' ').replace(/[()[\]{}:,.\-–—]/g, ' ').replace(ELISION_WORDS, ' ').trim();
  if (rest !== '') return false;
  if (commented) return true;
  // `...` alone is also Python's "no body yet" (after a line ending in a colon): code, not an elision.
  return !(previous ?? '').trimEnd().endsWith(':');
}

const leading = (line: string): string => /^[ \t]*/.exec(line)![0];
const key = (line: string): string => line.trim();
/** Lines too common to anchor on (a lone brace, `end`, blank). */
const trivial = (line: string): boolean => key(line).replace(/[{}()[\];,]/g, '').trim().length < 2 || /^(end|else|fi|done|\)|\]|\}|return)$/.test(key(line));

function trimBlank(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && !lines[a]!.trim()) a++;
  while (b > a && !lines[b - 1]!.trim()) b--;
  return lines.slice(a, b);
}

function reindent(lines: string[], from: string, to: string): string[] {
  if (from === to) return lines;
  return lines.map((line) => {
    if (!line.trim()) return '';
    if (line.startsWith(from)) return to + line.slice(from.length);
    return line;
  });
}

function splitPieces(lines: string[]): { pieces: string[][]; elided: boolean } {
  const pieces: string[][] = [[]];
  let elided = false;
  lines.forEach((line, i) => {
    if (isElisionLine(line, lines[i - 1])) {
      elided = true;
      pieces.push([]);
    } else {
      pieces[pieces.length - 1]!.push(line);
    }
  });
  return { pieces: pieces.map(trimBlank).filter((piece) => piece.length > 0), elided };
}

/** Whether the block still holds most of the distinctive lines it would replace (else it is about other code). */
function keepsMostOf(replaced: string[], piece: string[]): boolean {
  const distinctive = replaced.filter((line) => !trivial(line));
  if (distinctive.length <= 1) return true;
  const offered = new Map<string, number>();
  for (const line of piece) offered.set(key(line), (offered.get(key(line)) ?? 0) + 1);
  let kept = 0;
  for (const line of distinctive) {
    const left = offered.get(key(line)) ?? 0;
    if (left > 0) {
      kept++;
      offered.set(key(line), left - 1);
    }
  }
  return kept / distinctive.length >= 0.5;
}

function show(line: string): string {
  const text = key(line);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Where one piece goes in `file` (searching from `from`), or why it cannot be placed. */
function place(file: string[], piece: string[], from: number): Replacement | string {
  const anchor = piece.findIndex((line) => !trivial(line));
  if (anchor < 0) return 'the block has no line distinctive enough to find its place';
  let candidates: number[] = [];
  for (let i = from + anchor; i < file.length; i++) if (key(file[i]!) === key(piece[anchor]!)) candidates.push(i - anchor);
  candidates = candidates.filter((start) => start >= from && piece.slice(0, anchor).every((line, k) => key(file[start + k] ?? '') === key(line)));
  if (candidates.length === 0) return `its line \`${show(piece[anchor]!)}\` is not in the file`;
  // The same first line in several places: the following lines decide, as long as they still match.
  for (let k = anchor + 1; candidates.length > 1 && k < piece.length; k++) {
    const narrowed = candidates.filter((start) => key(file[start + k] ?? '') === key(piece[k]!));
    if (narrowed.length === 0) break;
    candidates = narrowed;
  }
  if (candidates.length > 1) return `it matches ${candidates.length} places in the file (from \`${show(piece[anchor]!)}\`)`;
  const start = candidates[0]!;
  const lines = reindent(piece, leading(piece[anchor]!), leading(file[start + anchor]!));
  if (piece.length === 1) return { start, end: start, lines };
  const head = file[start + anchor]!;
  const checked = (end: number): Replacement | string => {
    const replaced = file.slice(start, end + 1);
    return keepsMostOf(replaced, piece) ? { start, end, lines } : `it would replace ${replaced.length} lines of the file, most of which are not in the block`;
  };
  // A block opened by a colon (Python, YAML) ends where the indentation comes back; others end at their closing line.
  if (!key(head).endsWith(':')) {
    const last = lines[lines.length - 1]!;
    for (let j = start + anchor + 1; j < file.length; j++) {
      if (key(file[j]!) === key(last) && leading(file[j]!) === leading(last)) return checked(j);
    }
  }
  const end = indentedBlockEnd(file, start + anchor);
  if (end > start + anchor || piece.length - anchor === 1) return checked(end);
  return `its last line \`${show(lines[lines.length - 1]!)}\` does not close anything in the file after \`${show(piece[anchor]!)}\``;
}

/** The last line of the block that `line` opens by indentation (the lines after it indented deeper, or blank). */
function indentedBlockEnd(file: string[], line: number): number {
  const depth = leading(file[line]!).length;
  let end = line;
  for (let j = line + 1; j < file.length; j++) {
    if (!file[j]!.trim()) continue;
    if (leading(file[j]!).length <= depth) break;
    end = j;
  }
  return end;
}

export function mergeCodeBlock(original: string, block: string): MergeResult {
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const text = original.replace(/\r\n/g, '\n');
  const finalNewline = text === '' || text.endsWith('\n');
  const join = (lines: string[]): string => lines.join('\n').concat(finalNewline ? '\n' : '').replace(/\n/g, eol);
  const blockLines = trimBlank(block.replace(/\r\n?/g, '\n').split('\n'));
  const { pieces, elided } = splitPieces(blockLines);
  if (pieces.length === 0) return { kind: 'refused', reason: 'The block holds no code, only "… existing code …" lines.', canReplaceWhole: false };
  if (!text.trim()) {
    if (elided) return { kind: 'refused', reason: 'The file is empty, but the block leaves parts out ("… existing code …"): there is nothing to keep.', canReplaceWhole: false };
    return { kind: 'whole-file', text: join(blockLines) };
  }
  const fileLines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const fileBody = trimBlank(fileLines);
  if (!elided && key(blockLines[0]!) === key(fileBody[0] ?? '') && key(blockLines.at(-1)!) === key(fileBody.at(-1) ?? '') && blockLines.length >= fileBody.length * 0.8) {
    return { kind: 'whole-file', text: join(blockLines) };
  }
  const replacements: Replacement[] = [];
  let from = 0;
  for (const [index, piece] of pieces.entries()) {
    const placed = place(fileLines, piece, from);
    if (typeof placed === 'string') {
      const which = pieces.length > 1 ? `Part ${index + 1} of ${pieces.length} of the block` : 'The block';
      return { kind: 'refused', reason: `${which} cannot be placed reliably: ${placed}.`, canReplaceWhole: !elided };
    }
    replacements.push(placed);
    from = placed.end + 1;
  }
  const out = [...fileLines];
  for (const { start, end, lines } of [...replacements].reverse()) out.splice(start, end - start + 1, ...lines);
  return { kind: 'merged', text: join(out), pieces: replacements.length };
}

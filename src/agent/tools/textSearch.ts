// The matching behind search_text, without VS Code: a query compiled once, matches found line by line with
// limits, so a wide search returns a bounded answer instead of megabytes.

export interface TextQuery {
  query: string;
  isRegex: boolean;
  caseSensitive: boolean;
}

export interface SearchLimits {
  /** Matches in all, across files. */
  maxMatches: number;
  /** Matches from one file (a minified bundle must not take every slot). */
  maxMatchesPerFile: number;
  /** Characters of a matching line shown; longer lines are cut around the match. */
  maxLineChars: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { maxMatches: 200, maxMatchesPerFile: 20, maxLineChars: 240 };

export interface LineMatch {
  /** 1-based. */
  line: number;
  text: string;
}

/** The query as a regular expression, or why it is not one. */
export function compileQuery(query: TextQuery): RegExp | string {
  if (query.query === '') return 'The query is empty: give the text or pattern to look for.';
  const source = query.isRegex ? query.query : query.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    return new RegExp(source, query.caseSensitive ? 'u' : 'iu');
  } catch (error) {
    return `The query is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The lines of `text` that match, at most `limit` of them, each cut to `maxLineChars` around its match. */
export function matchLines(text: string, pattern: RegExp, limit: number, maxLineChars: number): LineMatch[] {
  const found: LineMatch[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length && found.length < limit; index++) {
    const line = (lines[index] ?? '').replace(/\r$/, '');
    const match = pattern.exec(line);
    if (!match) continue;
    found.push({ line: index + 1, text: clipAround(line, match.index, maxLineChars) });
  }
  return found;
}

function clipAround(line: string, at: number, max: number): string {
  const trimmed = line.trim();
  if (trimmed.length <= max) return trimmed;
  const start = Math.max(0, Math.min(at - Math.floor(max / 3), line.length - max));
  return `${start > 0 ? '…' : ''}${line.slice(start, start + max).trim()}${start + max < line.length ? '…' : ''}`;
}

/** Keeps count of matches across files against the limits. */
export class SearchBudget {
  private used = 0;
  filesWithMatches = 0;
  truncated = false;

  constructor(readonly limits: SearchLimits) {}

  /** How many more matches one file may add. */
  get forNextFile(): number {
    return Math.max(0, Math.min(this.limits.maxMatchesPerFile, this.limits.maxMatches - this.used));
  }

  get exhausted(): boolean {
    return this.used >= this.limits.maxMatches;
  }

  take(matches: number, fileLimitHit: boolean): void {
    this.used += matches;
    if (matches) this.filesWithMatches++;
    if (fileLimitHit || this.exhausted) this.truncated = true;
  }

  get matches(): number {
    return this.used;
  }
}

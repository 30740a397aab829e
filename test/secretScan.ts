// Counts test keys in what a test run leaves behind (files, captured output), reporting places, never the keys.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CANARY_KEY_PATTERN, TEST_KEYS } from './emulator/accounts';

export interface SecretNeedles {
  /** Exact keys, searched for as raw bytes (UTF-8, UTF-16LE and URL-encoded). */
  keys: readonly string[];
  /** Shapes of keys made up per test (random canaries), searched for in the bytes read as latin1. */
  patterns: readonly RegExp[];
}

export interface SecretFinding {
  /** A file path or the name of a captured stream. */
  where: string;
  occurrences: number;
}

export interface SecretScanReport {
  occurrences: number;
  /** Files read. */
  files: number;
  /** Captured outputs (streams, consoles) read. */
  outputs: number;
  findings: SecretFinding[];
}

/** Every key the emulator accepts by default and the canary shape the secrets tests use. */
export const TEST_SECRETS: SecretNeedles = { keys: TEST_KEYS, patterns: [CANARY_KEY_PATTERN] };

function needleBuffers(keys: readonly string[]): Buffer[] {
  const forms = keys.flatMap((key) => [Buffer.from(key, 'utf8'), Buffer.from(key, 'utf16le'), Buffer.from(encodeURIComponent(key), 'utf8')]);
  // A key with nothing to encode gives the same bytes twice: count each place once.
  return forms.filter((form, i) => form.length > 0 && forms.findIndex((other) => other.equals(form)) === i);
}

function countIn(haystack: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** Occurrences of any needle in raw bytes (text, binary, SQLite pages alike). */
export function countSecrets(content: Buffer | string, needles: SecretNeedles = TEST_SECRETS): number {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  let count = needleBuffers(needles.keys).reduce((sum, needle) => sum + countIn(bytes, needle), 0);
  if (needles.patterns.length) {
    const text = bytes.toString('latin1');
    for (const pattern of needles.patterns) count += text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
  }
  return count;
}

/** Every regular file below `dir`, symlinks not followed; `skip` drops a path and everything below it. */
export function filesBelow(dir: string, skip: (file: string) => boolean = () => false): string[] {
  const found: string[] = [];
  const visit = (current: string): void => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      // A folder that vanished or cannot be read (a socket dir of an ended process) holds nothing to scan.
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (skip(full)) continue;
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) found.push(full);
    }
  };
  if (!skip(dir)) visit(dir);
  return found.sort();
}

/** Scans files (paths in findings relative to `base` when given) and named captured texts. */
export function scanForSecrets(
  sources: { files?: readonly string[]; texts?: ReadonlyArray<{ where: string; text: string | Buffer }>; base?: string },
  needles: SecretNeedles = TEST_SECRETS,
): SecretScanReport {
  const report: SecretScanReport = { occurrences: 0, files: 0, outputs: 0, findings: [] };
  const add = (where: string, occurrences: number): void => {
    report.occurrences += occurrences;
    if (occurrences) report.findings.push({ where, occurrences });
  };
  for (const file of sources.files ?? []) {
    let bytes: Buffer;
    try {
      // A file deleted between listing and reading (a lock, a temp file) is skipped, not an error.
      if (!lstatSync(file).isFile()) continue;
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    report.files++;
    add(sources.base ? path.relative(sources.base, file) : file, countSecrets(bytes, needles));
  }
  for (const { where, text } of sources.texts ?? []) {
    report.outputs++;
    add(where, countSecrets(text, needles));
  }
  return report;
}

/** One line for a summary: `secrets: 0 occurrences in N files and M outputs`, with the places when there are any. */
export function describeScan(report: SecretScanReport): string {
  const line = `secrets: ${report.occurrences} occurrences in ${report.files} files and ${report.outputs} outputs`;
  return report.findings.length ? `${line} (found in: ${report.findings.map((f) => `${f.where} ×${f.occurrences}`).join(', ')})` : line;
}

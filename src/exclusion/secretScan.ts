// Finds text in a known credential format with secretlint's recommended rules (maintained upstream: GitHub,
// AWS, Stripe, Slack, private keys, connection strings…), plus the two shapes it leaves out that matter here.
// No vscode import. Results name the rule and the line, never the secret.
import type * as SecretlintCore from '@secretlint/core';
import type * as SecretlintPreset from '@secretlint/secretlint-rule-preset-recommend';

export interface SecretFinding {
  /** What kind of secret, e.g. `github GITHUB_TOKEN`; never its text. */
  rule: string;
  /** 1-based line of its start in the scanned text. */
  line: number;
  /** Offsets in the scanned text, end exclusive. */
  start: number;
  end: number;
}

let secretlint: { core: typeof SecretlintCore; preset: typeof SecretlintPreset } | undefined;

/* eslint-disable @typescript-eslint/no-require-imports -- required on the first scan: the build keeps each package in a file of its own */
function loadSecretlint(): { core: typeof SecretlintCore; preset: typeof SecretlintPreset } {
  secretlint ??= { core: require('@secretlint/core') as typeof SecretlintCore, preset: require('@secretlint/secretlint-rule-preset-recommend') as typeof SecretlintPreset };
  return secretlint;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * What the preset does not know: OpenRouter keys (this extension's own credential) and a private-key block whose
 * end is not in the text (a completion window can hold the start of a key without its END line).
 */
const extraRules: readonly { rule: string; pattern: RegExp }[] = [
  { rule: 'openrouter API key', pattern: /\bsk-or-(?:v\d+-)?[A-Za-z0-9_-]{20,}/g },
  { rule: 'privatekey PRIVATE KEY block', pattern: /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$(?![\s\S]))/g },
];

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

function ruleName(ruleId: string, messageId: string): string {
  return `${ruleId.replace(/^@secretlint\/secretlint-rule-/, '')} ${messageId}`.trim();
}

/** Every credential in `text`, in order of position; overlapping findings are merged. */
export async function findSecrets(text: string): Promise<SecretFinding[]> {
  if (!text) return [];
  const { core, preset } = loadSecretlint();
  const result = await core.lintSource({
    source: { content: text, filePath: '/openrouter-prompt.txt', ext: '.txt', contentType: 'text' },
    options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset.creator }] } },
  });
  const spans = result.messages.map((m) => ({ rule: ruleName(m.ruleId, m.messageId), start: m.range[0], end: m.range[1] }));
  for (const { rule, pattern } of extraRules) {
    for (const match of text.matchAll(pattern)) spans.push({ rule, start: match.index, end: match.index + match[0].length });
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Omit<SecretFinding, 'line'>[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged.map((span) => ({ ...span, line: lineAt(text, span.start) }));
}

/** `text` with every credential replaced by a marker naming its kind; the findings say what was removed. */
export async function stripSecrets(text: string): Promise<{ text: string; findings: SecretFinding[] }> {
  const findings = await findSecrets(text);
  if (findings.length === 0) return { text, findings };
  let out = '';
  let at = 0;
  for (const finding of findings) {
    out += `${text.slice(at, finding.start)}[secret removed: ${finding.rule}]`;
    at = finding.end;
  }
  return { text: out + text.slice(at), findings };
}

/**
 * The completion window without its secrets: the prefix keeps only the whole lines after the last secret before
 * the cursor, the suffix only the whole lines before the first one after it. Undefined when a secret is on the
 * cursor's own line (a completion there would be asked to continue it): the request is skipped.
 * `findings` are offsets in `prefix + suffix`.
 */
export function cutAroundSecrets(prefix: string, suffix: string, findings: readonly SecretFinding[]): { prefix: string; suffix: string } | undefined {
  if (findings.length === 0) return { prefix, suffix };
  const cursor = prefix.length;
  const whole = prefix + suffix;
  const lineStart = whole.lastIndexOf('\n', cursor - 1) + 1;
  const nextBreak = whole.indexOf('\n', cursor);
  const lineEnd = nextBreak === -1 ? whole.length : nextBreak;
  let keepFrom = 0;
  let keepTo = whole.length;
  for (const { start, end } of findings) {
    if (start <= lineEnd && end >= lineStart) return undefined;
    if (end <= lineStart) keepFrom = Math.max(keepFrom, whole.indexOf('\n', end - 1) + 1 || cursor);
    else keepTo = Math.min(keepTo, whole.lastIndexOf('\n', start) + 1);
  }
  return { prefix: whole.slice(keepFrom, cursor), suffix: whole.slice(cursor, Math.max(cursor, keepTo)) };
}

/** A short account for the log and the status item: kinds and lines, never the text. */
export function describeFindings(findings: readonly SecretFinding[]): string {
  const kinds = [...new Set(findings.map((f) => f.rule))];
  const count = findings.length === 1 ? 'a secret' : `${findings.length} secrets`;
  return `${count} (${kinds.join(', ')})`;
}

// Strips credentials from any text that may reach an error message, a log line or a record.

const REDACTED = '[REDACTED]';

const SECRET_PATTERNS: readonly RegExp[] = [
  /\bBearer\s+[^\s"',;]+/gi,
  /\bsk-or-[A-Za-z0-9_-]+/g,
];

/** The user name and password of a URL in running text (`http://user:pass@host`), up to its last `@`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/?#@]*@)+/gi;

/** Replaces the given secrets, `Bearer …` credentials and `sk-or-…` keys in `text`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short strings would blank ordinary words; no real key is that short.
    if (secret && secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match) => (match.toLowerCase().startsWith('bearer') ? `Bearer ${REDACTED}` : REDACTED));
  }
  return out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
}

/**
 * One address given whole (a proxy setting), even one that is not a valid URL, without its credentials:
 * everything between the scheme (or the start) and the last `@` goes, `/` and `@` in a password included.
 */
export function withoutCredentials(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(address)?.[0] ?? '';
  return `${scheme}${address.slice(at + 1)}`;
}

/** Redacts every string inside a JSON-like value (for error metadata echoed by a server). */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined)[] = []): T {
  if (typeof value === 'string') return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[key] = redactDeep(item, secrets);
    return out as T;
  }
  return value;
}

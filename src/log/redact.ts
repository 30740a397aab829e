// The last line of defence: whatever reaches a log line passes through here first.

const KEY_PATTERN = /sk-or-[A-Za-z0-9_-]{2,}(?:-[A-Za-z0-9_-]+)*/g;
const BEARER_PATTERN = /(Bearer\s+)[^\s"',]+/gi;

/** Replaces known secrets and anything shaped like an OpenRouter key or bearer token. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out.replace(KEY_PATTERN, 'sk-or-[redacted]').replace(BEARER_PATTERN, '$1[redacted]');
}

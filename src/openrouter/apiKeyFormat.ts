// Whether a key can travel in an Authorization header; messages describe the problem and never quote the key.

export const KEY_HAS_SPACE = 'The OpenRouter API key contains a line break or space — paste it again.';
export const KEY_HAS_ODD_CHARACTER = 'The OpenRouter API key contains a control or non-ASCII character — paste it again.';

/** Why a trimmed key cannot be sent, or undefined when it can. */
export function apiKeyProblem(key: string): string | undefined {
  if (/\s/u.test(key)) return KEY_HAS_SPACE;
  // Keys are printable ASCII; anything else is a paste accident (control bytes, curly quotes, "…").
  if (/[^\x21-\x7e]/.test(key)) return KEY_HAS_ODD_CHARACTER;
  return undefined;
}

/** Trims what a paste brings along (spaces, newlines, quotes); undefined when nothing is left. */
export function normalizeApiKey(raw: string | undefined): string | undefined {
  const key = raw?.trim().replace(/^["']|["']$/g, '').trim();
  return key ? key : undefined;
}

/**
 * A pasted key, trimmed, and why it cannot be used. A key with a line break or control character inside
 * would make every request fail with an unclear header error, so it is refused up front.
 */
export function checkApiKey(raw: string | undefined): { key?: string; problem?: string } {
  const key = normalizeApiKey(raw);
  if (!key) return { problem: 'The API key is empty.' };
  return { key, problem: apiKeyProblem(key) };
}

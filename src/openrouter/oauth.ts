// Sign in with OpenRouter (OAuth PKCE, S256): the verifier and its challenge, and the authorisation page's
// address. Web Crypto only, so the same code runs in a browser build.

/** A PKCE pair: the verifier stays in memory until the code exchange; only the challenge leaves. */
export interface PkcePair {
  verifier: string;
  challenge: string;
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)), as RFC 7636 defines it. */
export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** A fresh verifier of 32 random bytes (43 characters) and its S256 challenge. */
export async function createPkcePair(): Promise<PkcePair> {
  const verifier = base64Url(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  return { verifier, challenge: await pkceChallenge(verifier) };
}

/**
 * OpenRouter's authorisation page for an API base URL (`https://openrouter.ai/api/v1` → `https://openrouter.ai/auth`).
 * Without a callback the page shows a single-use code for the user to paste (the headless flow).
 */
export function authorizationUrl(baseUrl: string, challenge: string, callbackUrl?: string): string {
  const url = new URL('/auth', new URL(baseUrl).origin);
  if (callbackUrl !== undefined) url.searchParams.set('callback_url', callbackUrl);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** What the user pastes in the headless flow: the bare code, or the whole callback address holding it. */
export function codeFromPaste(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      return new URL(trimmed).searchParams.get('code')?.trim() || undefined;
    } catch {
      return undefined;
    }
  }
  return /^[\w.~-]{4,512}$/.test(trimmed) ? trimmed : undefined;
}

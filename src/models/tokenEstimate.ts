// A cheap token estimate for the editor's context budgeting; no tokenizer ships with the extension.

/** Per message: role and framing tokens most chat templates add. */
export const MESSAGE_OVERHEAD = 4;
/** An image costs roughly this much in common vision models (a 1024×1024 picture at high detail). */
export const IMAGE_TOKENS = 765;

/**
 * BPE tokenizers of current models average about 4 characters per token on English and code, but
 * about one token per character for CJK scripts and roughly two characters per token for other
 * non-Latin text. Counting those classes separately avoids the several-fold undercount a flat
 * chars/4 gives on CJK text.
 */
export function estimateTextTokens(text: string): number {
  let latin = 0;
  let wide = 0;
  let other = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x0250) latin++;
    else if ((code >= 0x2e80 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7af) || (code >= 0xf900 && code <= 0xfaff) || code >= 0x20000) wide++;
    else other++;
  }
  return Math.ceil(latin / 4 + wide + other / 2);
}

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

/** The parts of a request message the estimate reads (an OpenRouter chat message). */
export interface EstimatedMessage {
  content: string | ReadonlyArray<{ type: string; text?: unknown }> | null;
  tool_calls?: ReadonlyArray<{ function: { name: string; arguments: string } }>;
  reasoning_details?: unknown;
  [extra: string]: unknown;
}

/** One request message's estimated input tokens; `text` counts a text (the chat passes a caching counter). */
export function estimateMessageTokens(message: EstimatedMessage, text: (value: string) => number = estimateTextTokens): { tokens: number; images: number } {
  let tokens = MESSAGE_OVERHEAD;
  let images = 0;
  if (typeof message.content === 'string') tokens += text(message.content);
  else {
    for (const part of message.content ?? []) {
      if (part.type === 'text' && typeof part.text === 'string') tokens += text(part.text);
      else if (part.type === 'image_url') {
        images++;
        tokens += IMAGE_TOKENS;
      }
    }
  }
  for (const call of message.tool_calls ?? []) tokens += MESSAGE_OVERHEAD + text(call.function.name) + text(call.function.arguments);
  // Signed or encrypted reasoning sent back is read as input too; its JSON length is a fair upper bound.
  if (Array.isArray(message.reasoning_details)) tokens += Math.ceil(JSON.stringify(message.reasoning_details).length / 4);
  return { tokens, images };
}

/** Estimated input tokens of a whole request's messages. */
export function estimateMessagesTokens(messages: readonly EstimatedMessage[]): number {
  return messages.reduce((sum, message) => sum + estimateMessageTokens(message).tokens, 0);
}

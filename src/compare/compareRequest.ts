// The one user message every column of a comparison sends: the prompt, preceded by the attachments
// handed over from the chat (files as fenced text, images as image parts). Pure.
import { estimateTextTokens } from '../models/tokenEstimate';
import type { ChatContentPart, ChatMessage } from '../openrouter/types';

/** Something attached to the prompt: a file's text, or an image as a `data:` URL. */
export type CompareAttachment = { kind: 'text'; name: string; text: string } | { kind: 'image'; name: string; dataUrl: string };

const maxAttachments = 20;

/** Keeps only well-formed attachments (they may come from a command argument). */
export function cleanAttachments(raw: unknown): CompareAttachment[] {
  if (!Array.isArray(raw)) return [];
  const out: CompareAttachment[] = [];
  for (const item of raw.slice(0, maxAttachments)) {
    if (!item || typeof item !== 'object') continue;
    const { kind, name, text, dataUrl } = item as Record<string, unknown>;
    if (typeof name !== 'string' || !name.trim()) continue;
    if (kind === 'text' && typeof text === 'string') out.push({ kind, name, text });
    else if (kind === 'image' && typeof dataUrl === 'string' && /^data:image\/(png|jpeg|gif|webp);base64,/.test(dataUrl)) out.push({ kind, name, dataUrl });
  }
  return out;
}

/** An image costs roughly this many prompt tokens in common vision models (1024×1024 at high detail). */
export const IMAGE_TOKENS = 765;

/** Estimated prompt tokens of one attachment: its name and text, or a typical image's cost. */
export function attachmentTokens(attachment: CompareAttachment): number {
  return attachment.kind === 'text' ? estimateTextTokens(`${attachment.name}:\n${attachment.text}`) + 2 : IMAGE_TOKENS;
}

export function compareMessages(prompt: string, attachments: readonly CompareAttachment[] = []): ChatMessage[] {
  if (attachments.length === 0) return [{ role: 'user', content: prompt }];
  const parts: ChatContentPart[] = attachments.map((a) =>
    a.kind === 'text' ? { type: 'text', text: `${a.name}:\n${fence(a.text)}` } : { type: 'image_url', image_url: { url: a.dataUrl } },
  );
  parts.push({ type: 'text', text: prompt });
  return [{ role: 'user', content: parts }];
}

/** A fence longer than any backtick run in the text, so the text cannot close it. */
function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}\n${text}\n${marks}`;
}

// How much the chat attaches: bounded text files (binary refused), images of the types vision models read.
// Pure, so unit tests check every limit and message under plain Node.

/** A text attachment larger than this is refused: select the part that matters instead. */
export const maxTextBytes = 256 * 1024;
/** OpenRouter's vision providers take images up to about 5 MB each. */
export const maxImageBytes = 5 * 1024 * 1024;
/** At most this many attachments wait in the composer for one question. */
export const maxAttachments = 20;
/** How far into a file the binary check looks for a NUL byte. */
const binaryProbeBytes = 8192;

export const imageMimeTypes: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export type TextCheck = { ok: true; text: string } | { ok: false; problem: string };

/** Too large before reading (from the file's size), so a huge file is never read into memory. */
export function textTooLarge(name: string, bytes: number): string | undefined {
  if (bytes <= maxTextBytes) return undefined;
  return `${name} is ${formatBytes(bytes)}; the chat attaches text files up to ${formatBytes(maxTextBytes)}. Select the part you need in the editor and attach the selection instead.`;
}

/** The file's text, or why it cannot be attached (too large, or not UTF-8 text). */
export function checkTextFile(name: string, bytes: Uint8Array): TextCheck {
  const tooLarge = textTooLarge(name, bytes.byteLength);
  if (tooLarge) return { ok: false, problem: tooLarge };
  const binary = { ok: false as const, problem: `${name} is not a text file (it holds binary data). Attach source or text files; images go to models that read them, by paste, drop or “Image from file…”.` };
  if (bytes.subarray(0, binaryProbeBytes).includes(0)) return binary;
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return binary;
  }
}

/** Why this image cannot be attached, or undefined when it can. */
export function imageProblem(name: string, mimeType: string, bytes: number): string | undefined {
  if (!Object.values(imageMimeTypes).includes(mimeType)) return `${name} is ${mimeType || 'of an unknown type'}; the chat sends PNG, JPEG, WebP and GIF images.`;
  if (bytes > maxImageBytes) return `${name} is ${formatBytes(bytes)}; images are sent up to ${formatBytes(maxImageBytes)}. Resize or crop it and attach it again.`;
  if (bytes === 0) return `${name} is empty.`;
  return undefined;
}

/** Parses `data:<mime>;base64,<data>`; undefined for anything else. */
export function parseImageDataUrl(dataUrl: string): { mimeType: string; bytes: number } | undefined {
  const match = /^data:([a-z]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/.exec(dataUrl);
  if (!match) return undefined;
  const data = match[2]!;
  if (data.length % 4 !== 0) return undefined;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return { mimeType: match[1]!, bytes: (data.length / 4) * 3 - padding };
}

export function tooManyAttachments(): string {
  return `A question takes at most ${maxAttachments} attachments. Remove some before adding more.`;
}

// Prompt caching as OpenRouter reports it for models that take `cache_control` breakpoints (Anthropic,
// Gemini): the prompt up to a breakpoint is written to the cache the first time a model sees it, and read
// from it (`cached_tokens`, billed at `input_cache_read`) when the same model gets the same prefix again
// within five minutes. Models without cache prices never cache.
import { createHash } from 'node:crypto';
import { messageText } from './answer';
import { countTokens, type EmulatedModel } from './models';

export interface CacheOutcome {
  /** Prompt tokens read from the cache. */
  cachedTokens: number;
  /** Prompt tokens written to the cache. */
  writeTokens: number;
}

export const noCache: CacheOutcome = { cachedTokens: 0, writeTokens: 0 };

interface PartLike {
  type?: unknown;
  text?: unknown;
  image_url?: { url?: unknown };
  cache_control?: unknown;
}

/**
 * The prompt's text up to each breakpoint, in order, joined as the emulator counts prompt tokens (message
 * texts joined by newlines), so cached tokens never exceed the prompt's.
 */
export function breakpointPrefixes(messages: unknown): string[] {
  if (!Array.isArray(messages)) return [];
  const prefixes: string[] = [];
  const before: string[] = [];
  for (const message of messages as Array<{ role?: unknown; content?: unknown }>) {
    const content = message?.content;
    if (Array.isArray(content)) {
      let text = '';
      for (const part of content as PartLike[]) {
        if (part?.type === 'text') text += String(part.text ?? '');
        const marked = part?.cache_control && typeof part.cache_control === 'object' && (part.cache_control as { type?: unknown }).type === 'ephemeral';
        // The image's bytes are part of what is cached, though they count no text tokens here.
        const identity = part?.type === 'image_url' ? `\u0000${String(part.image_url?.url ?? '')}` : '';
        if (marked) prefixes.push([...before, text].join('\n') + identity);
      }
    }
    before.push(messageText(content));
  }
  return prefixes;
}

export class PromptCache {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the longest cached prefix of this request's breakpoints, and writes the longest one when it was not cached. */
  apply(model: EmulatedModel, messages: unknown): CacheOutcome {
    if (!model.pricing.input_cache_read) return noCache;
    const prefixes = breakpointPrefixes(messages);
    if (prefixes.length === 0) return noCache;
    const now = this.now();
    const key = (prefix: string): string => `${model.id}\u0000${createHash('sha256').update(prefix).digest('hex')}`;
    let cachedTokens = 0;
    for (let i = prefixes.length - 1; i >= 0; i--) {
      const k = key(prefixes[i]!);
      const expires = this.entries.get(k);
      if (expires !== undefined && expires > now) {
        cachedTokens = countTokens(prefixes[i]!);
        this.entries.set(k, now + this.ttlMs);
        break;
      }
    }
    const longest = prefixes[prefixes.length - 1]!;
    let writeTokens = 0;
    const longestKey = key(longest);
    if (!((this.entries.get(longestKey) ?? 0) > now)) writeTokens = Math.max(0, countTokens(longest) - cachedTokens);
    for (const prefix of prefixes) this.entries.set(key(prefix), now + this.ttlMs);
    return { cachedTokens, writeTokens };
  }

  clear(): void {
    this.entries.clear();
  }
}

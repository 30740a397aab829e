// The provider's own words behind OpenRouter's "Provider returned error": `metadata.raw` (the upstream body,
// often JSON) and `metadata.provider_name`, so a refused request says why (a lost thinking block, a missing
// thought signature). Untrusted text: cut short, never interpreted. Pure.
import { OpenRouterError } from '../openrouter/errors';

const maxLength = 400;

/** "Anthropic: messages.1.content.0.type: Expected `thinking`…", or undefined when the error carries none. */
export function upstreamMessage(error: unknown): string | undefined {
  if (!(error instanceof OpenRouterError) || !error.metadata) return undefined;
  const { raw, provider_name: provider } = error.metadata as { raw?: unknown; provider_name?: unknown };
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  let text = raw.trim();
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown }; message?: unknown };
    const inner = parsed.error?.message ?? parsed.message;
    if (typeof inner === 'string' && inner.trim()) text = inner.trim();
  } catch {
    // Not JSON: the raw text is the message.
  }
  if (text.length > maxLength) text = `${text.slice(0, maxLength)}…`;
  return typeof provider === 'string' && provider ? `${provider}: ${text}` : text;
}

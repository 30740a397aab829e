// Which models take prompt-cache breakpoints. Per OpenRouter's prompt caching guide: Anthropic Claude and
// Google Gemini cache only what a `cache_control: {type: "ephemeral"}` breakpoint marks; OpenAI, DeepSeek,
// xAI Grok, Moonshot and Z.AI cache repeated prefixes by themselves (nothing to mark; usage reports them).

export type CacheStyle = 'breakpoints' | 'automatic' | 'none';

/** Anthropic caches nothing shorter than this (1,024 tokens for most Claude models); smaller parts are not marked. */
export const minCacheableTokens = 1024;
/** Anthropic accepts at most four breakpoints per request; the last ones cover the longest prefix. */
export const maxCacheBreakpoints = 4;

export function cacheStyle(modelId: string): CacheStyle {
  const [vendor = '', name = ''] = modelId.toLowerCase().split('/');
  if (vendor === 'anthropic' || (vendor === 'google' && name.startsWith('gemini'))) return 'breakpoints';
  if (['openai', 'deepseek', 'x-ai', 'moonshotai', 'z-ai'].includes(vendor)) return 'automatic';
  return 'none';
}

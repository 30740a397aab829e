// Whether stopping a stream stops the bill, by the provider that served it. From OpenRouter's streaming
// guide ("Stream cancellation"): for the providers it lists as supported, aborting the connection stops
// processing and billing at once; the others keep generating and bill the whole answer. Pure.

const stops = ['OpenAI', 'Azure', 'Anthropic', 'Fireworks', 'Mancer', 'Recursal', 'AnyScale', 'Lepton', 'OctoAI', 'Novita', 'DeepInfra', 'Together', 'Cohere', 'Hyperbolic', 'Infermatic', 'Avian', 'XAI', 'Cloudflare', 'SFCompute', 'Nineteen', 'Liquid', 'Friendli', 'Chutes', 'DeepSeek'];
const continues = ['AWS Bedrock', 'Amazon Bedrock', 'Groq', 'Modal', 'Google', 'Google AI Studio', 'Google Vertex', 'Minimax', 'HuggingFace', 'Replicate', 'Perplexity', 'Mistral', 'AI21', 'Featherless', 'Lynn', 'Lambda', 'Reflection', 'SambaNova', 'Inflection', 'ZeroOneAI', 'AionLabs', 'Alibaba', 'Nebius', 'Kluster', 'Targon', 'InferenceNet'];

const fold = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const stopsSet = new Set(stops.map(fold));
const continuesSet = new Set(continues.map(fold));

/** `stops`: billing ends with the stream; `continues`: the provider bills the full answer; `unknown`: not listed. */
export type AbortBilling = 'stops' | 'continues' | 'unknown';

export function abortBilling(provider: string | undefined): AbortBilling {
  if (!provider) return 'unknown';
  const name = fold(provider);
  if (continuesSet.has(name)) return 'continues';
  if (stopsSet.has(name)) return 'stops';
  return 'unknown';
}

/** What a stopped answer's footer says about its bill, naming the provider. */
export function abortBillingText(provider: string | undefined): string | undefined {
  const billing = abortBilling(provider);
  if (billing === 'continues') return `${provider} keeps generating after a stop and bills the whole answer`;
  if (billing === 'stops') return `${provider} stopped billing when you stopped`;
  return provider ? `OpenRouter does not say whether ${provider} stops billing on a stop` : undefined;
}

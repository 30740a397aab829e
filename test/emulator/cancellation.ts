// Which providers keep billing after a client aborts a stream, from OpenRouter's streaming guide
// (`api_reference/streaming.mdx`, "Stream cancellation": the "Not Currently Supported" list). For those the
// emulator bills the whole planned answer, as the provider finishes it; for the rest, only what was sent.
const billsInFull = new Set(
  ['AWS Bedrock', 'Amazon Bedrock', 'Groq', 'Modal', 'Google', 'Google AI Studio', 'Google Vertex', 'Minimax', 'HuggingFace', 'Replicate', 'Perplexity', 'Mistral', 'AI21', 'Featherless', 'Lynn', 'Lambda', 'Reflection', 'SambaNova', 'Inflection', 'ZeroOneAI', 'AionLabs', 'Alibaba', 'Nebius', 'Kluster', 'Targon', 'InferenceNet'].map((n) => n.toLowerCase()),
);

export function billsAfterAbort(provider: string): boolean {
  return billsInFull.has(provider.toLowerCase());
}

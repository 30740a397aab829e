// The offline demo's model list (`npm start`, the README's screenshots; the CLI's --demo-catalogue): a dated
// snapshot of real OpenRouter models with their ids, names, context lengths, modalities and list prices, so
// what the picker shows reads like OpenRouter. Tests never use it: their catalogue (models.ts) keeps the
// made-up prices they assert on.
import { perTokenPrice, type EmulatedModel } from './models';

/** When the prices below were read from openrouter.ai's model pages and the vendors' price lists. */
export const DEMO_PRICES_AS_OF = 'October 2025';

interface DemoEntry {
  id: string;
  name: string;
  /** When OpenRouter added it (YYYY-MM-DD). */
  created: string;
  context: number;
  maxOutput: number | null;
  input: Array<'text' | 'image' | 'file'>;
  /** USD per million tokens: input, output, and cache read/write where the model caches prompts. */
  usd: { in: number; out: number; cacheRead?: number; cacheWrite?: number };
  tokenizer: string;
  reasoning?: boolean;
  tools?: boolean;
  /** Open-weight models served by several providers at different prices: a typical price, not one list price. */
  approximate?: boolean;
  summary: string;
}

const entries: DemoEntry[] = [
  { id: 'openai/gpt-5', name: 'OpenAI: GPT-5', created: '2025-08-07', context: 400_000, maxOutput: 128_000, input: ['text', 'image', 'file'], usd: { in: 1.25, out: 10, cacheRead: 0.125 }, tokenizer: 'GPT', reasoning: true, tools: true, summary: "OpenAI's flagship reasoning model" },
  { id: 'openai/gpt-5-mini', name: 'OpenAI: GPT-5 Mini', created: '2025-08-07', context: 400_000, maxOutput: 128_000, input: ['text', 'image', 'file'], usd: { in: 0.25, out: 2, cacheRead: 0.025 }, tokenizer: 'GPT', reasoning: true, tools: true, summary: 'a smaller, cheaper GPT-5' },
  { id: 'openai/gpt-4.1', name: 'OpenAI: GPT-4.1', created: '2025-04-14', context: 1_047_576, maxOutput: 32_768, input: ['text', 'image', 'file'], usd: { in: 2, out: 8, cacheRead: 0.5 }, tokenizer: 'GPT', tools: true, summary: 'long-context model for coding and instructions' },
  { id: 'openai/gpt-4o', name: 'OpenAI: GPT-4o', created: '2024-05-13', context: 128_000, maxOutput: 16_384, input: ['text', 'image', 'file'], usd: { in: 2.5, out: 10, cacheRead: 1.25 }, tokenizer: 'GPT', tools: true, summary: 'multimodal model, text and images in' },
  { id: 'openai/gpt-4o-mini', name: 'OpenAI: GPT-4o-mini', created: '2024-07-18', context: 128_000, maxOutput: 16_384, input: ['text', 'image', 'file'], usd: { in: 0.15, out: 0.6, cacheRead: 0.075 }, tokenizer: 'GPT', tools: true, summary: 'small, fast and cheap multimodal model' },
  { id: 'anthropic/claude-sonnet-4.5', name: 'Anthropic: Claude Sonnet 4.5', created: '2025-09-29', context: 1_000_000, maxOutput: 64_000, input: ['text', 'image', 'file'], usd: { in: 3, out: 15, cacheRead: 0.3, cacheWrite: 3.75 }, tokenizer: 'Claude', reasoning: true, tools: true, summary: "Anthropic's model for coding and agents" },
  { id: 'anthropic/claude-haiku-4.5', name: 'Anthropic: Claude Haiku 4.5', created: '2025-10-15', context: 200_000, maxOutput: 64_000, input: ['text', 'image'], usd: { in: 1, out: 5, cacheRead: 0.1, cacheWrite: 1.25 }, tokenizer: 'Claude', reasoning: true, tools: true, summary: "Anthropic's fastest model" },
  { id: 'anthropic/claude-opus-4.1', name: 'Anthropic: Claude Opus 4.1', created: '2025-08-05', context: 200_000, maxOutput: 32_000, input: ['text', 'image', 'file'], usd: { in: 15, out: 75, cacheRead: 1.5, cacheWrite: 18.75 }, tokenizer: 'Claude', reasoning: true, tools: true, summary: "Anthropic's largest model" },
  { id: 'anthropic/claude-3.5-haiku', name: 'Anthropic: Claude 3.5 Haiku', created: '2024-11-04', context: 200_000, maxOutput: 8_192, input: ['text', 'image'], usd: { in: 0.8, out: 4, cacheRead: 0.08, cacheWrite: 1 }, tokenizer: 'Claude', tools: true, summary: 'the previous fast Claude' },
  { id: 'google/gemini-2.5-pro', name: 'Google: Gemini 2.5 Pro', created: '2025-06-17', context: 1_048_576, maxOutput: 65_536, input: ['text', 'image', 'file'], usd: { in: 1.25, out: 10 }, tokenizer: 'Gemini', reasoning: true, tools: true, summary: "Google's reasoning model (prices for prompts up to 200K tokens)" },
  { id: 'google/gemini-2.5-flash', name: 'Google: Gemini 2.5 Flash', created: '2025-06-17', context: 1_048_576, maxOutput: 65_535, input: ['text', 'image', 'file'], usd: { in: 0.3, out: 2.5 }, tokenizer: 'Gemini', reasoning: true, tools: true, summary: "Google's fast model with optional thinking" },
  { id: 'google/gemini-2.5-flash-lite', name: 'Google: Gemini 2.5 Flash Lite', created: '2025-07-22', context: 1_048_576, maxOutput: 65_535, input: ['text', 'image', 'file'], usd: { in: 0.1, out: 0.4 }, tokenizer: 'Gemini', tools: true, summary: "Google's cheapest Gemini 2.5" },
  { id: 'x-ai/grok-4', name: 'xAI: Grok 4', created: '2025-07-09', context: 256_000, maxOutput: null, input: ['text', 'image'], usd: { in: 3, out: 15, cacheRead: 0.75 }, tokenizer: 'Grok', reasoning: true, tools: true, summary: "xAI's reasoning model" },
  { id: 'x-ai/grok-code-fast-1', name: 'xAI: Grok Code Fast 1', created: '2025-08-26', context: 256_000, maxOutput: 10_000, input: ['text'], usd: { in: 0.2, out: 1.5, cacheRead: 0.02 }, tokenizer: 'Grok', reasoning: true, tools: true, summary: 'fast reasoning model for agentic coding' },
  { id: 'mistralai/codestral-2508', name: 'Mistral: Codestral 2508', created: '2025-08-01', context: 256_000, maxOutput: null, input: ['text'], usd: { in: 0.3, out: 0.9 }, tokenizer: 'Mistral', tools: true, summary: 'code model with fill-in-the-middle' },
  { id: 'deepseek/deepseek-chat-v3.1', name: 'DeepSeek: DeepSeek V3.1', created: '2025-08-21', context: 163_840, maxOutput: null, input: ['text'], usd: { in: 0.25, out: 1 }, tokenizer: 'DeepSeek', reasoning: true, tools: true, approximate: true, summary: 'open-weight hybrid reasoning model' },
  { id: 'qwen/qwen3-coder', name: 'Qwen: Qwen3 Coder 480B A35B', created: '2025-07-23', context: 262_144, maxOutput: null, input: ['text'], usd: { in: 0.22, out: 0.95 }, tokenizer: 'Qwen3', tools: true, approximate: true, summary: 'open-weight coding model' },
  { id: 'meta-llama/llama-3.3-70b-instruct', name: 'Meta: Llama 3.3 70B Instruct', created: '2024-12-06', context: 131_072, maxOutput: null, input: ['text'], usd: { in: 0.13, out: 0.39 }, tokenizer: 'Llama3', tools: true, approximate: true, summary: 'open-weight multilingual model' },
];

/** The demo label every entry carries in its description. */
export function demoPriceNote(approximate: boolean): string {
  return approximate
    ? `Prices as of ${DEMO_PRICES_AS_OF}, approximate: OpenRouter's providers charge different prices for this open-weight model.`
    : `Prices as of ${DEMO_PRICES_AS_OF} (a snapshot for the offline demo; see openrouter.ai/models for today's).`;
}

function demoModel(entry: DemoEntry): EmulatedModel {
  const supported = ['max_tokens', 'temperature', 'top_p', 'stop', 'seed', 'response_format', 'structured_outputs'];
  if (entry.tools) supported.push('tools', 'tool_choice');
  if (entry.reasoning) supported.push('reasoning', 'include_reasoning');
  const pricing: Record<string, string> = { prompt: perTokenPrice(entry.usd.in), completion: perTokenPrice(entry.usd.out), request: '0', image: '0', web_search: '0', internal_reasoning: '0' };
  if (entry.usd.cacheRead !== undefined) pricing.input_cache_read = perTokenPrice(entry.usd.cacheRead);
  if (entry.usd.cacheWrite !== undefined) pricing.input_cache_write = perTokenPrice(entry.usd.cacheWrite);
  const slug = entry.id.split('/')[1] ?? entry.id;
  const model: EmulatedModel = {
    id: entry.id,
    canonical_slug: entry.id,
    hugging_face_id: null,
    name: entry.name,
    created: Math.floor(Date.parse(`${entry.created}T00:00:00Z`) / 1000),
    description: `${entry.name.split(': ')[1] ?? slug}: ${entry.summary}. ${demoPriceNote(entry.approximate === true)}`,
    context_length: entry.context,
    architecture: {
      modality: `${entry.input.join('+')}->text`,
      input_modalities: entry.input,
      output_modalities: ['text'],
      tokenizer: entry.tokenizer,
      instruct_type: null,
    },
    pricing,
    top_provider: { context_length: entry.context, max_completion_tokens: entry.maxOutput, is_moderated: entry.id.startsWith('openai/') || entry.id.startsWith('anthropic/') },
    per_request_limits: null,
    supported_parameters: supported,
    default_parameters: { temperature: null, top_p: null, frequency_penalty: null },
    supported_voices: null,
    links: { details: `/api/v1/models/${entry.id}/endpoints` },
  };
  if (entry.reasoning) model.reasoning = { mandatory: false, default_enabled: true, supported_efforts: ['high', 'medium', 'low'], supports_max_tokens: true };
  return model;
}

/** The demo's catalogue, newest first as OpenRouter lists it. */
export function buildDemoCatalogue(): EmulatedModel[] {
  return entries.map(demoModel).sort((a, b) => b.created - a.created);
}

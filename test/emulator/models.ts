// A deterministic catalogue shaped like OpenRouter's /models: same ids and prices on every start.
import { routerModels } from './routers';

export interface EmulatedModel {
  id: string;
  canonical_slug: string;
  hugging_face_id: string | null;
  name: string;
  created: number;
  description: string;
  context_length: number;
  architecture: {
    modality: string;
    input_modalities: string[];
    output_modalities: string[];
    tokenizer: string;
    instruct_type: string | null;
  };
  pricing: Record<string, string>;
  top_provider: { context_length: number; max_completion_tokens: number | null; is_moderated: boolean };
  per_request_limits: null;
  supported_parameters: string[];
  default_parameters: { temperature: number | null; top_p: number | null; frequency_penalty: number | null };
  supported_voices: string[] | null;
  links: { details: string };
  expiration_date?: string | null;
  knowledge_cutoff?: string | null;
  reasoning?: { mandatory: boolean; default_enabled: boolean; supported_efforts: string[]; supports_max_tokens: boolean };
}

interface Family {
  vendor: string;
  display: string;
  tokenizer: string;
  provider: string;
  models: string[];
}

const families: Family[] = [
  { vendor: 'openai', display: 'OpenAI', tokenizer: 'GPT', provider: 'OpenAI', models: ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o3', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-oss-120b', 'gpt-oss-20b'] },
  { vendor: 'anthropic', display: 'Anthropic', tokenizer: 'Claude', provider: 'Anthropic', models: ['claude-sonnet-4', 'claude-opus-4', 'claude-opus-4.1', 'claude-sonnet-4.5', 'claude-haiku-4.5', 'claude-3.7-sonnet', 'claude-3.5-haiku', 'claude-3.5-sonnet'] },
  { vendor: 'google', display: 'Google', tokenizer: 'Gemini', provider: 'Google Vertex', models: ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.0-flash-001', 'gemma-3-27b-it', 'gemma-3-12b-it', 'gemma-3-4b-it'] },
  { vendor: 'meta-llama', display: 'Meta', tokenizer: 'Llama3', provider: 'Together', models: ['llama-3.3-70b-instruct', 'llama-3.1-405b-instruct', 'llama-3.1-70b-instruct', 'llama-3.1-8b-instruct', 'llama-4-maverick', 'llama-4-scout', 'llama-3.2-3b-instruct', 'llama-3.2-1b-instruct'] },
  { vendor: 'mistralai', display: 'Mistral', tokenizer: 'Mistral', provider: 'Mistral', models: ['mistral-large-2411', 'mistral-medium-3.1', 'mistral-small-3.2-24b-instruct', 'codestral-2508', 'devstral-medium', 'devstral-small', 'ministral-8b', 'pixtral-large-2411', 'mistral-nemo'] },
  { vendor: 'deepseek', display: 'DeepSeek', tokenizer: 'DeepSeek', provider: 'DeepInfra', models: ['deepseek-chat-v3.1', 'deepseek-r1', 'deepseek-r1-0528', 'deepseek-v3.2-exp', 'deepseek-r1-distill-llama-70b', 'deepseek-chat'] },
  { vendor: 'qwen', display: 'Qwen', tokenizer: 'Qwen3', provider: 'Alibaba', models: ['qwen3-235b-a22b', 'qwen3-coder', 'qwen3-32b', 'qwen3-30b-a3b', 'qwen3-14b', 'qwen3-8b', 'qwen-2.5-72b-instruct', 'qwen-2.5-coder-32b-instruct', 'qwen3-max', 'qwen3-next-80b-a3b-instruct'] },
  { vendor: 'x-ai', display: 'xAI', tokenizer: 'Grok', provider: 'xAI', models: ['grok-4', 'grok-4-fast', 'grok-3', 'grok-3-mini', 'grok-code-fast-1'] },
  { vendor: 'cohere', display: 'Cohere', tokenizer: 'Cohere', provider: 'Cohere', models: ['command-a', 'command-r-plus-08-2024', 'command-r-08-2024', 'command-r7b-12-2024'] },
  { vendor: 'microsoft', display: 'Microsoft', tokenizer: 'Other', provider: 'Azure', models: ['phi-4', 'phi-4-reasoning-plus', 'wizardlm-2-8x22b', 'mai-ds-r1'] },
  { vendor: 'nousresearch', display: 'Nous', tokenizer: 'Llama3', provider: 'Lambda', models: ['hermes-4-405b', 'hermes-4-70b', 'hermes-3-llama-3.1-405b', 'hermes-3-llama-3.1-70b'] },
  { vendor: 'z-ai', display: 'Z.AI', tokenizer: 'Other', provider: 'Z.AI', models: ['glm-4.6', 'glm-4.5', 'glm-4.5-air', 'glm-4.5v'] },
  { vendor: 'moonshotai', display: 'MoonshotAI', tokenizer: 'Other', provider: 'Moonshot AI', models: ['kimi-k2', 'kimi-k2-0905', 'kimi-dev-72b'] },
  { vendor: 'amazon', display: 'Amazon', tokenizer: 'Nova', provider: 'Amazon Bedrock', models: ['nova-pro-v1', 'nova-lite-v1', 'nova-micro-v1', 'nova-premier-v1'] },
  { vendor: 'perplexity', display: 'Perplexity', tokenizer: 'Other', provider: 'Perplexity', models: ['sonar', 'sonar-pro', 'sonar-reasoning', 'sonar-reasoning-pro', 'sonar-deep-research'] },
  { vendor: 'minimax', display: 'MiniMax', tokenizer: 'Other', provider: 'Minimax', models: ['minimax-m2', 'minimax-m1'] },
  { vendor: 'ai21', display: 'AI21', tokenizer: 'Other', provider: 'AI21', models: ['jamba-large-1.7', 'jamba-mini-1.7'] },
  { vendor: 'inflection', display: 'Inflection', tokenizer: 'Other', provider: 'Inflection', models: ['inflection-3-pi', 'inflection-3-productivity'] },
  { vendor: 'liquid', display: 'Liquid', tokenizer: 'Other', provider: 'Liquid', models: ['lfm-7b', 'lfm-3b'] },
  { vendor: 'nvidia', display: 'NVIDIA', tokenizer: 'Llama3', provider: 'Nebius', models: ['llama-3.1-nemotron-70b-instruct', 'nemotron-nano-9b-v2', 'llama-3.3-nemotron-super-49b-v1.5'] },
];

/** Models the emulator answers with special behaviour, always present. */
export const specialModelIds = { long: 'emulator/long', echo: 'emulator/echo' } as const;

/** Image generators: the first two also write text, the rest only images (hidden from the default list). */
const imageModels = ['google/gemini-2.5-flash-image', 'openai/gpt-5-image', 'black-forest-labs/flux.2-pro', 'black-forest-labs/flux.2-flex', 'sourceful/riverflow-v2-fast'];

/** Deterministic pseudo-random numbers so the catalogue never changes between runs. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

/** USD per token as OpenRouter prints it: a plain decimal string, never exponent notation. */
export function perTokenPrice(usdPerMillion: number): string {
  if (usdPerMillion === 0) return '0';
  return (usdPerMillion / 1_000_000).toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}

const acronyms = new Set(['gpt', 'glm', 'oss', 'ds', 'it', 'lfm', 'mai', 'r1', 'v1', 'v2', 'ai']);

function title(slug: string): string {
  return slug
    .split('-')
    .map((w) => (acronyms.has(w) || /^[a-z]\d/.test(w) ? w.toUpperCase() : /^\d/.test(w) ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

function buildModel(id: string, family: Family, index: number, free: boolean, outputImage: false | 'image' | 'image+text'): EmulatedModel {
  const rand = seeded(index * 7919 + id.length);
  const contexts = [8192, 32768, 65536, 128000, 131072, 163840, 200000, 262144, 400000, 1048576];
  const contextLength = contexts[Math.floor(rand() * contexts.length)] ?? 128000;
  const promptPerMillion = free ? 0 : Math.round((0.02 + rand() * 14.98) * 100) / 100;
  const completionPerMillion = free ? 0 : Math.round(promptPerMillion * (2 + Math.floor(rand() * 4)) * 100) / 100;
  const vision = outputImage || rand() < 0.4;
  const tools = outputImage ? false : rand() < 0.65;
  const reasoning = /(^o\d|r1|reasoning|think|gpt-5|sonnet-4|opus-4|gemini-2\.5|gemini-3|grok-4|qwen3|glm-4|deepseek-v3|minimax|hermes-4|gpt-oss)/.test(id);
  const supported = ['max_tokens', 'temperature', 'top_p', 'stop', 'seed', 'frequency_penalty', 'presence_penalty', 'response_format'];
  if (tools) supported.push('tools', 'tool_choice');
  if (reasoning) supported.push('reasoning', 'include_reasoning');
  if (rand() < 0.5) supported.push('structured_outputs');
  const slug = id.replace(/:free$/, '');
  const maxCompletion = rand() < 0.3 ? null : Math.min(contextLength, [4096, 8192, 16384, 32768, 65536][Math.floor(rand() * 5)] ?? 8192);
  const inputModalities = vision ? ['text', 'image'] : ['text'];
  if (vision && rand() < 0.3) inputModalities.push('file');
  const outputModalities = outputImage === 'image' ? ['image'] : outputImage ? ['image', 'text'] : ['text'];
  const pricing: Record<string, string> = {
    prompt: perTokenPrice(promptPerMillion),
    completion: perTokenPrice(completionPerMillion),
    request: '0',
    image: vision && !free ? perTokenPrice(Math.round(rand() * 5000) / 1) : '0',
    web_search: '0',
    internal_reasoning: reasoning && !free ? perTokenPrice(completionPerMillion) : '0',
  };
  if (!free && rand() < 0.5) {
    pricing.input_cache_read = perTokenPrice(Math.round(promptPerMillion * 10) / 100);
    pricing.input_cache_write = perTokenPrice(Math.round(promptPerMillion * 125) / 100);
  }
  const created = 1_700_000_000 + index * 86_400 + Math.floor(rand() * 80_000);
  const model: EmulatedModel = {
    id,
    canonical_slug: `${slug}-${20240101 + (index % 28)}`,
    hugging_face_id: family.vendor === 'meta-llama' || family.vendor === 'qwen' ? `${family.vendor}/${title(slug.split('/')[1] ?? slug)}` : '',
    name: `${family.display}: ${title(slug.split('/')[1] ?? slug)}${free ? ' (free)' : ''}`,
    created,
    description: `${title(slug.split('/')[1] ?? slug)} from ${family.display}, served through the emulator. A deterministic entry for tests.`,
    context_length: contextLength,
    architecture: {
      modality: `${inputModalities.join('+')}->${outputModalities.join('+')}`,
      input_modalities: inputModalities,
      output_modalities: outputModalities,
      tokenizer: family.tokenizer,
      instruct_type: family.tokenizer === 'Llama3' ? 'llama3' : null,
    },
    pricing,
    top_provider: { context_length: contextLength, max_completion_tokens: maxCompletion, is_moderated: family.vendor === 'openai' || family.vendor === 'anthropic' },
    per_request_limits: null,
    supported_parameters: supported,
    default_parameters: { temperature: rand() < 0.5 ? null : 1, top_p: null, frequency_penalty: null },
    supported_voices: null,
    links: { details: `/api/v1/models/${slug}/endpoints` },
    knowledge_cutoff: rand() < 0.5 ? null : `202${3 + Math.floor(rand() * 3)}-0${1 + Math.floor(rand() * 9)}-01`,
  };
  if (reasoning) model.reasoning = { mandatory: /(^o\d|r1|reasoning)/.test(slug.split('/')[1] ?? ''), default_enabled: true, supported_efforts: ['high', 'medium', 'low'], supports_max_tokens: true };
  if (index % 53 === 7) model.expiration_date = '2027-01-31';
  return model;
}

function specialModel(id: string, name: string, index: number): EmulatedModel {
  const family: Family = { vendor: 'emulator', display: 'Emulator', tokenizer: 'Other', provider: 'Emulator', models: [] };
  const model = buildModel(id, family, index, false, false);
  model.name = name;
  model.pricing = { prompt: '0.000001', completion: '0.000002', request: '0', image: '0', web_search: '0', internal_reasoning: '0.000002' };
  model.context_length = 1_000_000;
  model.top_provider = { context_length: 1_000_000, max_completion_tokens: null, is_moderated: false };
  model.supported_parameters = ['max_tokens', 'temperature', 'top_p', 'stop', 'seed', 'tools', 'tool_choice', 'reasoning', 'include_reasoning'];
  model.architecture.input_modalities = ['text', 'image'];
  model.architecture.modality = 'text+image->text';
  return model;
}

/** The full catalogue (text and image output), `count` text-output models long (approximately). */
export function buildCatalogue(count = 320): EmulatedModel[] {
  const out: EmulatedModel[] = [];
  const seen = new Set<string>();
  const add = (model: EmulatedModel): void => {
    if (seen.has(model.id)) return;
    seen.add(model.id);
    out.push(model);
  };
  add(specialModel(specialModelIds.long, 'Emulator: Long (streams 2000 chunks)', 0));
  add(specialModel(specialModelIds.echo, 'Emulator: Echo', 1));
  const generations = ['', '-preview', '-latest', '-0801', '-1106', '-beta', '-exp', '-turbo', '-2', '-3', '-lite', '-pro'];
  let index = 2;
  for (let round = 0; out.length < count && round < generations.length; round++) {
    for (const family of families) {
      for (const name of family.models) {
        if (out.length >= count) break;
        const id = `${family.vendor}/${name}${generations[round] ?? ''}`;
        add(buildModel(id, family, index++, false, false));
        // Open-weight families carry a free variant, as on OpenRouter.
        if (round === 0 && out.length < count && /llama|qwen|gemma|mistral-nemo|deepseek|glm-4\.5-air|kimi-k2|gpt-oss|hermes|nemotron|devstral|grok-4-fast/.test(id)) {
          add(buildModel(`${id}:free`, family, index++, true, false));
        }
      }
    }
  }
  // Added after the generated list so the seeded figures of every model above stay as they were.
  const google = families.find((f) => f.vendor === 'google');
  if (google) {
    const gemini3 = buildModel('google/gemini-3-pro-preview', google, index++, false, false);
    for (const parameter of ['tools', 'tool_choice']) if (!gemini3.supported_parameters.includes(parameter)) gemini3.supported_parameters.push(parameter);
    add(gemini3);
  }
  imageModels.forEach((id, i) => {
    const vendor = id.split('/')[0] ?? 'images';
    const family = families.find((f) => f.vendor === vendor) ?? { vendor, display: vendor, tokenizer: 'Other', provider: vendor, models: [] };
    add(buildModel(id, family, index++, false, i < 2 ? 'image+text' : 'image'));
  });
  for (const router of routerModels(out[1]!)) add(router);
  return out;
}

/** Rough token count, stable for a given text (about four characters per token). */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

export function providerNameFor(modelId: string): string {
  if (modelId.startsWith('openrouter/')) return 'OpenRouter';
  const vendor = modelId.split('/')[0] ?? '';
  return families.find((f) => f.vendor === vendor)?.provider ?? 'Emulator';
}

/** /models with the filters clients use most, and offset/limit paging (the full list when both are absent). */
export function queryCatalogue(catalogue: EmulatedModel[], params: URLSearchParams, baseUrl: string): { data: EmulatedModel[]; links: { next: string | null }; total_count: number } {
  const list = (name: string): string[] => (params.get(name) ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  const output = list('output_modalities');
  const wantedOutput = output.length ? output : ['text'];
  const input = list('input_modalities');
  const parameters = list('supported_parameters');
  const search = params.get('q')?.toLowerCase();
  const minContext = Number(params.get('context') ?? 0);
  const matching = catalogue.filter(
    (m) =>
      (wantedOutput.includes('all') || m.architecture.output_modalities.some((o) => wantedOutput.includes(o))) &&
      input.every((i) => m.architecture.input_modalities.includes(i)) &&
      parameters.every((p) => m.supported_parameters.includes(p)) &&
      (!search || m.id.includes(search) || m.name.toLowerCase().includes(search)) &&
      m.context_length >= minContext,
  );
  if (!params.has('offset') && !params.has('limit')) return { data: matching, links: { next: null }, total_count: matching.length };
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const limit = Math.min(1000, Math.max(1, Number(params.get('limit') ?? 500) || 500));
  const data = matching.slice(offset, offset + limit);
  let next: string | null = null;
  if (offset + limit < matching.length) {
    const nextParams = new URLSearchParams(params);
    nextParams.set('offset', String(offset + limit));
    nextParams.set('limit', String(limit));
    next = `${baseUrl}/models?${nextParams.toString()}`;
  }
  return { data, links: { next }, total_count: matching.length };
}

// `GET /models/{author}/{slug}/endpoints`, shaped as `ListEndpointsResponse`/`PublicEndpoint` in OpenRouter's
// `openapi/openapi.yaml`: the providers serving a model, each with its price, context, quantization, uptime and
// last-30-minute latency (seconds) and throughput (tokens per second) percentiles; throughput is null without
// an API key, as the spec says. Deterministic: the model's own provider first, then up to three others at
// prices and speeds derived from the model id.
import { providerNameFor, type EmulatedModel } from './models';

const others = [
  { name: 'DeepInfra', tag: 'deepinfra', quantization: 'fp8' },
  { name: 'Together', tag: 'together', quantization: 'fp16' },
  { name: 'Groq', tag: 'groq', quantization: 'fp8' },
  { name: 'Fireworks', tag: 'fireworks', quantization: 'bf16' },
];

function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

const scaled = (price: string, factor: number): string => (Number(price) > 0 ? String(Number((Number(price) * factor).toPrecision(6))) : price);

export function modelEndpoints(model: EmulatedModel, authenticated: boolean): Record<string, unknown> {
  const seed = hash(model.id);
  const own = providerNameFor(model.id);
  const providers = [{ name: own, tag: own.toLowerCase().replace(/[^a-z0-9]+/g, '-'), quantization: 'unknown' }, ...others.filter((o) => o.name !== own).slice(0, seed % 4)];
  const endpoints = providers.map((p, i) => {
    const factor = 1 + i * 0.15;
    const p50 = 0.2 + ((seed >> (i + 1)) % 40) / 100 + i * 0.1;
    const tps = 30 + ((seed >> (i + 3)) % 120) - i * 5;
    return {
      name: `${p.name} | ${model.id}`,
      model_id: model.id,
      model_name: model.name,
      context_length: i === 0 ? model.context_length : Math.floor(model.context_length / (i + 1)),
      pricing: { ...model.pricing, prompt: scaled(model.pricing.prompt ?? '0', factor), completion: scaled(model.pricing.completion ?? '0', factor) },
      provider_name: p.name,
      tag: p.tag,
      quantization: p.quantization,
      max_completion_tokens: model.top_provider.max_completion_tokens,
      max_prompt_tokens: null,
      supported_parameters: model.supported_parameters,
      status: 0,
      uptime_last_30m: 100 - i * 1.5,
      uptime_last_5m: 100,
      uptime_last_1d: 99.9 - i,
      supports_implicit_caching: false,
      latency_last_30m: { p50, p75: p50 * 1.4, p90: p50 * 2, p99: p50 * 4 },
      throughput_last_30m: authenticated ? { p50: tps, p75: tps * 0.85, p90: tps * 0.7, p99: tps * 0.4 } : null,
    };
  });
  return { data: { id: model.id, name: model.name, created: model.created, description: model.description, architecture: model.architecture, endpoints } };
}

// A chat's finer provider choices, from OpenRouter's provider selection guide: quantization levels, the most it
// will pay (USD per million tokens in and out: `max_price`, which refuses providers above it), preferred
// throughput (tokens/s) and latency (seconds) at the median (preferences, never refusals), and providers that
// support every parameter sent (`require_parameters`). Pure, no vscode import.
import type { ProviderRouting } from '../openrouter/types';

export const quantizationLevels = ['int4', 'int8', 'fp4', 'fp6', 'fp8', 'fp16', 'bf16', 'fp32', 'unknown'] as const;

export interface ProviderPreferences {
  quantizations?: string[];
  /** USD per million prompt tokens; 0 or absent: no limit. */
  maxPriceIn?: number;
  /** USD per million completion tokens; 0 or absent: no limit. */
  maxPriceOut?: number;
  /** Tokens per second at the median; 0 or absent: no preference. */
  minThroughput?: number;
  /** Seconds at the median; 0 or absent: no preference. */
  maxLatency?: number;
  requireParameters?: boolean;
}

/** What "Settings default" means for each preference: none set. */
export const noProviderPreferences: Required<ProviderPreferences> = Object.freeze({ quantizations: [], maxPriceIn: 0, maxPriceOut: 0, minThroughput: 0, maxLatency: 0, requireParameters: false }) as Required<ProviderPreferences>;

const numberFields = ['maxPriceIn', 'maxPriceOut', 'minThroughput', 'maxLatency'] as const;
const limits: Record<(typeof numberFields)[number], number> = { maxPriceIn: 10_000, maxPriceOut: 10_000, minThroughput: 100_000, maxLatency: 3600 };

/** Checks the raw values (from a webview or a stored chat); each bad one is reported and left out. */
export function parseProviderPreferences(source: Record<string, unknown>, problems: string[]): ProviderPreferences {
  const value: ProviderPreferences = {};
  if (source.quantizations !== undefined && source.quantizations !== null) {
    const list = Array.isArray(source.quantizations) ? source.quantizations : [];
    const known = list.filter((q): q is string => typeof q === 'string' && (quantizationLevels as readonly string[]).includes(q.trim().toLowerCase())).map((q) => q.trim().toLowerCase());
    if (known.length !== list.length || !Array.isArray(source.quantizations)) problems.push(`Quantizations must be among ${quantizationLevels.join(', ')}; others ignored.`);
    if (known.length > 0) value.quantizations = [...new Set(known)];
  }
  for (const field of numberFields) {
    const raw = source[field];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0 || raw > limits[field]) {
      problems.push(`${field}: expected a number from 0 to ${limits[field]}; ignored.`);
      continue;
    }
    value[field] = raw;
  }
  if (typeof source.requireParameters === 'boolean') value.requireParameters = source.requireParameters;
  else if (source.requireParameters !== undefined && source.requireParameters !== null) problems.push('requireParameters: expected true or false; ignored.');
  return value;
}

/** Adds what was chosen to the request's `provider` object (only what differs from OpenRouter's defaults). */
export function applyProviderPreferences(provider: ProviderRouting, preferences: ProviderPreferences): void {
  if (preferences.quantizations?.length) provider['quantizations'] = [...preferences.quantizations];
  const maxPrice: Record<string, number> = {};
  if (preferences.maxPriceIn) maxPrice.prompt = preferences.maxPriceIn;
  if (preferences.maxPriceOut) maxPrice.completion = preferences.maxPriceOut;
  if (Object.keys(maxPrice).length > 0) provider.max_price = maxPrice;
  if (preferences.minThroughput) provider['preferred_min_throughput'] = preferences.minThroughput;
  if (preferences.maxLatency) provider['preferred_max_latency'] = preferences.maxLatency;
  if (preferences.requireParameters) provider['require_parameters'] = true;
}

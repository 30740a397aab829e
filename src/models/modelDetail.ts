// The picker's detail for one model: its variants with what each means, then the providers serving it with
// their price, context, quantization, uptime and last-30-minute latency and throughput (OpenRouter's
// `/models/{author}/{slug}/endpoints`). Pure rows here; the quick pick that shows them is in modelDetailPick.ts.
import type { ModelEndpoint, ModelEndpoints } from '../openrouter/endpointTypes';
import type { Model } from '../openrouter/types';
import { formatContextLength, formatPricePerMillion, modelDisplayName } from './modelFormat';
import { variantsOf } from './modelVariants';

export interface DetailRow {
  label: string;
  description?: string;
  detail?: string;
  /** Selecting the row selects this model id (a variant). */
  modelId?: string;
  separator?: boolean;
}

function percent(value: number | null | undefined): string | undefined {
  return typeof value === 'number' ? `uptime ${value.toFixed(1)}%` : undefined;
}

function latency(endpoint: ModelEndpoint): string | undefined {
  const p50 = endpoint.latency_last_30m?.p50;
  return typeof p50 === 'number' ? `latency ${p50 < 1 ? `${Math.round(p50 * 1000)} ms` : `${p50.toFixed(1)} s`} (median)` : undefined;
}

function throughput(endpoint: ModelEndpoint): string | undefined {
  const p50 = endpoint.throughput_last_30m?.p50;
  return typeof p50 === 'number' ? `${Math.round(p50)} tok/s (median)` : undefined;
}

/** One provider's row: its name, price in and out per million tokens, context and quantization; its recent figures below. */
export function endpointRow(endpoint: ModelEndpoint): DetailRow {
  const price = `${formatPricePerMillion(endpoint.pricing?.prompt)}/M in · ${formatPricePerMillion(endpoint.pricing?.completion)}/M out`;
  const quantization = endpoint.quantization && endpoint.quantization !== 'unknown' ? endpoint.quantization : undefined;
  return {
    label: endpoint.provider_name,
    description: [price, `${formatContextLength(endpoint.context_length)} context`, quantization].filter(Boolean).join(' · '),
    detail: [percent(endpoint.uptime_last_30m), latency(endpoint), throughput(endpoint)].filter(Boolean).join(' · ') + ' · last 30 min',
  };
}

/** The rows of a model's detail: variants (selectable), then its providers (or why they are not shown). */
export function modelDetailRows(model: Model, endpoints: ModelEndpoints | Error): DetailRow[] {
  const rows: DetailRow[] = [];
  const variants = variantsOf(model);
  if (variants.length > 0) {
    rows.push({ label: 'Variants', separator: true });
    for (const v of variants) rows.push({ label: `${modelDisplayName(model)} ${v.suffix}`, description: `${model.id}${v.suffix}`, detail: v.meaning, modelId: `${model.id}${v.suffix}` });
  }
  rows.push({ label: 'Providers (pin or exclude them in the chat’s routing panel)', separator: true });
  if (endpoints instanceof Error) rows.push({ label: '$(warning) The providers could not be loaded', detail: endpoints.message });
  else if (endpoints.endpoints.length === 0) rows.push({ label: 'No provider serves this model now' });
  else rows.push(...endpoints.endpoints.map(endpointRow));
  return rows;
}

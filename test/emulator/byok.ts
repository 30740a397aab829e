// Bring your own key, from OpenRouter's BYOK guide (`guides/overview/auth/byok.mdx`, fee from
// `snippets/exports/constants.mdx`) and the usage accounting cookbook (`cookbook/administration/usage-accounting.mdx`):
// a request served with the account's own provider key costs the provider's price upstream, reported as
// `cost_details.upstream_inference_cost`, and OpenRouter charges 5% of it as `cost`; `is_byok` says so.
import type { Usage } from './completion';

export const BYOK_FEE = 0.05;

export function withByok(usage: Usage, byok: boolean): Usage {
  if (!byok) return usage;
  const upstream = usage.cost;
  return { ...usage, is_byok: true, cost: Number((upstream * BYOK_FEE).toFixed(12)), cost_details: { ...usage.cost_details, upstream_inference_cost: upstream } };
}

// A model's price fields as numbers: OpenRouter sends USD per token as decimal strings ("0.000003"); a missing,
// empty, unreadable or negative one (routers send -1 for "variable") is unknown, never $0.

/** USD per token; undefined when unknown. */
export function pricePerToken(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  const price = Number(value);
  return Number.isFinite(price) && price >= 0 ? price : undefined;
}

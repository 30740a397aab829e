// OpenRouter's ways to name a model beyond its id, from its routing guides (model variants, routers, presets):
// what each variant suffix does, which a model is offered, and the routers. Pure, no vscode import.
import type { Model } from '../openrouter/types';

export interface Variant {
  suffix: string;
  /** What choosing it changes, in a line. */
  meaning: string;
}

/** Variants that apply to a model without being listed: they change how OpenRouter routes it. */
const routingVariants: ReadonlyArray<Variant & { offered(model: Model): boolean }> = [
  { suffix: ':nitro', meaning: 'fastest first: providers sorted by throughput, priority tiers allowed', offered: () => true },
  { suffix: ':floor', meaning: 'cheapest first: providers sorted by price, flex (discounted) tiers allowed', offered: () => true },
  { suffix: ':exacto', meaning: 'tool-calling quality first: providers with the best tool-use record', offered: (m) => m.supported_parameters?.includes('tools') === true },
  { suffix: ':online', meaning: 'searches the web once per request (deprecated: use the chat’s Web search switch)', offered: () => true },
];

const suffixes = routingVariants.map((v) => v.suffix);

/** The model a variant id stands on (`openai/gpt-4o:nitro` → `openai/gpt-4o`); other ids as they are. */
export function baseModelId(id: string): string {
  const suffix = suffixes.find((s) => id.endsWith(s));
  return suffix ? id.slice(0, -suffix.length) : id;
}

/** The variants OpenRouter offers for this model, with what each means. */
export function variantsOf(model: Model): Variant[] {
  if (model.id.includes(':') || model.id.startsWith('openrouter/')) return [];
  return routingVariants.filter((v) => v.offered(model)).map(({ suffix, meaning }) => ({ suffix, meaning }));
}

/** OpenRouter's routers: a model id that picks a model per request; the answer names the one that answered. */
export const routers: ReadonlyArray<{ id: string; name: string; meaning: string }> = [
  { id: 'openrouter/auto', name: 'Auto Router', meaning: 'picks a model for each prompt (price varies with the model it picks)' },
  { id: 'openrouter/free', name: 'Free Models Router', meaning: 'picks one of the free models for each request' },
];

/** A preset as the `model` field takes it (`@preset/slug`), or undefined with a reason when the text is not one. */
export function presetModelId(text: string): { id?: string; problem?: string } {
  const slug = text.trim().replace(/^@preset\//, '');
  if (!/^[a-z0-9][a-z0-9._-]{0,99}$/i.test(slug)) return { problem: 'A preset slug is letters, digits, dots, dashes and underscores, as in its URL on openrouter.ai.' };
  return { id: `@preset/${slug}` };
}

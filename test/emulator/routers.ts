// OpenRouter's routers, from `guides/routing/routers/auto-router.mdx` and `free-router.mdx`: listed in /models like
// any model (variable price, sent as "-1", for the Auto Router; "0" for the free one); a request naming one is
// answered by a model the router picks, and the answer's `model` (and /generation's) names that model. Here
// the pick is deterministic: Auto takes a coding model for a question that mentions code, a small general
// model otherwise; Free takes the first free model that can serve the request.
import type { EmulatedModel } from './models';

export const routerIds = { auto: 'openrouter/auto', free: 'openrouter/free' } as const;

export function routerModels(template: EmulatedModel): EmulatedModel[] {
  const router = (id: string, name: string, price: string, description: string): EmulatedModel => ({
    ...structuredClone(template),
    id,
    canonical_slug: id,
    hugging_face_id: '',
    name,
    description,
    pricing: { prompt: price, completion: price, request: '0', image: '0', web_search: '0', internal_reasoning: '0' },
    links: { details: `/api/v1/models/${id}/endpoints` },
  });
  return [
    router(routerIds.auto, 'Auto Router', '-1', 'Picks a model for each prompt; the answer names the model that answered.'),
    router(routerIds.free, 'Free Models Router', '0', 'Picks one of the free models for each request.'),
  ];
}

/** The model a router sends this request to, or the model itself when it is not a router. */
export function routedModel(model: EmulatedModel, promptText: string, models: ReadonlyMap<string, EmulatedModel>): EmulatedModel {
  if (model.id === routerIds.auto) {
    const pick = /code|function|bug|typescript|python|```/i.test(promptText) ? 'anthropic/claude-sonnet-4.5' : 'openai/gpt-4o-mini';
    return models.get(pick) ?? model;
  }
  if (model.id === routerIds.free) return [...models.values()].find((m) => m.id.endsWith(':free')) ?? model;
  return model;
}

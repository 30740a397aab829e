// Which models suit ghost text, and how the completion model picker lists them (no vscode import).
import { formatModelDetail, modelDisplayName } from '../models/modelFormat';
import type { Model } from '../openrouter/types';
import { fimStyleFor } from './fimPrompt';
import { pricePerToken } from '../models/modelPrice';

export interface CompletionModelItem {
  label: string;
  description: string;
  detail: string;
  modelId: string;
}

/** Models made for code (the ones that suit ghost text): by id, name or description. */
export function suitsCompletions(model: Model): boolean {
  const text = `${model.id} ${model.name ?? ''}`.toLowerCase();
  return /cod(e|er|estral|ing)\b|codestral|devstral|starcoder|-coder/.test(text);
}

function promptPrice(model: Model): number {
  return pricePerToken(model.pricing?.prompt) ?? Number.POSITIVE_INFINITY;
}

/**
 * The picker's items: models that suit completions, those OpenRouter can fill in the middle for first, then
 * by input price; each with its prices, context and the latency measured here, where there is one.
 */
export function completionModelItems(models: readonly Model[], current: string, latencyMs: (model: string) => number | undefined): CompletionModelItem[] {
  const suitable = models.filter(suitsCompletions);
  if (!suitable.some((m) => m.id === current)) {
    const chosen = models.find((m) => m.id === current);
    if (chosen) suitable.push(chosen);
  }
  const fim = (m: Model): number => (fimStyleFor(m.id) === 'chat' ? 1 : 0);
  suitable.sort((a, b) => fim(a) - fim(b) || promptPrice(a) - promptPrice(b) || a.id.localeCompare(b.id));
  return suitable.map((model) => {
    const latency = latencyMs(model.id);
    const how = fimStyleFor(model.id) === 'chat' ? 'chat prompt' : 'fill-in-the-middle';
    return {
      label: `${model.id === current ? '$(check) ' : ''}${modelDisplayName(model)}`,
      description: `${model.id} · ${how}`,
      detail: `${formatModelDetail(model)}${latency === undefined ? '' : ` · ${Math.round(latency)} ms median here`}`,
      modelId: model.id,
    };
  });
}

import * as vscode from 'vscode';
import type { ModelCatalog } from '../models/modelCatalog';
import { formatModelDetail, modelDisplayName } from '../models/modelFormat';
import type { Model } from '../openrouter/types';
import { fimStyleFor } from './fimPrompt';

export interface CompletionModelItem extends vscode.QuickPickItem {
  readonly modelId?: string;
}

/** Models made for code (the ones that suit ghost text): by id, name or description. */
export function suitsCompletions(model: Model): boolean {
  const text = `${model.id} ${model.name ?? ''}`.toLowerCase();
  return /cod(e|er|estral|ing)\b|codestral|devstral|starcoder|-coder/.test(text);
}

function promptPrice(model: Model): number {
  const price = Number(model.pricing?.prompt);
  return Number.isFinite(price) ? price : Number.POSITIVE_INFINITY;
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

/** `OpenRouter: Select Completion Model`: returns the chosen id, or undefined when dismissed. */
export async function pickCompletionModel(catalog: ModelCatalog, current: string, latencyMs: (model: string) => number | undefined): Promise<string | undefined> {
  const models = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Loading OpenRouter models…' }, () => catalog.getModels());
  const items = completionModelItems(models, current, latencyMs);
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Model for inline completions',
    placeHolder: `Current: ${current}. Code models; fill-in-the-middle ones first, then cheapest.`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return chosen?.modelId;
}

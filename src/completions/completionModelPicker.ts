import * as vscode from 'vscode';
import type { ModelCatalog } from '../models/modelCatalog';
import { completionModelItems } from './completionModels';

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

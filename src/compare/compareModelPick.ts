// Choosing the models of a comparison: remembered sets first (last used, favourites: one click), then a
// multi-select over the catalogue with display names and prices that accepts 2–4 models.
import * as vscode from 'vscode';
import type { ModelCatalog } from '../models/modelCatalog';
import { formatModelDetail, modelDisplayName } from '../models/modelFormat';
import { errorText } from '../util/errorText';
import { MAX_MODELS, MIN_MODELS, type ModelSets } from './modelSets';

interface SetItem extends vscode.QuickPickItem {
  set?: string[];
}

interface ModelItem extends vscode.QuickPickItem {
  modelId: string;
}

/** Answers the chosen model ids, or undefined when the user cancelled. */
export async function pickModelSet(catalog: ModelCatalog, sets: ModelSets, log: { warn(message: string): void }): Promise<string[] | undefined> {
  const remembered: SetItem[] = [];
  const name = (id: string): string => {
    const model = catalog.find(id);
    return model ? modelDisplayName(model) : id;
  };
  const describe = (set: string[]): string => set.map(name).join(' · ');
  const last = sets.last;
  if (last) remembered.push({ label: `$(history) ${describe(last)}`, description: 'last used', set: last });
  for (const favourite of sets.favourites) remembered.push({ label: `$(star-full) ${describe(favourite)}`, description: 'favourite set', set: favourite });
  if (remembered.length > 0) {
    const choice = await vscode.window.showQuickPick<SetItem>([...remembered, { label: '$(checklist) Choose models…', description: `${MIN_MODELS}–${MAX_MODELS} from the catalogue` }], {
      title: 'Compare Models: which models?',
      placeHolder: 'A remembered set, or choose models',
    });
    if (!choice) return undefined;
    if (choice.set) return choice.set;
  }
  return pickModels(catalog, last ?? [], log);
}

function pickModels(catalog: ModelCatalog, preselected: readonly string[], log: { warn(message: string): void }): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<ModelItem>();
    qp.canSelectMany = true;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    const title = `Compare Models: choose ${MIN_MODELS}–${MAX_MODELS} models`;
    qp.title = title;
    qp.placeholder = 'Filter by name or id; tick the models, then press Enter';
    let settled = false;
    const finish = (value: string[] | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
      qp.dispose();
    };
    const render = (): void => {
      const favourites = new Set(catalog.favourites);
      const models = [...(catalog.models ?? [])].sort((a, b) => Number(favourites.has(b.id)) - Number(favourites.has(a.id)));
      qp.items = models.map((model) => ({ modelId: model.id, label: modelDisplayName(model), description: model.id, detail: formatModelDetail(model) }));
      qp.selectedItems = qp.items.filter((item) => preselected.includes(item.modelId));
    };
    qp.onDidChangeSelection((selected) => {
      // The title says what is wrong (QuickPick has no validation message in the stable API).
      qp.title = selected.length > MAX_MODELS ? `${title} · ${selected.length} ticked: untick ${selected.length - MAX_MODELS}` : `${title} · ${selected.length} ticked`;
    });
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems.map((item) => item.modelId);
      if (chosen.length < MIN_MODELS || chosen.length > MAX_MODELS) {
        qp.title = `${title} · ${chosen.length} ticked: choose ${MIN_MODELS} to ${MAX_MODELS}, then press Enter`;
        return;
      }
      finish(chosen);
    });
    qp.onDidHide(() => finish(undefined));
    if (catalog.models) render();
    else {
      qp.busy = true;
      catalog
        .getModels()
        .then(() => (settled ? undefined : render()))
        .catch((error: unknown) => {
          log.warn(`Compare Models could not load the model list: ${errorText(error)}`);
          qp.placeholder = `Could not load the model list: ${errorText(error)}`;
        })
        .finally(() => (qp.busy = false));
    }
    qp.show();
  });
}

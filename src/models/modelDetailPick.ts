// `OpenRouter: Show Model Providers and Variants`, and the picker's detail button: a quick pick with a model's
// variants (choosing one selects it) and its providers from OpenRouter, loaded behind a busy indicator.
import * as vscode from 'vscode';
import type { Log } from '../log/logger';
import type { ModelEndpoints } from '../openrouter/endpointTypes';
import type { Model } from '../openrouter/types';
import { errorText } from '../util/errorText';
import type { ModelCatalog } from './modelCatalog';
import { modelDetailRows, type DetailRow } from './modelDetail';
import { modelDisplayName } from './modelFormat';

type DetailItem = vscode.QuickPickItem & { modelId?: string };

/** The rows for `model`, its providers fetched now (an error row when they cannot be). */
export async function loadDetailRows(catalog: ModelCatalog, model: Model, log: Log): Promise<DetailRow[]> {
  let endpoints: ModelEndpoints | Error;
  try {
    endpoints = await catalog.endpoints(model.id);
  } catch (error) {
    log.warn(`Providers of ${model.id}: ${errorText(error)}`);
    endpoints = new Error(errorText(error));
  }
  return modelDetailRows(model, endpoints);
}

function toItem(row: DetailRow): DetailItem {
  if (row.separator) return { label: row.label, kind: vscode.QuickPickItemKind.Separator };
  return { label: row.label, ...(row.description ? { description: row.description } : {}), ...(row.detail ? { detail: row.detail } : {}), ...(row.modelId ? { modelId: row.modelId } : {}) };
}

/** Shows the detail; resolves with the variant selected, or undefined. */
export function showModelDetail(catalog: ModelCatalog, model: Model, log: Log): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<DetailItem>();
    qp.title = `${modelDisplayName(model)} (${model.id}): variants and providers`;
    qp.placeholder = 'Choose a variant to use it, or read the providers serving this model';
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.busy = true;
    let done = false;
    const finish = (value: string | undefined): void => {
      if (done) return;
      done = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidAccept(async () => {
      const id = qp.selectedItems[0]?.modelId;
      if (!id) return;
      await catalog.select(id);
      qp.hide();
      finish(id);
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
    void loadDetailRows(catalog, model, log).then((rows) => {
      if (done) return;
      qp.items = rows.map(toItem);
      qp.busy = false;
    });
  });
}

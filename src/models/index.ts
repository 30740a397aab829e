// The model picker's commands and the model status bar item; outside production, what the picker would list.
import * as vscode from 'vscode';
import { internalCommandIds } from '../commands/commandIds';
import { featureHandle, type FeatureHandle, type Services } from '../host/services';
import { loadDetailRows } from './modelDetailPick';
import { ModelPicker } from './modelPicker';
import { ModelStatusItem } from './modelStatusItem';

export function register(services: Services): FeatureHandle {
  const { catalog, logger } = services;
  const picker = new ModelPicker(catalog, logger.forComponent('models'));
  const registrations: vscode.Disposable[] = [picker, new ModelStatusItem(catalog, services.emulatorNote)];
  if (services.internalCommands) {
    registrations.push(
      vscode.commands.registerCommand(internalCommandIds.pickerItems, (freeOnly?: unknown) =>
        picker.buildItems(freeOnly === true).map((item) => ({ label: item.label, description: item.description, detail: item.detail, modelId: item.modelId, separator: item.kind === vscode.QuickPickItemKind.Separator })),
      ),
      vscode.commands.registerCommand(internalCommandIds.modelDetailRows, async (id: string) => {
        const model = catalog.find(id);
        return model ? loadDetailRows(catalog, model, logger.forComponent('models')) : undefined;
      }),
      vscode.commands.registerCommand(internalCommandIds.toggleFavourite, (id: string) => catalog.toggleFavourite(id)),
    );
  }
  return featureHandle(vscode.Disposable.from(...registrations), {});
}

import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKey/apiKeyStore';
import { internalCommandIds } from './commandIds';
import type { CreditsStatusItem } from '../credits/creditsStatusItem';
import type { Logger } from '../log/logger';
import type { ModelCatalog } from '../models/modelCatalog';
import type { ModelPicker } from '../models/modelPicker';
import { loadDetailRows } from '../models/modelDetailPick';
import type { ProviderHost } from '../host/providerHost';
import type { Settings } from '../config/settings';
import type { WorkspaceSettingsGuard } from '../config/workspaceSettingsGuard';
import type { WorkspaceConsent } from '../config/workspaceConsent';

export interface InternalDeps {
  logger: Logger;
  keys: ApiKeyStore;
  settings: Settings;
  providerHost: ProviderHost;
  catalog: ModelCatalog;
  credits: CreditsStatusItem;
  picker: ModelPicker;
  guard: WorkspaceSettingsGuard;
  consent: WorkspaceConsent;
  /** The chat composer as the extension last heard it: the draft and the attachments' names. */
  chatComposer: () => { prompt: string; attachments: Array<{ name: string }> };
}

/** State the UI shows, readable by the integration tests (registered outside production only). */
export function registerInternalCommands(deps: InternalDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(internalCommandIds.logTail, () => deps.logger.tail().slice()),
    vscode.commands.registerCommand(internalCommandIds.state, async () => ({
      keySource: await deps.keys.source(),
      settings: { ...deps.settings.values },
      providerStats: deps.providerHost.provider.stats(),
      credits: deps.credits.snapshot,
      selectedModelId: deps.catalog.selectedModelId,
      favourites: [...deps.catalog.favourites],
      recentlyUsed: [...deps.catalog.recentlyUsed],
      modelCount: deps.catalog.models?.length,
      modelsAgeMs: deps.catalog.ageMs,
      modelsFetching: deps.catalog.isFetching,
      modelsCacheUri: deps.catalog.cacheUri.toString(),
      workspaceConsent: deps.consent.settings.map((s) => ({ ...s })),
      ignoredWorkspaceSettings: await deps.guard.settled().then(() => Object.fromEntries(deps.guard.ignored)),
      chatComposer: ((composer) => ({ draft: composer.prompt, attachments: composer.attachments.map((a) => a.name) }))(deps.chatComposer()),
    })),
    vscode.commands.registerCommand(internalCommandIds.pickerItems, (freeOnly?: unknown) =>
      deps.picker.buildItems(freeOnly === true).map((item) => ({ label: item.label, description: item.description, detail: item.detail, modelId: item.modelId, separator: item.kind === vscode.QuickPickItemKind.Separator })),
    ),
    vscode.commands.registerCommand(internalCommandIds.modelDetailRows, async (id: string) => {
      const model = deps.catalog.find(id);
      return model ? loadDetailRows(deps.catalog, model, deps.logger.forComponent('models')) : undefined;
    }),
    vscode.commands.registerCommand(internalCommandIds.toggleFavourite, (id: string) => deps.catalog.toggleFavourite(id)),
    vscode.commands.registerCommand(internalCommandIds.closeConnections, () => deps.providerHost.closeConnections()),
  );
}

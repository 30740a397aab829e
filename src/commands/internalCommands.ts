import * as vscode from 'vscode';
import { internalCommandIds } from './commandIds';
import type { CreditsSnapshot } from '../credits';
import { featureHandle, type FeatureHandle, type Services } from '../host/services';

/** What the test state reads of the features: the credits item and the chat composer. */
export interface StatePeers {
  credits: { snapshot(): CreditsSnapshot };
  /** The chat composer as the extension last heard it: the draft and the attachments' names. */
  chat: { composer(): { prompt: string; attachments: Array<{ name: string }> } };
}

/** State the UI shows, readable by the integration tests (registered outside production only). */
export function register(services: Services, peers: StatePeers): FeatureHandle {
  if (!services.internalCommands) return featureHandle(new vscode.Disposable(() => undefined), {});
  const { keys, settings, host, catalog, consent, workspaceGuard } = services;
  return featureHandle(
    vscode.Disposable.from(
      vscode.commands.registerCommand(internalCommandIds.state, async () => ({
        keySource: await keys.source(),
        settings: { ...settings.values },
        providerStats: host.provider.stats(),
        credits: peers.credits.snapshot(),
        selectedModelId: catalog.selectedModelId,
        favourites: [...catalog.favourites],
        recentlyUsed: [...catalog.recentlyUsed],
        modelCount: catalog.models?.length,
        modelsAgeMs: catalog.ageMs,
        modelsFetching: catalog.isFetching,
        modelsCacheUri: catalog.cacheUri.toString(),
        workspaceConsent: consent.settings.map((s) => ({ ...s })),
        ignoredWorkspaceSettings: await workspaceGuard.settled().then(() => Object.fromEntries(workspaceGuard.ignored)),
        chatComposer: ((composer) => ({ draft: composer.prompt, attachments: composer.attachments.map((a) => a.name) }))(peers.chat.composer()),
      })),
      vscode.commands.registerCommand(internalCommandIds.closeConnections, () => host.closeConnections()),
    ),
    {},
  );
}

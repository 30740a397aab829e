import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { featureHandle, type FeatureHandle, type Services } from '../host/services';
import { OpenRouterChatModelProvider } from './chatModelProvider';
import { manageLanguageModels } from './manageModels';

export { LM_VENDOR } from './vendor';

/**
 * OpenRouter's models for the editor's chat model picker, plus the picker's "manage" command. The start-up
 * code registers the provider under LM_VENDOR (src/extension.ts), so the editor knows it before this loads.
 */
export function register(services: Services): FeatureHandle<{ provider: OpenRouterChatModelProvider }> {
  const { host, catalog, keys, routing, usage, logger } = services;
  const provider = new OpenRouterChatModelProvider({ host, catalog, keys, routing, usage, log: logger.forComponent('lm') });
  return featureHandle(vscode.Disposable.from(provider, vscode.commands.registerCommand(commandIds.manageLanguageModels, manageLanguageModels)), { provider });
}

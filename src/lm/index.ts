import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { OpenRouterChatModelProvider } from './chatModelProvider';
import type { ChatModelProviderDeps } from './chatModelProvider';
import { manageLanguageModels } from './manageModels';

export { LM_VENDOR } from './vendor';

/**
 * OpenRouter's models for the editor's chat model picker, plus the picker's "manage" command. The start-up
 * code registers the provider under LM_VENDOR (src/extension.ts), so the editor knows it before this loads.
 */
export function registerLanguageModels(deps: ChatModelProviderDeps): { provider: OpenRouterChatModelProvider; disposable: vscode.Disposable } {
  const provider = new OpenRouterChatModelProvider(deps);
  return { provider, disposable: vscode.Disposable.from(provider, vscode.commands.registerCommand(commandIds.manageLanguageModels, manageLanguageModels)) };
}

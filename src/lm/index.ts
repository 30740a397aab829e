import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { OpenRouterChatModelProvider } from './chatModelProvider';
import type { ChatModelProviderDeps } from './chatModelProvider';
import { manageLanguageModels } from './manageModels';
import { LM_VENDOR } from './vendor';

export { LM_VENDOR } from './vendor';

/** Puts OpenRouter's models in the editor's chat model picker, plus the picker's "manage" command. */
export function registerLanguageModels(deps: ChatModelProviderDeps): vscode.Disposable {
  const provider = new OpenRouterChatModelProvider(deps);
  return vscode.Disposable.from(
    provider,
    vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider),
    vscode.commands.registerCommand(commandIds.manageLanguageModels, manageLanguageModels),
  );
}

import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { ROUTING_SECTION } from '../routing';

interface ManageItem extends vscode.QuickPickItem {
  run(): Thenable<unknown>;
}

/** The editor's chat "Manage Models" entry for OpenRouter: key, default model, routing, settings. */
export async function manageLanguageModels(): Promise<void> {
  const items: ManageItem[] = [
    { label: '$(account) Sign In with OpenRouter', detail: 'Approve in the browser; a new key for this editor goes to the secret store.', run: () => vscode.commands.executeCommand(commandIds.signIn) },
    { label: '$(key) Set API Key', detail: 'Store or replace the OpenRouter key in the secret store.', run: () => vscode.commands.executeCommand(commandIds.setApiKey) },
    { label: '$(list-selection) Select Default Model', detail: 'Choose the model shown first, with prices and context sizes.', run: () => vscode.commands.executeCommand(commandIds.selectModel) },
    { label: '$(refresh) Refresh Model List', detail: 'Fetch the current model list from OpenRouter.', run: () => vscode.commands.executeCommand(commandIds.refreshModels) },
    {
      label: '$(server-process) Routing Settings',
      detail: 'Provider order and sort, fallbacks, data policy, reasoning effort.',
      run: () => vscode.commands.executeCommand('workbench.action.openSettings', ROUTING_SECTION),
    },
    { label: '$(gear) All OpenRouter Settings', run: () => vscode.commands.executeCommand(commandIds.openSettings) },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Manage OpenRouter Models', placeHolder: 'What do you want to change?' });
  await picked?.run();
}

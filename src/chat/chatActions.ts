// What the chat's page may ask of the editor beyond the chat itself: insert code at the cursor, and the closed list
// of actions its notices offer (set a key, pick a model, open the credits page, the settings or the log).
import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { assertNever } from '../util/assertNever';
import type { ChatAction } from './conversation';

const creditsUrl = 'https://openrouter.ai/settings/credits';

/** Replaces every selection of the active (else the first visible) editor with `code`. */
export async function insertCodeAtCursor(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showInformationMessage('Open a file in an editor to insert the code at its cursor.');
    return;
  }
  const inserted = await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, code);
  });
  if (!inserted) void vscode.window.showWarningMessage('The code could not be inserted: the editor refused the edit.');
}

/** Runs one of the actions a chat notice offers. */
export async function runChatAction(action: ChatAction): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await vscode.commands.executeCommand(commandIds.setApiKey);
      return;
    case 'selectModel':
      await vscode.commands.executeCommand(commandIds.selectModel);
      return;
    case 'openCredits':
      await vscode.env.openExternal(vscode.Uri.parse(creditsUrl));
      return;
    case 'openSettings':
      await vscode.commands.executeCommand(commandIds.openSettings);
      return;
    case 'openProxySettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'http.proxy');
      return;
    case 'showLog':
      await vscode.commands.executeCommand(commandIds.showLog);
      return;
    default:
      assertNever(action);
  }
}

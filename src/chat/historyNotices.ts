// What the chat history tells the user: a conversation file that could not be read (kept aside, never
// deleted), and, when `openrouter.chat.keepHistory` is turned off, the chats saved before (offered for deletion).
import * as vscode from 'vscode';
import type { Settings } from '../config/settings';
import type { Log } from '../log/logger';
import { errorText } from '../util/errorText';
import type { ChatHistory } from './chatHistory';

/** Once per file: which chat, that it left the history, and where its file is kept. */
export function unreadableChatNotice(log: Log): (chat: { title: string | undefined; keptAt: string }) => void {
  return ({ title, keptAt }) => {
    const name = title ? `The saved chat “${title}”` : 'A saved chat';
    const text = `${name} could not be read and is no longer in the chat history. Its file is kept, unchanged, at ${keptAt}.`;
    log.warn(text);
    void vscode.window.showWarningMessage(text, 'Open File').then((choice) => {
      if (choice) void vscode.window.showTextDocument(vscode.Uri.file(keptAt));
    });
  };
}

/**
 * Turning `openrouter.chat.keepHistory` off stops new writes at once; the chats saved before stay until the
 * user deletes them, which this offers (with a second, modal question: deleting cannot be undone).
 */
export function offerToDeleteHistory(settings: Settings, history: ChatHistory, log: Log, onDeleted: () => void): vscode.Disposable {
  return settings.onDidChange(async (change) => {
    if (!change.affects('chat.keepHistory') || settings.values['chat.keepHistory']) return;
    try {
      await history.load();
      const count = history.list().length;
      log.info(`Chat history turned off: nothing new is saved; ${count} saved chat(s) left as they are.`);
      if (count === 0) return;
      const saved = count === 1 ? 'The chat saved before is' : `The ${count} chats saved before are`;
      const choice = await vscode.window.showInformationMessage(`Chat history is off: new chats are not saved. ${saved} still on this computer.`, 'Delete Saved Chats', 'Keep Them');
      if (choice !== 'Delete Saved Chats') return;
      const sure = await vscode.window.showWarningMessage(`Delete ${count === 1 ? 'the saved chat' : `all ${count} saved chats`}? This cannot be undone.`, { modal: true }, 'Delete');
      if (sure !== 'Delete') return;
      const deleted = await history.deleteAll();
      log.info(`Deleted ${deleted} saved chat(s).`);
      onDeleted();
    } catch (error) {
      log.warn(`The saved chats could not be deleted: ${errorText(error)}`);
    }
  });
}

// The chat's view of checkpoints: which answers of the chat on screen changed files (names only, never their
// content), sent after every snapshot (so a reloaded window's chat knows) and whenever a checkpoint changes;
// the answer's Undo button runs the same command as the palette.
import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import type { Edits } from '../edits';
import { Disposable } from '../util/dispose';
import { errorText } from '../util/errorText';
import type { Log } from '../log/logger';
import type { ExtensionMessage } from '../protocols/chat';

export class AnswerChangesBridge extends Disposable {
  constructor(
    private readonly checkpoints: Edits['checkpoints'],
    private readonly chatId: () => string,
    private readonly post: (message: ExtensionMessage) => void,
    private readonly log: Log,
  ) {
    super();
    this._register(checkpoints.onDidChange((answer) => (answer.chatId === this.chatId() ? void this.send(answer.chatId) : undefined)));
  }

  /** Tells the panel which answers of `chatId` changed files. */
  async send(chatId: string): Promise<void> {
    try {
      const changes = await this.checkpoints.changesOf(chatId);
      // The user may have switched chats while the record was read: the panel ignores another chat's list anyway.
      this.post({ type: 'answerChanges', chatId, changes: changes.map((c) => ({ turnId: c.answerId, files: c.files })) });
    } catch (error) {
      this.log.warn(`The chat could not read which answers changed files: ${errorText(error)}`);
    }
  }

  async undo(turnId: string): Promise<void> {
    await vscode.commands.executeCommand(commandIds.undoAnswerChanges, turnId, this.chatId());
    // Declined or failed everywhere: nothing was marked, so the panel gets its button back.
    await this.send(this.chatId());
  }
}

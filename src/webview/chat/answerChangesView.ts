// Under each answer that changed files: which files, and "Undo this answer's changes" (a plain button, so Tab
// and Enter reach it; theme colours from the shared button styles); once undone it says so. Fed by the
// extension's `answerChanges` messages: after every snapshot (a reloaded window's chat too) and every change.
import type { AnswerChanges, ExtensionMessage } from '../../protocols/chat';
import { h } from '../shared/dom';
import { turnsBuiltEvent } from './turnList';
import type { VsCodeApi } from './vscodeApi';

const changeNote = { edited: '', created: ' (new file)', deleted: ' (deleted)' } as const;

export class AnswerChangesView {
  private readonly byChat = new Map<string, AnswerChanges[]>();

  constructor(
    private readonly root: HTMLElement,
    private readonly vscode: VsCodeApi,
  ) {}

  /** Listens after the chat page's own handler, so a snapshot's turns are on the page when this runs. */
  start(): void {
    window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => this.onMessage(event.data));
    // The earlier turns of a reopened chat arrive on the page a batch at a time, after the snapshot.
    this.root.addEventListener(turnsBuiltEvent, () => this.render());
  }

  private onMessage(message: ExtensionMessage): void {
    if (message.type === 'answerChanges') this.byChat.set(message.chatId, message.changes);
    if (message.type === 'answerChanges' || message.type === 'snapshot' || message.type === 'turnAdded') this.render();
  }

  private render(): void {
    const chatId = document.body.dataset.chatId;
    const changes = (chatId && this.byChat.get(chatId)) || [];
    if (changes.length === 0 && !this.root.querySelector('.answer-changes')) return;
    for (const article of this.root.querySelectorAll<HTMLElement>('article.turn.assistant')) {
      const entry = changes.find((c) => c.turnId === article.dataset.turnId && c.files.length > 0);
      const existing = article.querySelector<HTMLElement>('.answer-changes');
      const key = entry ? JSON.stringify(entry.files) : '';
      if (existing?.dataset.key === key) continue;
      const hadFocus = existing?.contains(document.activeElement) === true;
      if (!entry) {
        existing?.remove();
        continue;
      }
      const bar = this.bar(entry);
      bar.dataset.key = key;
      if (existing) existing.replaceWith(bar);
      else (article.querySelector('.turn-foot') ?? article.lastElementChild)?.before(bar);
      // A keyboard user who pressed the button stays in the bar: on the button again, or on what it now says.
      if (hadFocus) (bar.querySelector<HTMLButtonElement>('button:not(:disabled)') ?? bar.querySelector<HTMLElement>('.answer-changes-status'))?.focus();
    }
  }

  private bar(entry: AnswerChanges): HTMLElement {
    const left = entry.files.filter((file) => !file.undone);
    const undone = left.length === 0;
    const count = `${entry.files.length} file${entry.files.length === 1 ? '' : 's'}`;
    const status = undone ? `This answer's changes were undone (${count}).` : left.length < entry.files.length ? `This answer changed ${count}; some were put back.` : `This answer changed ${count}.`;
    const files = h(
      'ul',
      { class: 'answer-changes-files' },
      ...entry.files.map((file) => h('li', { 'data-undone': String(file.undone) }, h('span', { class: 'answer-changes-path' }, file.path), changeNote[file.change], file.undone ? h('span', { class: 'muted' }, ' — undone') : null)),
    );
    const button = h(
      'button',
      { type: 'button', class: 'answer-changes-undo', 'data-action': 'undo-answer-changes', 'data-turn-id': entry.turnId, disabled: undone, title: undone ? 'Every file this answer changed is back as it was' : `Put back ${left.map((f) => f.path).join(', ')} as before this answer` },
      undone ? 'Changes undone' : left.length < entry.files.length ? 'Undo the remaining changes' : "Undo this answer's changes",
    );
    const section = h(
      'section',
      { class: 'answer-changes', 'data-state': undone ? 'undone' : 'changed', 'aria-label': 'Files this answer changed' },
      h('div', { class: 'answer-changes-status', role: 'status', tabindex: '-1' }, status),
      files,
      h('div', { class: 'answer-changes-actions' }, button),
    );
    button.addEventListener('click', () => {
      button.disabled = true;
      button.textContent = 'Undoing…';
      // Whatever the extension answers is drawn, even the same list (every file kept): the button comes back.
      delete section.dataset.key;
      this.vscode.postMessage({ type: 'undoAnswerChanges', turnId: entry.turnId });
    });
    return section;
  }
}

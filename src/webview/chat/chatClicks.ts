// The chat panel's buttons, handled by one delegated click listener: each turns into a typed message to the
// extension, or a change in the panel itself (edit a question, close a section).
import type { ChatAction, WebviewMessage } from '../../protocols/chat';
import { icon } from './icons';

const chatActions: readonly ChatAction[] = ['setApiKey', 'selectModel', 'openCredits', 'openSettings', 'openProxySettings', 'showLog'];

export interface ChatClickTarget {
  post(message: WebviewMessage): void;
  /** An answer is streaming: regenerating waits. */
  busy(): boolean;
  editQuestion(turnId: string): void;
  closePanel(panel: string | undefined): void;
}

export function handleChatClick(event: MouseEvent, chat: ChatClickTarget): void {
  const target = event.target instanceof Element ? event.target : null;
  const button = target?.closest('button');
  const action = button?.dataset.action;
  if (!button || !action) return;
  const turnId = button.dataset.turnId;
  switch (action) {
    case 'copy-code':
    case 'insert-code': {
      const code = button.closest('.code-block')?.querySelector('pre code')?.textContent ?? '';
      chat.post({ type: action === 'copy-code' ? 'copyCode' : 'insertCode', code });
      if (action === 'copy-code') flashLabel(button, 'Copied');
      break;
    }
    case 'apply-code': {
      const block = button.closest('.code-block');
      const answer = block?.closest<HTMLElement>('article.turn.assistant');
      const code = block?.querySelector('pre code')?.textContent;
      if (!block || !answer?.dataset.turnId || code === undefined || code === null) break;
      const index = [...answer.querySelectorAll('.code-block')].indexOf(block);
      chat.post({ type: 'applyCode', turnId: answer.dataset.turnId, index, code });
      break;
    }
    case 'retry':
      if (turnId) chat.post({ type: 'retry', turnId });
      break;
    case 'copy-answer':
      if (turnId) {
        chat.post({ type: 'copyAnswer', turnId });
        flashIcon(button, 'check', 'Copied');
      }
      break;
    case 'regenerate':
    case 'regenerate-with':
      if (turnId && !chat.busy()) chat.post({ type: 'regenerate', turnId, ...(action === 'regenerate-with' ? { pickModel: true } : {}) });
      break;
    case 'edit-question':
      if (turnId) chat.editQuestion(turnId);
      break;
    case 'close-panel':
      chat.closePanel(button.dataset.panel);
      break;
    case 'run-action': {
      const chatAction = chatActions.find((a) => a === button.dataset.chatAction);
      if (chatAction) chat.post({ type: 'runAction', action: chatAction });
      break;
    }
    case 'open-chat':
      if (button.dataset.chatId) chat.post({ type: 'openChat', chatId: button.dataset.chatId });
      break;
    case 'delete-chat':
      if (button.dataset.chatId) chat.post({ type: 'deleteChat', chatId: button.dataset.chatId });
      break;
  }
}

function flashLabel(button: HTMLElement, label: string): void {
  const original = button.textContent;
  button.textContent = label;
  setTimeout(() => (button.textContent = original), 1200);
}

/** Shows a tick (and says `label` to screen readers) for a moment after an icon button did its job. */
function flashIcon(button: HTMLElement, name: 'check', label: string): void {
  const original = [...button.childNodes];
  const originalLabel = button.getAttribute('aria-label');
  button.replaceChildren(icon(name));
  button.setAttribute('aria-label', label);
  setTimeout(() => {
    button.replaceChildren(...original);
    if (originalLabel) button.setAttribute('aria-label', originalLabel);
  }, 1200);
}

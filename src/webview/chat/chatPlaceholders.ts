// Pieces of the chat panel built from the snapshot: the model chooser's options, a section's heading, the history
// list, and the empty state's guidance.
import type { ChatPanelSection, ChatSnapshot, ChatSummary, ErrorNotice, ModelOption } from '../../protocols/chat';
import { modelOptionLabel } from './format';
import { h } from '../shared/dom';
import { iconButton } from './icons';

export function historyList(snapshot: ChatSnapshot): HTMLElement {
  const item = (chat: ChatSummary) =>
    h(
      'li',
      { class: chat.id === snapshot.conversation.id ? 'current' : undefined },
      h('button', { type: 'button', class: 'history-open', 'data-action': 'open-chat', 'data-chat-id': chat.id, 'aria-current': chat.id === snapshot.conversation.id ? 'true' : undefined }, chat.title, h('span', { class: 'history-date' }, new Date(chat.updatedAt).toLocaleString())),
      iconButton('trash', `Delete chat "${chat.title}"`, { class: 'history-delete', 'data-action': 'delete-chat', 'data-chat-id': chat.id }),
    );
  return snapshot.history.length ? h('ul', { class: 'history-list' }, ...snapshot.history.map(item)) : h('p', { class: 'muted' }, 'No saved chats yet. Chats are saved as you go.');
}

export function emptyStateContent(hasKey: boolean): HTMLElement[] {
  return hasKey
    ? [
        h('h2', {}, 'Ask about your code'),
        h('p', {}, 'Choose a model above, type below and press Enter to send (Shift+Enter adds a line).'),
        h('p', {}, 'Select code in an editor and run “OpenRouter: Ask About Selection” to quote it here. Each answer shows its cost and speed, and can be copied or regenerated.'),
        h('p', {}, 'New chat, history, routing and the system prompt are in this view’s title bar.'),
      ]
    : [
        h('h2', {}, 'Add your OpenRouter API key'),
        h('p', {}, 'The chat needs a key from openrouter.ai/keys. It is kept in VS Code’s secret storage.'),
        h('button', { type: 'button', class: 'primary', 'data-action': 'run-action', 'data-chat-action': 'setApiKey' }, 'Set API Key'),
      ];
}

/** The chooser's options: favourites first, then every model; the chosen one even when the list lacks it. */
/** The chooser's tooltip: the chosen model's name, id and full price. */
export function modelTooltip(snapshot: ChatSnapshot | undefined, id: string): string {
  const model = snapshot?.models.find((m) => m.id === id);
  return model ? `${model.name} (${model.id}): ${model.free ? 'free' : (model.priceDetail ?? 'price unknown')}` : 'Model';
}

export function modelChooserOptions(snapshot: ChatSnapshot): Node[] {
  const option = (model: ModelOption) => h('option', { value: model.id, title: model.priceDetail ? `${model.id}: ${model.priceDetail}` : model.id, selected: model.id === snapshot.selectedModel }, modelOptionLabel(model));
  const favourites = snapshot.models.filter((m) => m.favourite);
  const children: Node[] = [];
  if (snapshot.models.length === 0) children.push(h('option', { value: '', disabled: true, selected: true }, snapshot.hasKey ? 'Loading models…' : 'No models yet'));
  if (snapshot.selectedModel && !snapshot.models.some((m) => m.id === snapshot.selectedModel)) {
    children.push(h('option', { value: snapshot.selectedModel, selected: true }, snapshot.selectedModel));
  }
  if (favourites.length) children.push(h('optgroup', { label: 'Favourites' }, ...favourites.map(option)));
  if (snapshot.models.length) children.push(h('optgroup', { label: 'All models' }, ...snapshot.models.filter((m) => !m.favourite).map(option)));
  return children;
}

/** A section's heading with its close button (Escape closes it too). */
export function panelHead(panel: ChatPanelSection, title: string): HTMLElement {
  return h('div', { class: 'panel-head' }, h('h2', { id: `${panel}-heading` }, title), iconButton('close', `Close ${title.toLowerCase()}`, { 'data-action': 'close-panel', 'data-panel': panel }));
}

/** An error's message, advice and action button, for the line above the composer. */
export function noticeContent(error: ErrorNotice): Array<HTMLElement | string> {
  const action = error.action ? h('button', { type: 'button', class: 'link-button', 'data-action': 'run-action', 'data-chat-action': error.action.action }, error.action.label) : null;
  return [h('strong', {}, error.message), ' ', error.advice, ...(action ? [' ', action] : [])];
}

/** Shows the empty state's guidance above `anchor` while the chat has no turns, and removes it once it has. */
export function renderEmptyState(messages: HTMLElement, anchor: HTMLElement, snapshot: ChatSnapshot | undefined): void {
  const existing = messages.querySelector('.empty-state');
  if (!snapshot || snapshot.conversation.turns.length > 0) {
    existing?.remove();
    return;
  }
  const replacement = h('div', { class: 'empty-state' }, ...emptyStateContent(snapshot.hasKey));
  if (existing) existing.replaceWith(replacement);
  else anchor.before(replacement);
}

// The chat panel: toolbar (model, new chat, history, system prompt), the conversation, the composer.
// Talks to the extension only through the typed protocol; keeps only UI state in getState/setState.
import type { ChatAction, ChatRouting, ChatSnapshot, ChatSummary, ChatTurn, ErrorNotice, ExtensionMessage, ModelOption, WebviewUiState } from './protocol';
import { assertNever } from './assertNever';
import { h } from './dom';
import { FrameScheduler } from './frameScheduler';
import { createMarkdownRenderer } from './markdown';
import { RoutingPanel } from './routingPanel';
import { AssistantTurnView, createTurnView, type TurnView } from './turnView';
import type { VsCodeApi } from './vscodeApi';

const chatActions: readonly ChatAction[] = ['setApiKey', 'selectModel', 'openCredits', 'openSettings', 'openProxySettings', 'showLog'];

export class ChatApp {
  private readonly md = createMarkdownRenderer();
  private readonly scheduler = new FrameScheduler();
  private readonly turnViews = new Map<string, TurnView>();
  private snapshot: ChatSnapshot | undefined;
  private ui: WebviewUiState;
  private stickToBottom = true;

  private readonly modelSelect = h('select', { id: 'model-select', 'aria-label': 'Model' });
  private readonly historyButton = h('button', { type: 'button', class: 'icon-button', id: 'history-toggle', 'aria-label': 'Chat history', title: 'Chat history', 'aria-expanded': 'false', 'aria-controls': 'history-panel' }, 'History');
  private readonly systemButton = h('button', { type: 'button', class: 'icon-button', id: 'system-toggle', 'aria-label': 'System prompt', title: 'System prompt', 'aria-expanded': 'false', 'aria-controls': 'system-panel' }, 'System');
  private readonly routingButton = h('button', { type: 'button', class: 'icon-button', id: 'routing-toggle', 'aria-label': 'Routing for this chat', title: 'Routing for this chat (providers, fallbacks, reasoning)', 'aria-expanded': 'false', 'aria-controls': 'routing-panel' }, 'Routing');
  private readonly routingPanel = new RoutingPanel((routing: ChatRouting) => this.vscode.postMessage({ type: 'setRouting', routing }));
  private readonly historyPanel = h('section', { id: 'history-panel', class: 'panel', 'aria-label': 'Past chats', hidden: true });
  private readonly systemPrompt = h('textarea', { id: 'system-prompt', rows: '3', 'aria-label': 'System prompt', placeholder: 'Optional instructions sent before the conversation, e.g. "Answer briefly."' });
  private readonly systemPanel = h('section', { id: 'system-panel', class: 'panel', hidden: true }, this.systemPrompt);
  private readonly messages = h('main', { id: 'messages', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' });
  // Chromium's scroll anchoring keeps this in view while answers grow above it: no layout read per frame.
  private readonly scrollAnchor = h('div', { class: 'scroll-anchor', 'aria-hidden': 'true' });
  private readonly composerError = h('div', { id: 'composer-error', class: 'notice error', role: 'alert', hidden: true });
  private readonly input = h('textarea', { id: 'input', rows: '3', 'aria-label': 'Message', placeholder: 'Ask anything. Enter sends, Shift+Enter adds a line.' });
  private readonly sendButton = h('button', { type: 'button', id: 'send', class: 'primary', 'aria-label': 'Send message' }, 'Send');
  private readonly stopButton = h('button', { type: 'button', id: 'stop', class: 'secondary', 'aria-label': 'Stop the answer', hidden: true }, 'Stop');

  constructor(
    private readonly root: HTMLElement,
    private readonly vscode: VsCodeApi,
  ) {
    this.ui = { draft: '', historyOpen: false, systemPromptOpen: false, ...vscode.getState() };
    this.build();
    this.input.value = this.ui.draft;
  }

  start(): void {
    window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => this.onMessage(event.data));
    this.vscode.postMessage({ type: 'ready' });
  }

  private build(): void {
    const toolbar = h(
      'header',
      { class: 'toolbar' },
      this.modelSelect,
      h('button', { type: 'button', class: 'icon-button', 'data-action': 'run-action', 'data-chat-action': 'selectModel', 'aria-label': 'Browse all models', title: 'Browse all models' }, 'Models…'),
      h('button', { type: 'button', class: 'icon-button', id: 'new-chat', 'aria-label': 'New chat', title: 'New chat' }, 'New'),
      this.routingButton,
      this.historyButton,
      this.systemButton,
    );
    const composer = h('footer', { class: 'composer' }, this.composerError, this.input, h('div', { class: 'composer-actions' }, this.stopButton, this.sendButton));
    this.root.replaceChildren(toolbar, this.routingPanel.summary, this.routingPanel.element, this.historyPanel, this.systemPanel, this.messages, composer);

    this.modelSelect.addEventListener('change', () => {
      this.vscode.postMessage({ type: 'selectModel', modelId: this.modelSelect.value });
      this.routingPanel.setReasoningSupported(this.modelSupportsReasoning(this.modelSelect.value));
    });
    this.routingButton.addEventListener('click', () => this.togglePanel('routingOpen'));
    toolbar.querySelector('#new-chat')!.addEventListener('click', () => this.vscode.postMessage({ type: 'newChat' }));
    this.historyButton.addEventListener('click', () => this.togglePanel('historyOpen'));
    this.systemButton.addEventListener('click', () => this.togglePanel('systemPromptOpen'));
    this.systemPrompt.addEventListener('change', () => this.vscode.postMessage({ type: 'setSystemPrompt', text: this.systemPrompt.value }));
    this.sendButton.addEventListener('click', () => this.send());
    this.stopButton.addEventListener('click', () => this.vscode.postMessage({ type: 'stop' }));
    this.input.addEventListener('keydown', (event) => this.onInputKey(event));
    this.input.addEventListener('input', () => this.saveUi({ draft: this.input.value }));
    this.messages.addEventListener('scroll', () => {
      this.stickToBottom = this.messages.scrollHeight - this.messages.scrollTop - this.messages.clientHeight < 40;
    });
    // One delegated handler for everything rendered from messages: code buttons, links, retry, actions.
    this.root.addEventListener('click', (event) => this.onClick(event));
    this.applyPanels();
  }

  private onInputKey(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'Escape' && this.snapshot?.busy) {
      event.preventDefault();
      this.vscode.postMessage({ type: 'stop' });
    }
  }

  private send(): void {
    const text = this.input.value;
    if (!text.trim() || this.snapshot?.busy) return;
    this.composerError.hidden = true;
    this.vscode.postMessage({ type: 'send', text });
  }

  private onClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const link = target.closest('a');
    if (link && this.messages.contains(link)) {
      event.preventDefault();
      const href = link.getAttribute('href');
      if (href) this.vscode.postMessage({ type: 'openLink', href });
      return;
    }
    const button = target.closest('button');
    const action = button?.dataset.action;
    if (!button || !action) return;
    switch (action) {
      case 'copy-code':
      case 'insert-code': {
        const code = button.closest('.code-block')?.querySelector('pre code')?.textContent ?? '';
        this.vscode.postMessage({ type: action === 'copy-code' ? 'copyCode' : 'insertCode', code });
        if (action === 'copy-code') flashLabel(button, 'Copied');
        break;
      }
      case 'retry':
        if (button.dataset.turnId) this.vscode.postMessage({ type: 'retry', turnId: button.dataset.turnId });
        break;
      case 'run-action': {
        const chatAction = chatActions.find((a) => a === button.dataset.chatAction);
        if (chatAction) this.vscode.postMessage({ type: 'runAction', action: chatAction });
        break;
      }
      case 'open-chat':
        if (button.dataset.chatId) this.vscode.postMessage({ type: 'openChat', chatId: button.dataset.chatId });
        break;
      case 'delete-chat':
        if (button.dataset.chatId) this.vscode.postMessage({ type: 'deleteChat', chatId: button.dataset.chatId });
        break;
    }
  }

  private onMessage(message: ExtensionMessage): void {
    switch (message.type) {
      case 'snapshot':
        this.applySnapshot(message.snapshot);
        break;
      case 'models':
        if (!this.snapshot) return;
        this.snapshot.models = message.models;
        this.snapshot.selectedModel = message.selectedModel;
        this.renderModels();
        break;
      case 'history':
        if (!this.snapshot) return;
        this.snapshot.history = message.history;
        this.renderHistory();
        break;
      case 'keyState':
        if (!this.snapshot) return;
        this.snapshot.hasKey = message.hasKey;
        this.renderEmptyState();
        break;
      case 'turnAdded':
        this.addTurn(message.turn);
        break;
      case 'turnRemoved':
        this.removeTurn(message.turnId);
        break;
      case 'answerDelta': {
        const view = this.answerView(message.turnId);
        if (message.reasoning) view?.appendReasoning(message.reasoning);
        if (message.content) view?.appendContent(message.content);
        break;
      }
      case 'answerProcessing':
        this.answerView(message.turnId)?.showKeepAlive();
        break;
      case 'answerRetry':
        this.answerView(message.turnId)?.showRetry(message.attempt, message.reason, message.waitMs);
        this.afterRender();
        break;
      case 'answerEnd': {
        this.scheduler.flush();
        const view = this.answerView(message.turnId);
        view?.end(message.status, message.error, message.stats);
        this.setBusy(false);
        if (message.status === 'error' && view && this.answerContent(view) === '') this.restoreDraft();
        this.afterRender();
        break;
      }
      case 'answerStats':
        this.answerView(message.turnId)?.setStats(message.stats);
        this.afterRender();
        break;
      case 'sendRejected':
        this.showComposerError(message.error);
        break;
      case 'routing':
        if (!this.snapshot) return;
        if (Object.keys(message.routing).length) this.snapshot.conversation.routing = message.routing;
        else delete this.snapshot.conversation.routing;
        if (message.defaults) this.snapshot.routingDefaults = message.defaults;
        this.routingPanel.update(message.routing, this.snapshot.routingDefaults, message.problems, message.answer === true);
        break;
      case 'draft':
        this.input.value = message.text;
        this.saveUi({ draft: message.text });
        this.input.focus();
        this.input.setSelectionRange(message.text.length, message.text.length);
        break;
      default:
        assertNever(message);
    }
  }

  private applySnapshot(snapshot: ChatSnapshot): void {
    this.snapshot = snapshot;
    this.systemPrompt.value = snapshot.conversation.systemPrompt;
    this.routingPanel.reset(snapshot.conversation.routing ?? {}, snapshot.routingDefaults);
    this.turnViews.clear();
    this.messages.replaceChildren(this.scrollAnchor);
    for (const turn of snapshot.conversation.turns) this.addTurn(turn, false);
    this.renderModels();
    this.renderHistory();
    this.renderEmptyState();
    this.setBusy(snapshot.busy);
    this.stickToBottom = true;
    this.afterRender();
    document.body.dataset.ready = 'true';
  }

  private addTurn(turn: ChatTurn, live = true): void {
    if (!this.snapshot) return;
    if (live) {
      this.snapshot.conversation.turns.push(turn);
      if (turn.role === 'user' && this.input.value === turn.content) {
        this.input.value = '';
        this.saveUi({ draft: '' });
      }
      if (turn.role === 'assistant') this.setBusy(turn.status === 'streaming');
      this.stickToBottom = true;
    }
    const view = createTurnView(turn, this.md, this.scheduler);
    this.turnViews.set(turn.id, view);
    this.scrollAnchor.before(view.element);
    this.renderEmptyState();
    if (live) this.afterRender();
  }

  private removeTurn(turnId: string): void {
    this.turnViews.get(turnId)?.element.remove();
    this.turnViews.delete(turnId);
    if (this.snapshot) this.snapshot.conversation.turns = this.snapshot.conversation.turns.filter((t) => t.id !== turnId);
  }

  private answerView(turnId: string): AssistantTurnView | undefined {
    const view = this.turnViews.get(turnId);
    return view instanceof AssistantTurnView ? view : undefined;
  }

  private answerContent(view: AssistantTurnView): string {
    return view.element.querySelector('.answer')?.textContent ?? '';
  }

  /** A request that failed before any answer gives the user's text back to edit and resend. */
  private restoreDraft(): void {
    const turns = this.snapshot?.conversation.turns ?? [];
    const lastUser = [...turns].reverse().find((t) => t.role === 'user');
    if (lastUser && this.input.value === '') {
      this.input.value = lastUser.content;
      this.saveUi({ draft: lastUser.content });
    }
  }

  private setBusy(busy: boolean): void {
    if (this.snapshot) this.snapshot.busy = busy;
    this.stopButton.hidden = !busy;
    this.sendButton.hidden = busy;
    document.body.dataset.busy = String(busy);
  }

  private showComposerError(error: ErrorNotice): void {
    const action = error.action
      ? h('button', { type: 'button', class: 'link-button', 'data-action': 'run-action', 'data-chat-action': error.action.action }, error.action.label)
      : null;
    this.composerError.replaceChildren(h('strong', {}, error.message), ' ', error.advice, ...(action ? [' ', action] : []));
    this.composerError.hidden = false;
  }

  private renderModels(): void {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    const option = (model: ModelOption) => {
      const label = [model.name, model.free ? '(free)' : model.priceLabel].filter(Boolean).join('  ');
      return h('option', { value: model.id, title: model.id, selected: model.id === snapshot.selectedModel }, label);
    };
    const favourites = snapshot.models.filter((m) => m.favourite);
    const children: Node[] = [];
    if (snapshot.models.length === 0) children.push(h('option', { value: '', disabled: true, selected: true }, snapshot.hasKey ? 'Loading models…' : 'No models yet'));
    if (snapshot.selectedModel && !snapshot.models.some((m) => m.id === snapshot.selectedModel)) {
      children.push(h('option', { value: snapshot.selectedModel, selected: true }, snapshot.selectedModel));
    }
    if (favourites.length) children.push(h('optgroup', { label: 'Favourites' }, ...favourites.map(option)));
    if (snapshot.models.length) children.push(h('optgroup', { label: 'All models' }, ...snapshot.models.filter((m) => !m.favourite).map(option)));
    this.modelSelect.replaceChildren(...children);
    this.routingPanel.setReasoningSupported(this.modelSupportsReasoning(snapshot.selectedModel));
  }

  private modelSupportsReasoning(modelId: string | undefined): boolean {
    return this.snapshot?.models.find((m) => m.id === modelId)?.reasoning === true;
  }

  private renderHistory(): void {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    const item = (chat: ChatSummary) =>
      h(
        'li',
        { class: chat.id === snapshot.conversation.id ? 'current' : undefined },
        h('button', { type: 'button', class: 'history-open', 'data-action': 'open-chat', 'data-chat-id': chat.id, 'aria-current': chat.id === snapshot.conversation.id ? 'true' : undefined }, chat.title, h('span', { class: 'history-date' }, new Date(chat.updatedAt).toLocaleString())),
        h('button', { type: 'button', class: 'icon-button history-delete', 'data-action': 'delete-chat', 'data-chat-id': chat.id, 'aria-label': `Delete chat "${chat.title}"`, title: 'Delete chat' }, 'Delete'),
      );
    this.historyPanel.replaceChildren(
      snapshot.history.length ? h('ul', { class: 'history-list' }, ...snapshot.history.map(item)) : h('p', { class: 'muted' }, 'No saved chats yet. Chats are saved as you go.'),
    );
  }

  private renderEmptyState(): void {
    const snapshot = this.snapshot;
    const existing = this.messages.querySelector('.empty-state');
    if (!snapshot || snapshot.conversation.turns.length > 0) {
      existing?.remove();
      return;
    }
    const content = snapshot.hasKey
      ? [
          h('h2', {}, 'Ask about your code'),
          h('p', {}, 'Choose a model above, type below and press Enter to send (Shift+Enter adds a line).'),
          h('p', {}, 'Select code in an editor and run “OpenRouter: Ask About Selection” to quote it here. Each answer shows its cost and speed.'),
        ]
      : [
          h('h2', {}, 'Add your OpenRouter API key'),
          h('p', {}, 'The chat needs a key from openrouter.ai/keys. It is kept in VS Code’s secret storage.'),
          h('button', { type: 'button', class: 'primary', 'data-action': 'run-action', 'data-chat-action': 'setApiKey' }, 'Set API Key'),
        ];
    const replacement = h('div', { class: 'empty-state' }, ...content);
    if (existing) existing.replaceWith(replacement);
    else this.scrollAnchor.before(replacement);
  }

  private togglePanel(key: 'historyOpen' | 'systemPromptOpen' | 'routingOpen'): void {
    this.saveUi({ [key]: !this.ui[key] });
    this.applyPanels();
  }

  private applyPanels(): void {
    this.historyPanel.hidden = !this.ui.historyOpen;
    this.systemPanel.hidden = !this.ui.systemPromptOpen;
    this.routingPanel.element.hidden = !this.ui.routingOpen;
    this.routingButton.setAttribute('aria-expanded', String(this.ui.routingOpen === true));
    this.historyButton.setAttribute('aria-expanded', String(this.ui.historyOpen));
    this.systemButton.setAttribute('aria-expanded', String(this.ui.systemPromptOpen));
  }

  private saveUi(change: Partial<WebviewUiState>): void {
    this.ui = { ...this.ui, ...change };
    this.vscode.setState(this.ui);
  }

  private afterRender(): void {
    if (this.stickToBottom) this.messages.scrollTop = this.messages.scrollHeight;
  }
}

function flashLabel(button: HTMLElement, label: string): void {
  const original = button.textContent;
  button.textContent = label;
  setTimeout(() => (button.textContent = original), 1200);
}

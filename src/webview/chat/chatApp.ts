// The chat panel: the model chooser, the sections the title bar opens (history, routing, system prompt), the
// conversation, and the composer. Talks to the extension only through the typed protocol; UI state in getState.
import type { ChatPanelSection, ChatRouting, ChatSnapshot, ChatTurn, ErrorNotice, ExtensionMessage, WebviewUiState } from '../../protocols/chat';
import { assertNever } from '../../util/assertNever';
import { h } from '../shared/dom';
import { iconButton } from './icons';
import { handleChatClick } from './chatClicks';
import { historyList, modelChooserOptions, modelTooltip, noticeContent, panelHead, renderEmptyState } from './chatPlaceholders';
import { AgentControls } from './agentControls';
import { FrameScheduler } from '../shared/frameScheduler';
import { guardLinks } from '../shared/linkGuard';
import { LazyMarkdown } from '../shared/lazyMarkdown';
import { RoutingPanel } from './routingPanel';
import { ComposerContext } from './composerContext';
import { AssistantTurnView, UserTurnView, type TurnContext, type TurnView } from './turnView';
import { TurnList } from './turnList';
import { ChatSections } from './chatSections';
import type { VsCodeApi } from './vscodeApi';

export class ChatApp {
  private readonly md = new LazyMarkdown(undefined, () => this.messages);
  private readonly scheduler = new FrameScheduler();
  /** The key whose keydown the composer acted on: its keyup is not passed on either. */
  private consumedKey: string | undefined;
  private snapshot: ChatSnapshot | undefined;
  private ui: WebviewUiState;
  private stickToBottom = true;

  private readonly modelSelect = h('select', { id: 'model-select', 'aria-label': 'Model' });
  private readonly routingPanel = new RoutingPanel((routing: ChatRouting) => this.vscode.postMessage({ type: 'setRouting', routing }), () => this.vscode.postMessage({ type: 'listProviders' }));
  private readonly historyPanel = h('section', { id: 'history-panel', class: 'panel', 'aria-labelledby': 'history-heading', hidden: true });
  private readonly historyList = h('div', { class: 'history-body' });
  private readonly systemPrompt = h('textarea', { id: 'system-prompt', rows: '3', 'aria-label': 'System prompt', placeholder: 'Optional instructions sent before the conversation, e.g. "Answer briefly."' });
  private readonly systemPanel = h('section', { id: 'system-panel', class: 'panel', 'aria-labelledby': 'system-heading', hidden: true });
  private readonly messages = h('main', { id: 'messages', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' });
  // Chromium's scroll anchoring keeps this in view while answers grow above it: no layout read per frame.
  private readonly scrollAnchor = h('div', { class: 'scroll-anchor', 'aria-hidden': 'true' });
  private readonly composerError = h('div', { id: 'composer-error', class: 'notice error', role: 'alert', hidden: true });
  /** The message box; grows with its text (CSS `field-sizing`), up to a cap, then scrolls. */
  readonly input = h('textarea', { id: 'input', rows: '2', 'aria-label': 'Message', placeholder: 'Ask anything. Enter sends, Shift+Enter adds a line.' });
  /**
   * Places in the composer for what is sent along with the message: `chips` above the input (attachments),
   * `tools` left of Send (buttons that add to the message), `estimate` between them (a polite live region).
   * Empty and out of the way until something is put in them.
   */
  readonly composerSlots = {
    chips: h('div', { id: 'composer-chips', class: 'composer-chips', hidden: true }),
    tools: h('div', { id: 'composer-tools', class: 'composer-tools' }),
    estimate: h('div', { id: 'composer-estimate', class: 'composer-estimate', 'aria-live': 'polite' }),
  };
  private readonly sendButton = iconButton('send', 'Send message (Enter)', { id: 'send', class: 'primary' });
  private readonly stopButton = iconButton('debug-stop', 'Stop the answer (Escape)', { id: 'stop', hidden: true });
  private readonly turnContext: TurnContext;
  private readonly turns: TurnList;
  private readonly sections: ChatSections;

  constructor(
    private readonly root: HTMLElement,
    private readonly vscode: VsCodeApi,
  ) {
    this.ui = { draft: '', historyOpen: false, systemPromptOpen: false, ...vscode.getState() };
    this.turnContext = {
      md: this.md,
      scheduler: this.scheduler,
      modelName: (id) => this.snapshot?.models.find((m) => m.id === id)?.name ?? id,
      editAndResend: (turnId, text) => this.vscode.postMessage({ type: 'editAndResend', turnId, text }),
      confirmTool: (turnId, callId, accept) => this.vscode.postMessage({ type: 'confirmTool', turnId, callId, accept }),
    };
    this.turns = new TurnList(this.messages, this.scrollAnchor, this.turnContext, this.md.work, (views) => this.builtLater(views));
    this.sections = this.build();
    this.input.value = this.ui.draft;
  }

  start(): void {
    window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => this.onMessage(event.data));
    this.vscode.postMessage({ type: 'ready' });
  }

  /** Lays the panel out and wires its events; returns the title bar's sections. */
  private build(): ChatSections {
    const header = h('header', { class: 'chat-header' }, this.modelSelect);
    this.historyPanel.append(panelHead('history', 'Chat history'), this.historyList);
    this.systemPanel.append(panelHead('system', 'System prompt'), this.systemPrompt);
    this.routingPanel.element.prepend(panelHead('routing', 'Routing for this chat'));
    const bar = h('div', { class: 'composer-bar' }, this.composerSlots.tools, this.composerSlots.estimate, this.stopButton, this.sendButton);
    const composer = h('footer', { class: 'composer' }, this.composerError, this.composerSlots.chips, h('div', { class: 'composer-box' }, this.input, bar));
    new ComposerContext(this.composerSlots, this.input, this.vscode);
    new AgentControls(this.composerSlots, this.vscode);
    this.root.replaceChildren(header, this.routingPanel.summary, this.historyPanel, this.systemPanel, this.routingPanel.element, this.messages, composer);

    this.modelSelect.addEventListener('change', () => {
      this.vscode.postMessage({ type: 'selectModel', modelId: this.modelSelect.value });
      this.routingPanel.setEfforts(this.snapshot?.models.find((m) => m.id === this.modelSelect.value)?.efforts);
      this.describeSelectedModel();
    });
    this.systemPrompt.addEventListener('change', () => this.vscode.postMessage({ type: 'setSystemPrompt', text: this.systemPrompt.value }));
    this.sendButton.addEventListener('click', () => this.send());
    this.stopButton.addEventListener('click', () => this.vscode.postMessage({ type: 'stop' }));
    this.input.addEventListener('keydown', (event) => this.onInputKey(event));
    this.input.addEventListener('keydown', () => this.md.prefetch(), { once: true });
    this.input.addEventListener('keyup', (event) => {
      if (event.code !== this.consumedKey) return;
      this.consumedKey = undefined;
      event.stopPropagation();
    });
    this.input.addEventListener('input', () => this.saveUi({ draft: this.input.value }));
    this.messages.addEventListener('scroll', () => {
      this.stickToBottom = this.messages.scrollHeight - this.messages.scrollTop - this.messages.clientHeight < 40;
    });
    // Links go to the extension, which asks before opening them; the page follows none itself.
    guardLinks(window, (href) => this.vscode.postMessage({ type: 'openLink', href }));
    // One delegated handler for everything rendered from messages: code buttons, retry, actions.
    this.root.addEventListener('click', (event) => this.onClick(event));
    const sections = new Map<ChatPanelSection, HTMLElement>([['history', this.historyPanel], ['system', this.systemPanel], ['routing', this.routingPanel.element]]);
    return new ChatSections(sections, { get: () => this.ui, save: (change) => this.saveUi(change) }, () => this.input.focus());
  }

  /**
   * Enter sends and Escape stops. A key the composer acted on is not also passed on: VS Code's webview forwards
   * every key to the workbench's keybindings, and handling it there would come before this panel's message
   * reaches the extension (a few ms on the way to the first token).
   */
  private onInputKey(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      this.consume(event);
      this.send();
    } else if (event.key === 'Escape' && this.snapshot?.busy) {
      this.consume(event);
      this.vscode.postMessage({ type: 'stop' });
    }
  }

  private consume(event: KeyboardEvent): void {
    event.preventDefault();
    event.stopPropagation();
    this.consumedKey = event.code;
  }

  private send(): void {
    const text = this.input.value;
    if (!text.trim() || this.snapshot?.busy) return;
    this.composerError.hidden = true;
    this.vscode.postMessage({ type: 'send', text });
  }

  private onClick(event: MouseEvent): void {
    handleChatClick(event, {
      post: (message) => this.vscode.postMessage(message),
      busy: () => this.snapshot?.busy === true,
      editQuestion: (turnId) => {
        const view = this.turns.get(turnId);
        if (view instanceof UserTurnView) view.startEdit();
      },
      closePanel: (name) => this.sections.close(name),
    });
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
      case 'answerContext':
        this.answerView(message.turnId)?.setContext(message.context);
        break;
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
        if (message.status === 'error' && view && !view.element.querySelector('.answer')?.textContent) this.restoreDraft();
        this.afterRender();
        break;
      }
      case 'answerStats':
        this.answerView(message.turnId)?.setStats(message.stats);
        this.afterRender();
        break;
      case 'answerCitations':
        this.answerView(message.turnId)?.setCitations(message.citations);
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
      case 'togglePanel':
        this.sections.toggle(message.panel);
        break;
      case 'draft':
        this.input.value = message.text;
        this.saveUi({ draft: message.text });
        this.input.focus();
        this.input.setSelectionRange(message.text.length, message.text.length);
        break;
      case 'toolCall':
        this.answerView(message.turnId)?.toolCall(message.call);
        this.afterRender();
        break;
      case 'agentProgress':
        this.answerView(message.turnId)?.agentProgress(message.agent);
        break;
      case 'attachments':
      case 'estimate':
      case 'agentState':
      case 'answerChanges':
      case 'providers':
        // The composer's context (composerContext.ts), the Agent controls (agentControls.ts), answerChangesView.ts and the routing panel's provider rows listen for these themselves.
        break;
      default:
        assertNever(message);
    }
  }

  private applySnapshot(snapshot: ChatSnapshot): void {
    this.snapshot = snapshot;
    this.systemPrompt.value = snapshot.conversation.systemPrompt;
    this.routingPanel.reset(snapshot.conversation.routing ?? {}, snapshot.routingDefaults);
    this.turns.show(snapshot.conversation.turns, innerHeight * 2);
    this.renderModels();
    this.renderHistory();
    this.renderEmptyState();
    this.setBusy(snapshot.busy);
    this.stickToBottom = true;
    this.afterRender();
    document.body.dataset.ready = 'true';
    // Which chat is on screen: a new snapshot of another chat (New Chat, a chat from the history) is told apart.
    document.body.dataset.chatId = snapshot.conversation.id;
  }

  private addTurn(turn: ChatTurn): void {
    if (!this.snapshot) return;
    this.snapshot.conversation.turns.push(turn);
    if (turn.role === 'user' && this.input.value === turn.content) {
      this.input.value = '';
      this.saveUi({ draft: '' });
    }
    if (turn.role === 'assistant') this.setBusy(turn.status === 'streaming');
    this.stickToBottom = true;
    this.turns.add(turn);
    this.renderEmptyState();
    this.afterRender();
  }

  /** Earlier turns of a reopened chat, built after it was shown: the end stays in view; while an answer streams, they cannot regenerate. */
  private builtLater(views: TurnView[]): void {
    this.afterRender();
    if (!this.snapshot?.busy) return;
    for (const view of views) disableRegenerate(view.element, true);
  }

  private removeTurn(turnId: string): void {
    this.turns.remove(turnId);
    if (this.snapshot) this.snapshot.conversation.turns = this.snapshot.conversation.turns.filter((t) => t.id !== turnId);
  }

  private answerView(turnId: string): AssistantTurnView | undefined {
    const view = this.turns.get(turnId);
    return view instanceof AssistantTurnView ? view : undefined;
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
    // While an answer streams, no other answer can be regenerated: the buttons say so by being off.
    disableRegenerate(this.messages, busy);
  }

  private showComposerError(error: ErrorNotice): void {
    this.composerError.replaceChildren(...noticeContent(error));
    this.composerError.hidden = false;
  }

  private renderModels(): void {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    this.modelSelect.replaceChildren(...modelChooserOptions(snapshot));
    this.routingPanel.setEfforts(snapshot.models.find((m) => m.id === snapshot.selectedModel)?.efforts);
    this.describeSelectedModel();
    // Answers name their model by its display name, known once the list has come.
    for (const view of this.turns.values()) if (view instanceof AssistantTurnView) view.setModelName(this.turnContext.modelName(view.turn.model));
  }

  private describeSelectedModel(): void {
    this.modelSelect.title = modelTooltip(this.snapshot, this.modelSelect.value);
  }

  private renderHistory(): void {
    if (this.snapshot) this.historyList.replaceChildren(historyList(this.snapshot));
  }

  private renderEmptyState(): void {
    renderEmptyState(this.messages, this.scrollAnchor, this.snapshot);
  }

  private saveUi(change: Partial<WebviewUiState>): void {
    this.ui = { ...this.ui, ...change };
    this.vscode.setState(this.ui);
  }

  private afterRender(): void {
    if (this.stickToBottom) this.messages.scrollTop = this.messages.scrollHeight;
  }
}

function disableRegenerate(root: ParentNode, disabled: boolean): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>('button[data-action^="regenerate"]')) button.disabled = disabled;
}

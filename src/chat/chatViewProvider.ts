// The sidebar chat's VS Code side: owns the webview view, routes its typed messages to the session,
// and does what only the extension may (clipboard, editor edits, opening links, running commands).
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKey/apiKeyStore';
import type { AccountBalance } from '../balance/accountBalance';
import { Disposable, toDisposable } from '../util/dispose';
import type { Log } from '../log/logger';
import type { ModelCatalog } from '../models/modelCatalog';
import type { ChatRequest } from '../openrouter/types';
import type { ChatRouting } from './conversation';
import type { ChatPanelSection, ExtensionMessage, WebviewMessage } from '../protocols/chat';
import type { ProviderHost } from '../host/providerHost';
import type { Settings } from '../config/settings';
import type { RoutingOverrides } from '../routing';
import { assertNever } from '../util/assertNever';
import { ChatHistory } from './chatHistory';
import { offerToDeleteHistory, unreadableChatNotice } from './historyNotices';
import { chatHtml } from './chatHtml';
import type { PanelAssets } from '../util/panelAssets';
import { ChatSession } from './chatSession';
import { ChatContextController } from './attachments/contextController';
import { modelReadsFiles } from './attachments/pdfAttachment';
import { providerChoices } from './providerChoices';
import type { ContentGate } from '../exclusion/contentGate';
import { modelOptions } from './modelOptions';
import { errorText } from '../util/errorText';
import { openLinkAfterAsking } from '../util/externalLink';
import type { BudgetGuard, UsageRecorder } from '../usage';
import type { Edits } from '../edits';
import { outputPrice } from '../models/outputLimit';
import type { AgentTool } from '../agent/agentTool';
import type { AgentChatDeps } from './chatSessionDeps';
import { AnswerChangesBridge } from './answerChanges';
import { insertCodeAtCursor, runChatAction } from './chatActions';

import { chatViewType } from './chatViewType';
import { chatMessageShapes } from './chatMessageShapes';
import { WebviewChannel } from '../util/webviewChannel';
import type { FileStore } from '../storage/fileStore';

export { chatViewType };

export interface ChatViewDeps {
  /** The panels' scripts and sheets (media/). */
  pages: PanelAssets;
  globalStorageUri: vscode.Uri;
  /** Where the chat history's files live (src/storage). */
  storage: FileStore;
  providerHost: ProviderHost;
  keys: ApiKeyStore;
  catalog: ModelCatalog;
  /** What the key can still spend: refreshed after each answer, named in a 402's advice. */
  balance: AccountBalance;
  log: Log;
  /** `openrouter.chat.keepHistory` and its changes. */
  settings: Settings;
  /** What is never sent to a model (src/exclusion): attachments ask it. */
  gate: ContentGate;
  /** Routing fields for a request (issue 6's controls) with the chat's overrides; none when absent. */
  routing?: (model: string, sessionId: string, overrides?: RoutingOverrides) => Partial<ChatRequest>;
  /** The routing settings in force and their changes, shown in the panel's Routing section. */
  routingSettings?: { readonly settings: Readonly<Required<ChatRouting>>; onDidChange: vscode.Event<unknown> };
  /** Apply code blocks to files, as reviewed changes. */
  edits?: Pick<Edits, 'applyFromAnswer' | 'checkpoints'>;
  /** The budget guard every send asks first, and the usage record each answer's cost goes to. */
  usage?: { guard: Pick<BudgetGuard, 'confirmSend'>; recorder: Pick<UsageRecorder, 'record'> };
  /** Agent mode's tools (the extension's own, other extensions', MCP servers'), and when that list changes. */
  agentTools?: { list(): readonly AgentTool[]; onDidChange?: vscode.Event<unknown> };
}

export class ChatViewProvider extends Disposable implements vscode.WebviewViewProvider {
  readonly session: ChatSession;
  /** The composer's attachments, estimate and pre-send checks. */
  readonly context: ChatContextController;
  private view: vscode.WebviewView | undefined;
  private channel: WebviewChannel<WebviewMessage, ExtensionMessage> | undefined;
  private ready = false;
  /** Messages posted (delivered or not), and whether none was since the page's own snapshot: then `ready` needs none. */
  private posted = 0;
  private pageCurrent = false;
  private pendingDraft: string | undefined;
  private pendingPanel: ChatPanelSection | undefined;
  private readonly mediaUri: vscode.Uri;
  private readonly changes: AnswerChangesBridge | undefined;

  constructor(private readonly deps: ChatViewDeps) {
    super();
    this.mediaUri = deps.pages.media;
    // One file per conversation under the storage folder every window of this profile shares.
    const history = new ChatHistory(deps.storage, vscode.Uri.joinPath(deps.globalStorageUri, 'chats').fsPath, {
      legacyFile: vscode.Uri.joinPath(deps.globalStorageUri, 'chat-history.json').fsPath,
      onError: (message) => deps.log.warn(message),
      keep: () => deps.settings.values['chat.keepHistory'],
      onUnreadable: unreadableChatNotice(deps.log),
    });
    this._register(offerToDeleteHistory(deps.settings, history, deps.log, () => this.post({ type: 'history', history: history.list() })));
    this.session = new ChatSession({
      provider: () => deps.providerHost.provider,
      hasKey: () => deps.keys.has(),
      selectedModel: () => deps.catalog.selectedModelId || undefined,
      models: () => modelOptions(deps.catalog.models ?? [], deps.catalog.favourites),
      ...(deps.routing ? { routing: deps.routing } : {}),
      ...(deps.routingSettings ? { routingDefaults: () => structuredClone({ ...deps.routingSettings!.settings }) } : {}),
      history,
      post: (message) => this.post(message),
      onAnswerFinished: () => void deps.balance.refresh(),
      noticeContext: (model) => ({ spendableUsd: deps.balance.spendableUsd, outputUsdPerToken: outputPrice(deps.catalog.find(model)) }),
      ...(deps.usage ? { confirmSend: () => deps.usage!.guard.confirmSend('chat'), onGeneration: (record) => void deps.usage!.recorder.record(record) } : {}),
      log: deps.log,
      modelReadsImages: (id) => this.context.readsImages(id),
      modelReadsFiles: (id) => modelReadsFiles(deps.catalog.find(id)),
      catalogModel: (id) => deps.catalog.find(id),
      contextOverflow: () => deps.settings.values['chat.contextOverflow'],
      composerAttachments: () => this.context.chips,
      agent: agentDeps(deps),
    });
    this.context = this._register(new ChatContextController({ session: this.session, catalog: deps.catalog, post: (message) => this.post(message), reveal: () => this.reveal(), log: deps.log, gate: deps.gate, overflow: () => deps.settings.values['chat.contextOverflow'] }));
    this._register(toDisposable(() => this.session.dispose()));
    this._register(deps.catalog.onDidChange((change) => (change === 'recent' ? undefined : this.postModels())));
    this._register(deps.keys.onDidChange(() => void deps.keys.has().then((hasKey) => this.post({ type: 'keyState', hasKey }))));
    if (deps.routingSettings) this._register(deps.routingSettings.onDidChange(() => this.session.routingSettingsChanged()));
    // The tools offered, the workspace's trust and the agent's limits show in the Agent options as they change.
    const agentChanged = (): void => this.session.agentChanged([], true);
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(agentChanged));
    this._register(deps.settings.onDidChange((change) => (change.affects('agent.maxSteps', 'agent.maxTaskCostUsd') ? agentChanged() : undefined)));
    if (deps.agentTools?.onDidChange) this._register(deps.agentTools.onDidChange(agentChanged));
    if (deps.edits) this.changes = this._register(new AnswerChangesBridge(deps.edits.checkpoints, () => this.session.current.id, (message) => this.post(message), deps.log));
  }

  async resolveWebviewView(view: vscode.WebviewView): Promise<void> {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [this.mediaUri] };
    const subscriptions = [
      this.listen(view),
      // A hidden view loses its page: its HTML gets the state as of now, and a fresh snapshot on `ready` if anything
      // was posted meanwhile (a mid-answer show streams on).
      view.onDidChangeVisibility(() => (view.visible ? undefined : void this.setPage(view))),
      view.onDidDispose(() => {
        subscriptions.forEach((s) => s.dispose());
        if (this.view !== view) return;
        this.view = undefined;
        this.ready = false;
        // The view owns the request: closing it ends the stream (the partial answer is kept).
        this.session.stop();
      }),
    ];
    await this.setPage(view);
  }

  /** The view's page, with the chat's snapshot as its first message: the page draws it without asking. */
  private async setPage(view: vscode.WebviewView): Promise<void> {
    this.ready = false;
    const posted = this.posted;
    const [snapshot, parts] = await Promise.all([
      this.session.snapshot().catch((error: unknown) => void this.deps.log.warn(`Chat could not prepare its state: ${errorText(error)}`)),
      this.deps.pages.parts('chat', view.webview),
    ]);
    if (this.view !== view) return;
    this.ready = false;
    const firstMessage: ExtensionMessage | undefined = snapshot ? { type: 'snapshot', snapshot } : undefined;
    view.webview.html = chatHtml({ ...parts, ...(firstMessage ? { firstMessage } : {}) });
    this.pageCurrent = snapshot !== undefined && this.posted === posted;
  }

  /** The view's channel: what it sends is checked against the chat's protocol before it is handled. */
  private listen(view: vscode.WebviewView): vscode.Disposable {
    const channel = new WebviewChannel<WebviewMessage, ExtensionMessage>(view.webview, chatMessageShapes, this.deps.log, 'chat');
    this.channel = channel;
    return channel.onMessage((message) => (this.view === view ? this.onMessage(message) : undefined));
  }

  /** Reveals the panel (resolving it if needed) and puts `text` into its input. */
  async showWithDraft(text: string): Promise<void> {
    this.pendingDraft = text;
    await vscode.commands.executeCommand(`${chatViewType}.focus`);
    if (this.ready) this.deliverDraft();
  }

  /** Reveals the panel and opens (or closes, when open) one of its sections: a title-bar command. */
  async togglePanel(panel: ChatPanelSection): Promise<void> {
    this.pendingPanel = panel;
    await vscode.commands.executeCommand(`${chatViewType}.focus`);
    if (this.ready) this.deliverPanel();
  }

  /** Shows a new chat seeded with a prompt and one model's answer, that model selected to go on with it. */
  async continueWith(seed: { prompt: string; answer: string; model: string }): Promise<void> {
    await this.deps.catalog.select(seed.model);
    await this.session.seedConversation(seed);
    await this.reveal();
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${chatViewType}.focus`);
  }

  private post(message: ExtensionMessage): void {
    this.posted++;
    this.pageCurrent = false;
    // Nothing is sent before the webview says `ready`; the page's own snapshot, or the one it then gets, carries everything.
    if (!this.view || !this.ready) return;
    void this.channel?.post(message);
    // Each chat shown (after `ready`, a switch, a new chat) learns which of its answers changed files.
    if (message.type === 'snapshot') void this.changes?.send(message.snapshot.conversation.id);
  }

  private postModels(): void {
    this.post({ type: 'models', models: modelOptions(this.deps.catalog.models ?? [], this.deps.catalog.favourites), selectedModel: this.deps.catalog.selectedModelId });
  }

  private deliverDraft(): void {
    if (this.pendingDraft === undefined) return;
    this.post({ type: 'draft', text: this.pendingDraft });
    this.pendingDraft = undefined;
  }

  private deliverPanel(): void {
    if (this.pendingPanel === undefined) return;
    this.post({ type: 'togglePanel', panel: this.pendingPanel });
    this.pendingPanel = undefined;
  }

  /** "Regenerate with…": the models in a filterable list, favourites first; undefined when dismissed. */
  private async pickModel(current: string | undefined): Promise<string | undefined> {
    const options = modelOptions(this.deps.catalog.models ?? [], this.deps.catalog.favourites);
    type Item = vscode.QuickPickItem & { modelId?: string };
    const item = (option: (typeof options)[number]): Item => ({
      label: option.name,
      description: option.free ? 'free' : option.priceDetail,
      detail: option.id,
      modelId: option.id,
      ...(option.id === current ? { picked: true } : {}),
    });
    const favourites = options.filter((o) => o.favourite);
    const items: Item[] = [
      ...(favourites.length ? [{ label: 'Favourites', kind: vscode.QuickPickItemKind.Separator }, ...favourites.map(item)] : []),
      { label: 'All models', kind: vscode.QuickPickItemKind.Separator },
      ...options.filter((o) => !o.favourite).map(item),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Regenerate with…', placeHolder: 'Type to filter models; Enter answers again with the model', matchOnDetail: true, matchOnDescription: true });
    return picked?.modelId;
  }

  private async regenerate(turnId: string, pickModel: boolean): Promise<void> {
    const turn = this.session.current.turns.find((t) => t.id === turnId);
    if (!turn || turn.role !== 'assistant') return;
    if (!pickModel) return this.session.regenerate(turnId);
    const model = await this.pickModel(turn.model);
    if (model) await this.session.regenerate(turnId, model);
  }

  private async onMessage(message: WebviewMessage): Promise<void> {
    try {
      await this.handle(message);
    } catch (error) {
      this.deps.log.error(`Chat panel message ${message.type} failed: ${errorText(error)}`);
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        if (this.pageCurrent) void this.changes?.send(this.session.current.id);
        else await this.session.postSnapshot();
        this.deliverDraft();
        this.deliverPanel();
        if (!this.deps.catalog.models) {
          await this.deps.catalog.getModels().catch((error: unknown) => this.deps.log.warn(`Chat could not load the model list: ${errorText(error)}`));
          this.postModels();
        }
        return;
      }
      case 'send':
        return this.context.send(message.text);
      case 'attach':
        return this.context.attach(message.trigger === 'at' ? 'at' : 'button');
      case 'removeAttachment':
        return this.context.remove(String(message.id));
      case 'addImage':
        return this.context.addImage(String(message.name), String(message.dataUrl));
      case 'addPdf':
        return this.context.addPdf(String(message.name), String(message.dataUrl));
      case 'draftChanged':
        return this.context.draftChanged(String(message.text));
      case 'stop':
        return this.session.stop();
      case 'retry':
        return this.session.retry(message.turnId);
      case 'newChat':
        return this.session.newChat();
      case 'openChat':
        return this.session.openChat(message.chatId);
      case 'deleteChat':
        return this.session.deleteChat(message.chatId);
      case 'selectModel':
        return this.selectModel(String(message.modelId));
      case 'setSystemPrompt':
        return this.session.setSystemPrompt(message.text);
      case 'listProviders': {
        const modelId = this.deps.catalog.selectedModelId;
        if (modelId) this.post(await providerChoices(this.deps.catalog, modelId));
        return;
      }
      case 'setRouting':
        await this.session.setRouting(message.routing);
        return this.context.routingChanged();
      case 'copyCode':
        await vscode.env.clipboard.writeText(message.code);
        return;
      case 'copyAnswer': {
        const text = typeof message.turnId === 'string' ? this.session.answerText(message.turnId) : undefined;
        if (text !== undefined) await vscode.env.clipboard.writeText(text);
        return;
      }
      case 'regenerate':
        if (typeof message.turnId === 'string') await this.regenerate(message.turnId, message.pickModel === true);
        return;
      case 'editAndResend':
        if (typeof message.turnId === 'string' && typeof message.text === 'string') await this.session.editAndResend(message.turnId, message.text);
        return;
      case 'insertCode':
        return insertCodeAtCursor(message.code);
      case 'applyCode': {
        const answer = typeof message.turnId === 'string' ? this.session.answerText(message.turnId) : undefined;
        if (answer === undefined || !this.deps.edits || typeof message.code !== 'string' || typeof message.index !== 'number') return;
        const turn = this.session.current.turns.find((t) => t.id === message.turnId);
        const model = turn?.role === 'assistant' ? turn.model : undefined;
        await this.deps.edits.applyFromAnswer({ chatId: this.session.current.id, turnId: message.turnId, index: message.index, code: message.code, answer, label: `${this.session.current.title || 'Chat'}: answer from ${model ?? 'a model'}` });
        return;
      }
      case 'undoAnswerChanges':
        if (typeof message.turnId === 'string') await this.changes?.undo(message.turnId);
        return;
      case 'openLink':
        await openLinkAfterAsking(String(message.href), 'the chat', this.deps.log);
        return;
      case 'runAction':
        return runChatAction(message.action);
      case 'setAgent':
        return this.session.setAgent({ mode: message.mode, choices: message.choices });
      case 'confirmTool':
        if (typeof message.turnId === 'string' && typeof message.callId === 'string') this.session.confirmTool(message.turnId, message.callId, message.accept === true);
        return;
      default:
        assertNever(message);
    }
  }

  /** The panel's model chooser: only a model the list has (the page offers no other; a tampered one is put back). */
  private async selectModel(id: string): Promise<void> {
    if (!id) return;
    if (!(await this.deps.catalog.listed(id))) {
      this.deps.log.warn(`Chat refused a model the model list does not have: ${JSON.stringify(id.slice(0, 120))}.`);
      this.postModels();
      return;
    }
    await this.deps.catalog.select(id);
  }
}

/** Agent mode's view of the editor: the tools, Restricted Mode, the limits in the settings and the catalogue's prices. */
function agentDeps(deps: ChatViewDeps): AgentChatDeps {
  return {
    tools: () => deps.agentTools?.list() ?? [],
    trusted: () => vscode.workspace.isTrusted,
    limits: () => ({ maxSteps: deps.settings.values['agent.maxSteps'], maxTaskCostUsd: deps.settings.values['agent.maxTaskCostUsd'], toolTimeoutSeconds: deps.settings.values['agent.toolTimeoutSeconds'] }),
    model: (id) => deps.catalog.find(id),
  };
}

// The Compare Models editor panel's VS Code side: owns the webview panel and the comparison running in
// it, routes the page's typed messages, and does what only the extension may (clipboard, the chat, the
// model pick). One panel at a time; closing it stops its streams.
import * as vscode from 'vscode';
import { assertNever } from '../util/assertNever';
import { formatPricePerMillion, isFreeModel, modelDisplayName } from '../models/modelFormat';
import { Disposable, toDisposable } from '../util/dispose';
import { errorText } from '../util/errorText';
import { openLinkAfterAsking } from '../util/externalLink';
import { WebviewChannel } from '../util/webviewChannel';
import type { ColumnState, CompareEstimate, CompareExtensionMessage, CompareModel, CompareSnapshot, CompareWebviewMessage } from '../protocols/compare';
import type { CompareDeps } from './compareDeps';
import { compareHtml } from './compareHtml';
import { compareMessageShapes } from './compareMessageShapes';
import { pickModelSet } from './compareModelPick';
import { attachmentTokens, compareMessages, type CompareAttachment } from './compareRequest';
import { ComparisonRun, type ComparisonEvent } from './comparisonRun';
import { estimateComparison, estimatePromptTokens } from './costEstimate';
import type { GenerationRecord } from '../usage/usageTypes';
import { MAX_MODELS, MIN_MODELS, type ModelSets } from './modelSets';

export const compareViewType = 'openrouter.compare';

export class ComparePanel extends Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly channel: WebviewChannel<CompareWebviewMessage, CompareExtensionMessage>;
  private ready = false;
  /** Messages posted (delivered or not), and whether none was since the page's own snapshot: then `ready` needs none. */
  private posted = 0;
  private pageCurrent = false;
  private run: ComparisonRun | undefined;
  private columns: ColumnState[] = [];
  private prompt: string;
  private sentPrompt = '';
  private sending = false;
  private readonly onDisposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDisposed.event;

  constructor(
    private readonly deps: CompareDeps,
    private readonly sets: ModelSets,
    private modelIds: string[],
    prompt: string,
    private readonly attachments: CompareAttachment[],
  ) {
    super();
    this.prompt = prompt;
    const media = deps.pages.media;
    this.panel = this._register(vscode.window.createWebviewPanel(compareViewType, 'Compare Models', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [media] }));
    this.panel.iconPath = vscode.Uri.joinPath(media, 'openrouter.svg');
    this.channel = new WebviewChannel(this.panel.webview, compareMessageShapes, deps.log, 'Compare Models');
    this._register(this.channel.onMessage((message) => this.onMessage(message)));
    void this.setPage();
    // A hidden panel loses its page: its HTML gets the state as of now, and a fresh snapshot on `ready` if anything
    // was posted meanwhile.
    this._register(this.panel.onDidChangeViewState(() => (this.panel.visible ? undefined : void this.setPage())));
    this._register(this.panel.onDidDispose(() => this.dispose()));
    this._register(toDisposable(() => this.run?.dispose()));
    this._register(this.onDisposed);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.onDisposed.fire();
    super.dispose();
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** A new set of models (and a prompt, when given) for the next send. */
  useModels(modelIds: string[], prompt?: string): void {
    this.modelIds = modelIds;
    if (prompt !== undefined) this.prompt = prompt;
    if (!this.run?.running) this.columns = [];
    void this.postSnapshot();
  }

  /** What the panel shows, for the integration tests. */
  async snapshot(): Promise<CompareSnapshot> {
    // The one wait comes first: the columns are read after it, so text streamed meanwhile is in them (posted to a page
    // that then gets this snapshot, it would otherwise be overwritten by an older copy and lost).
    const hasKey = await this.deps.keys.has();
    return {
      prompt: this.prompt,
      attachments: this.attachments.map((a) => ({ name: a.name, tokens: attachmentTokens(a) })),
      models: this.modelIds.map((id) => this.describeModel(id)),
      columns: structuredClone(this.columns),
      running: this.run?.running ?? false,
      estimate: this.estimate(this.prompt),
      favouriteSet: this.sets.isFavourite(this.modelIds),
      hasKey,
    };
  }

  private describeModel(id: string): CompareModel {
    const model = this.deps.catalog.find(id);
    if (!model) return { id, name: id, priceLabel: 'price unknown' };
    const priceLabel = isFreeModel(model) ? 'free' : `${formatPricePerMillion(model.pricing?.prompt)} / ${formatPricePerMillion(model.pricing?.completion)} per 1M`;
    return { id, name: modelDisplayName(model), priceLabel };
  }

  private estimate(prompt: string): CompareEstimate {
    return estimateComparison(this.modelIds, (id) => this.deps.catalog.find(id), estimatePromptTokens(prompt, this.attachments.map(attachmentTokens)));
  }

  /** The panel's page, with its snapshot as the first message (once the model list is known): drawn without asking. */
  private async setPage(): Promise<void> {
    this.ready = false;
    const posted = this.posted;
    const webview = this.panel.webview;
    const [snapshot, parts] = await Promise.all([this.deps.catalog.models ? this.snapshot() : undefined, this.deps.pages.parts('compare', webview)]);
    if (this.isDisposed) return;
    this.ready = false;
    const firstMessage: CompareExtensionMessage | undefined = snapshot ? { type: 'snapshot', snapshot } : undefined;
    webview.html = compareHtml({ ...parts, ...(firstMessage ? { firstMessage } : {}) });
    this.pageCurrent = snapshot !== undefined && this.posted === posted;
  }

  private post(message: CompareExtensionMessage): void {
    this.posted++;
    this.pageCurrent = false;
    // Nothing is sent before the page says `ready`; the page's own snapshot, or the one it then gets, carries everything.
    if (!this.ready || this.isDisposed) return;
    void this.channel.post(message);
  }

  private async postSnapshot(): Promise<void> {
    const snapshot = await this.snapshot();
    this.post({ type: 'snapshot', snapshot });
  }

  private async onMessage(message: CompareWebviewMessage): Promise<void> {
    try {
      await this.handle(message);
    } catch (error) {
      this.deps.log.error(`Compare panel message ${message.type} failed: ${errorText(error)}`);
    }
  }

  private async handle(message: CompareWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.pageCurrent) return;
        if (!this.deps.catalog.models) await this.deps.catalog.getModels().catch((error: unknown) => this.deps.log.warn(`Compare could not load the model list: ${errorText(error)}`));
        return this.postSnapshot();
      case 'promptChanged':
        this.prompt = String(message.prompt);
        this.post({ type: 'estimate', estimate: this.estimate(this.prompt) });
        return;
      case 'send':
        return this.send(String(message.prompt));
      case 'stop':
        this.run?.stop(Number(message.column));
        return;
      case 'stopAll':
        this.run?.stopAll();
        return;
      case 'copy':
        return this.copy(Number(message.column));
      case 'copyCode':
        await vscode.env.clipboard.writeText(String(message.code));
        return;
      case 'continueInChat':
        return this.continueInChat(Number(message.column));
      case 'openLink':
        await openLinkAfterAsking(String(message.href), 'Compare Models', this.deps.log);
        return;
      case 'chooseModels': {
        const chosen = await pickModelSet(this.deps.catalog, this.sets, this.deps.log);
        if (chosen) this.useModels(chosen);
        return;
      }
      case 'toggleFavouriteSet': {
        const saved = await this.sets.toggleFavourite(this.modelIds);
        this.post({ type: 'favouriteSet', saved });
        return;
      }
      default:
        assertNever(message);
    }
  }

  private async send(prompt: string): Promise<void> {
    // A second Send while this one waits (for the key, the budget question) must not start a second comparison.
    if (this.sending) return;
    this.sending = true;
    try {
      await this.start(prompt);
    } finally {
      this.sending = false;
    }
  }

  private async start(prompt: string): Promise<void> {
    const rejected = await this.cannotSend(prompt);
    if (rejected) return this.post({ type: 'rejected', message: rejected });
    // Asked once for the whole comparison, after the checks above and before any request.
    if (this.deps.budget && !(await this.deps.budget.confirmSend('compare'))) {
      return this.post({ type: 'rejected', message: 'Not sent: your OpenRouter budget is spent and you chose not to go over it.' });
    }
    this.run?.dispose();
    prompt = await this.withoutSecrets(prompt);
    this.prompt = prompt;
    this.sentPrompt = prompt;
    const modelIds = [...this.modelIds];
    this.columns = modelIds.map((id) => ({ model: this.describeModel(id), status: 'streaming', text: '', stats: { source: 'live' } }));
    const sessionId = `compare-${crypto.randomUUID()}`;
    const run = new ComparisonRun(
      {
        provider: () => this.deps.providerHost.provider,
        ...(this.deps.routing ? { routing: (model: string) => this.deps.routing!(model, sessionId) } : {}),
        // A replaced run's columns are still recorded (they may have cost something), but no longer shown.
        onEvent: (event) => (event.type !== 'settled' && this.run === run ? this.onRunEvent(event) : undefined),
        ...(this.deps.usage ? { record: (generation: GenerationRecord) => this.deps.usage!.record(generation) } : {}),
        prompt,
        log: this.deps.log,
      },
      modelIds,
      compareMessages(prompt, this.attachments),
    );
    this.run = run;
    await this.postSnapshot();
    run.start();
    void this.sets.rememberLast(modelIds);
    void run.settled().then(() => this.deps.onFinished?.());
  }

  /** The prompt with any credential replaced by a marker; the user is told (never the secret itself). */
  private async withoutSecrets(prompt: string): Promise<string> {
    const { text, findings } = await this.deps.gate.stripSecrets(prompt, 'Compare Models prompt');
    if (findings.length) void vscode.window.setStatusBarMessage(`Compare Models: ${findings.length === 1 ? 'a secret was' : `${findings.length} secrets were`} removed from the prompt before sending.`, 10_000);
    return text;
  }

  private async cannotSend(prompt: string): Promise<string | undefined> {
    if (this.run?.running) return 'A comparison is still running: stop it or wait for it, then send again.';
    if (!prompt.trim()) return 'Type a prompt to send to the models.';
    if (this.modelIds.length < MIN_MODELS || this.modelIds.length > MAX_MODELS) return `Choose ${MIN_MODELS} to ${MAX_MODELS} models first (Models…).`;
    if (!(await this.deps.keys.has())) return 'No OpenRouter API key is set: run “OpenRouter: Set API Key”, then send again.';
    return undefined;
  }

  private onRunEvent(event: Exclude<ComparisonEvent, { type: 'settled' }>): void {
    const column = this.columns[event.column];
    if (!column) return;
    switch (event.type) {
      case 'delta':
        column.text += event.text;
        column.stats = event.stats;
        delete column.retry;
        this.post({ type: 'columnDelta', column: event.column, text: event.text, stats: event.stats });
        return;
      case 'retry':
        column.retry = { attempt: event.attempt, reason: event.reason, waitMs: event.waitMs };
        this.post({ type: 'columnRetry', column: event.column, attempt: event.attempt, reason: event.reason, waitMs: event.waitMs });
        return;
      case 'end':
        column.status = event.status;
        column.stats = event.stats;
        delete column.retry;
        if (event.error) column.error = event.error;
        this.post({ type: 'columnEnd', column: event.column, status: event.status, stats: event.stats, ...(event.error ? { error: event.error } : {}) });
        return;
      case 'stats':
        column.stats = event.stats;
        this.post({ type: 'columnStats', column: event.column, stats: event.stats });
        return;
      default:
        assertNever(event);
    }
  }

  private async copy(index: number): Promise<void> {
    const column = this.columns[index];
    if (!column) return;
    await vscode.env.clipboard.writeText(column.text);
    void vscode.window.setStatusBarMessage(`Copied ${column.model.name}'s answer.`, 3000);
  }

  private async continueInChat(index: number): Promise<void> {
    const column = this.columns[index];
    if (!column || column.status === 'streaming' || !column.text) return;
    const userText = compareMessages(this.sentPrompt, this.attachments)[0]!.content;
    const prompt = typeof userText === 'string' ? userText : (userText ?? []).map((part) => (part.type === 'text' ? part.text : `[image]`)).join('\n\n');
    await this.deps.continueInChat({ prompt, answer: column.text, model: column.model.id });
  }
}

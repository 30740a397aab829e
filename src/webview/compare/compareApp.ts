// The Compare Models page: the prompt with its estimated cost, then one column per model streaming side
// by side with its figures and its Stop / Copy / Continue in chat buttons. Talks to the extension only
// through the typed protocol; keeps only the draft in getState/setState.
import { assertNever } from '../../util/assertNever';
import { h } from '../shared/dom';
import { FrameScheduler, type Renderable } from '../shared/frameScheduler';
import { guardLinks } from '../shared/linkGuard';
import { LazyMarkdown, type MarkdownSource } from '../shared/lazyMarkdown';
import { MarkdownView } from '../shared/markdownView';
import { columnFigures, estimateText } from './columnFigures';
import type { ColumnState, ColumnStats, CompareExtensionMessage, CompareSnapshot, CompareUiState, CompareWebviewMessage } from '../../protocols/compare';

export interface CompareVsCodeApi {
  postMessage(message: CompareWebviewMessage): void;
  getState(): CompareUiState | undefined;
  setState(state: CompareUiState): void;
}

const statusLabels: Record<ColumnState['status'], string> = { waiting: 'waiting', streaming: 'streaming…', done: 'done', stopped: 'stopped', error: 'failed' };

class ColumnView implements Renderable {
  readonly element: HTMLElement;
  private readonly status = h('span', { class: 'column-status' });
  private readonly figures = h('div', { class: 'column-figures', 'aria-live': 'off' });
  private readonly answerElement = h('div', { class: 'column-answer markdown' });
  private readonly error = h('div', { class: 'notice error', role: 'alert', hidden: true });
  private readonly retry = h('div', { class: 'notice retry', hidden: true });
  private readonly stopButton: HTMLButtonElement;
  private readonly answer: MarkdownView;

  constructor(
    readonly index: number,
    private state: ColumnState,
    md: MarkdownSource,
  ) {
    const { model } = state;
    this.stopButton = h('button', { type: 'button', class: 'column-stop', 'data-action': 'stop', 'aria-label': `Stop ${model.name}` }, 'Stop');
    this.element = h(
      'section',
      { class: 'column', 'data-column': String(index), 'data-model': model.id, 'aria-label': model.name },
      h('header', { class: 'column-header' }, h('h2', { class: 'column-model', title: model.id }, model.name), h('span', { class: 'column-price' }, model.priceLabel), this.status),
      this.figures,
      this.retry,
      this.answerElement,
      this.error,
      h(
        'footer',
        { class: 'column-actions' },
        this.stopButton,
        h('button', { type: 'button', class: 'column-copy', 'data-action': 'copy', 'aria-label': `Copy ${model.name}'s answer` }, 'Copy'),
        h('button', { type: 'button', class: 'column-continue', 'data-action': 'continue', 'aria-label': `Continue in chat with ${model.name}` }, 'Continue in chat'),
      ),
    );
    this.answer = new MarkdownView(this.answerElement, md);
    if (state.text) this.answer.append(state.text);
    if (state.status === 'streaming') this.answer.renderStreaming();
    else this.answer.renderFinal();
    this.update(state);
  }

  append(text: string, stats: ColumnStats): void {
    this.answer.append(text);
    this.state.text += text;
    this.update({ ...this.state, stats, retry: undefined });
  }

  /** Redraws everything but the answer from `state`. */
  update(state: ColumnState): void {
    this.state = state;
    this.element.dataset.status = state.status;
    this.status.textContent = statusLabels[state.status];
    this.figures.textContent = columnFigures(state.stats).join(' · ');
    this.stopButton.disabled = state.status !== 'streaming';
    (this.element.querySelector('.column-continue') as HTMLButtonElement).disabled = state.status === 'streaming' || !state.text;
    this.error.hidden = !state.error;
    this.error.textContent = state.error ? `${state.error.message} ${state.error.advice}` : '';
    this.retry.hidden = !state.retry;
    this.retry.textContent = state.retry ? `Attempt ${state.retry.attempt} failed (${state.retry.reason}); retrying in ${(state.retry.waitMs / 1000).toFixed(1)} s…` : '';
  }

  end(state: ColumnState): void {
    this.update(state);
    this.answer.renderFinal();
  }

  get current(): ColumnState {
    return this.state;
  }

  render(): void {
    if (this.state.status === 'streaming') this.answer.renderStreaming();
  }
}

export class CompareApp {
  private readonly md = new LazyMarkdown();
  private readonly scheduler = new FrameScheduler();
  private columns: ColumnView[] = [];
  private estimateTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly prompt = h('textarea', { id: 'prompt', rows: '4', 'aria-label': 'Prompt', placeholder: 'One prompt for every model. Ctrl+Enter sends.' });
  private readonly attachments = h('ul', { id: 'attachments', class: 'attachments', 'aria-label': 'Attachments', hidden: true });
  private readonly estimate = h('div', { id: 'estimate', class: 'estimate', 'aria-live': 'polite' });
  private readonly error = h('div', { id: 'compare-error', class: 'notice error', role: 'alert', hidden: true });
  private readonly sendButton = h('button', { type: 'button', id: 'send', class: 'primary' }, 'Send to all');
  private readonly stopAllButton = h('button', { type: 'button', id: 'stop-all', disabled: true }, 'Stop all');
  private readonly favouriteButton = h('button', { type: 'button', id: 'favourite-set', 'aria-pressed': 'false', title: 'Keep this set of models for one-click comparisons' }, 'Save set');
  private readonly modelsLine = h('div', { id: 'models-line', class: 'models-line' });
  private readonly columnsElement = h('main', { id: 'columns', class: 'columns', 'aria-label': 'Answers side by side' });

  constructor(
    private readonly root: HTMLElement,
    private readonly vscode: CompareVsCodeApi,
  ) {
    this.build();
    this.prompt.value = vscode.getState()?.draft ?? '';
  }

  start(): void {
    window.addEventListener('message', (event: MessageEvent<CompareExtensionMessage>) => this.onMessage(event.data));
    this.vscode.postMessage({ type: 'ready' });
  }

  private build(): void {
    const toolbar = h(
      'header',
      { class: 'toolbar' },
      this.modelsLine,
      h('button', { type: 'button', id: 'choose-models', title: 'Choose the models to compare' }, 'Models…'),
      this.favouriteButton,
    );
    const composer = h('section', { class: 'composer' }, this.attachments, this.prompt, this.estimate, this.error, h('div', { class: 'composer-actions' }, this.stopAllButton, this.sendButton));
    this.root.replaceChildren(toolbar, composer, this.columnsElement);
    toolbar.querySelector('#choose-models')!.addEventListener('click', () => this.vscode.postMessage({ type: 'chooseModels' }));
    this.favouriteButton.addEventListener('click', () => this.vscode.postMessage({ type: 'toggleFavouriteSet' }));
    this.sendButton.addEventListener('click', () => this.send());
    this.stopAllButton.addEventListener('click', () => this.vscode.postMessage({ type: 'stopAll' }));
    this.prompt.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.send();
      }
    });
    this.prompt.addEventListener('input', () => {
      this.vscode.setState({ draft: this.prompt.value });
      clearTimeout(this.estimateTimer);
      this.estimateTimer = setTimeout(() => this.vscode.postMessage({ type: 'promptChanged', prompt: this.prompt.value }), 250);
    });
    // Links in answers go to the extension, which asks before opening them; the page follows none itself.
    guardLinks(window, (href) => this.vscode.postMessage({ type: 'openLink', href }));
    this.columnsElement.addEventListener('click', (event) => this.onColumnClick(event));
  }

  private send(): void {
    this.error.hidden = true;
    this.vscode.postMessage({ type: 'send', prompt: this.prompt.value });
  }

  private onColumnClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest<HTMLElement>('[data-action]');
    const column = Number(target?.closest<HTMLElement>('.column')?.dataset.column);
    if (!button || Number.isNaN(column)) return;
    switch (button.dataset.action) {
      case 'stop':
        return this.vscode.postMessage({ type: 'stop', column });
      case 'copy':
        return this.vscode.postMessage({ type: 'copy', column });
      case 'continue':
        return this.vscode.postMessage({ type: 'continueInChat', column });
      case 'copy-code': {
        const code = button.closest('.code-block')?.querySelector('code')?.textContent ?? '';
        return this.vscode.postMessage({ type: 'copyCode', code });
      }
      default:
        return;
    }
  }

  private onMessage(message: CompareExtensionMessage): void {
    switch (message.type) {
      case 'snapshot':
        return this.showSnapshot(message.snapshot);
      case 'estimate':
        this.estimate.textContent = estimateText(message.estimate);
        return;
      case 'columnDelta': {
        const view = this.columns[message.column];
        if (!view) return;
        view.append(message.text, message.stats);
        this.scheduler.schedule(view);
        return;
      }
      case 'columnStats': {
        const view = this.columns[message.column];
        view?.update({ ...view.current, stats: message.stats });
        return;
      }
      case 'columnRetry': {
        const view = this.columns[message.column];
        view?.update({ ...view.current, retry: { attempt: message.attempt, reason: message.reason, waitMs: message.waitMs } });
        return;
      }
      case 'columnEnd': {
        const view = this.columns[message.column];
        if (!view) return;
        this.scheduler.flush();
        const next: ColumnState = { ...view.current, status: message.status, stats: message.stats, retry: undefined };
        if (message.error) next.error = message.error;
        view.end(next);
        this.updateRunning();
        return;
      }
      case 'favouriteSet':
        this.showFavourite(message.saved);
        return;
      case 'rejected':
        this.error.textContent = message.message;
        this.error.hidden = false;
        return;
      default:
        assertNever(message);
    }
  }

  private showSnapshot(snapshot: CompareSnapshot): void {
    if (!this.prompt.value && snapshot.prompt) this.prompt.value = snapshot.prompt;
    this.modelsLine.textContent = `Comparing ${snapshot.models.map((m) => `${m.name} (${m.priceLabel})`).join(' · ')}`;
    this.attachments.hidden = snapshot.attachments.length === 0;
    this.attachments.replaceChildren(...snapshot.attachments.map((a) => h('li', {}, `${a.name} (≈ ${a.tokens} tokens)`)));
    this.estimate.textContent = estimateText(snapshot.estimate);
    this.showFavourite(snapshot.favouriteSet);
    this.columns = snapshot.columns.map((state, index) => new ColumnView(index, structuredClone(state), this.md));
    this.columnsElement.style.setProperty('--column-count', String(Math.max(1, this.columns.length)));
    this.columnsElement.replaceChildren(...this.columns.map((view) => view.element));
    if (!snapshot.hasKey) {
      this.error.textContent = 'No OpenRouter API key is set: run “OpenRouter: Set API Key” first.';
      this.error.hidden = false;
    }
    this.updateRunning();
  }

  private showFavourite(saved: boolean): void {
    this.favouriteButton.setAttribute('aria-pressed', String(saved));
    this.favouriteButton.textContent = saved ? '★ Saved set' : '☆ Save set';
  }

  private updateRunning(): void {
    const running = this.columns.some((view) => view.current.status === 'streaming');
    document.body.dataset.running = String(running);
    this.stopAllButton.disabled = !running;
    this.sendButton.disabled = running;
  }
}

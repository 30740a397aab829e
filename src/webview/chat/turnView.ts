// The DOM of one message in the conversation: the user's text (with Edit and resend), or an answer with its
// reasoning, processing indicator, retry and stop/error notices, the stats line and its actions (copy, regenerate).
import type { AgentTaskFigures, AnswerCitation, AnswerStats, AssistantTurn, ChatTurn, ContextNotice, ErrorNotice, ToolCallView, UserTurn } from '../../protocols/chat';
import { contextNoticeElement, ReasoningView } from './reasoningView';
import { Countdown } from './countdown';
import { h } from '../shared/dom';
import { turnAttachmentList } from './attachmentChips';
import { renderCitations } from './citations';
import { statsParts } from './format';
import type { FrameScheduler, Renderable } from '../shared/frameScheduler';
import { iconButton } from './icons';
import type { MarkdownSource } from '../shared/lazyMarkdown';
import { MarkdownView } from '../shared/markdownView';
import { ToolCallsView } from './toolCallView';

/** What every turn's view needs from the panel. */
export interface TurnContext {
  md: MarkdownSource;
  scheduler: FrameScheduler;
  /** A model's display name (its id until the model list has come). */
  modelName(id: string): string;
  /** The user sent an edited question: it replaces the old one and everything after it. */
  editAndResend(turnId: string, text: string): void;
  /** The user answered a tool's question. */
  confirmTool(turnId: string, callId: string, accept: boolean): void;
}

export class UserTurnView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private editor: HTMLElement | undefined;

  constructor(
    readonly turn: UserTurn,
    private readonly context: TurnContext,
  ) {
    this.body = h('div', { class: 'markdown' });
    const edit = iconButton('edit', 'Edit and resend this message', { class: 'turn-action', 'data-action': 'edit-question', 'data-turn-id': turn.id });
    this.element = h('article', { class: 'turn user', 'data-turn-id': turn.id, 'aria-label': 'Your message' }, h('div', { class: 'turn-head' }, h('div', { class: 'turn-author' }, 'You'), h('div', { class: 'turn-actions' }, edit)), this.body, turnAttachmentList(turn.attachments));
    new MarkdownView(this.body, context.md).renderFinal(turn.content);
  }

  /** Swaps the message for an editor holding its text: Enter (or Send) resends it, Escape (or Cancel) puts it back. */
  startEdit(): void {
    if (this.editor) {
      this.editor.querySelector('textarea')?.focus();
      return;
    }
    const input = h('textarea', { class: 'edit-input', rows: '2', 'aria-label': 'Edit your message; Enter resends it, Escape cancels' });
    input.value = this.turn.content;
    const send = h('button', { type: 'button', class: 'primary edit-send' }, 'Send');
    const cancel = h('button', { type: 'button', class: 'edit-cancel' }, 'Cancel');
    const note = h('p', { class: 'edit-note muted' }, 'Sending replaces this message and every turn after it.');
    this.editor = h('div', { class: 'edit-box' }, input, note, h('div', { class: 'edit-actions' }, cancel, send));
    const submit = (): void => {
      if (!input.value.trim()) return;
      this.context.editAndResend(this.turn.id, input.value);
    };
    const close = (): void => {
      this.editor?.remove();
      this.editor = undefined;
      this.body.hidden = false;
      this.element.querySelector<HTMLElement>('[data-action="edit-question"]')?.focus();
    };
    send.addEventListener('click', submit);
    cancel.addEventListener('click', close);
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
    });
    this.body.hidden = true;
    this.body.after(this.editor);
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }
}

export class AssistantTurnView implements Renderable {
  readonly element: HTMLElement;
  private readonly answer: MarkdownView;
  private readonly reasoning = new ReasoningView();
  private readonly contextSlot: HTMLElement;
  private stats: AnswerStats | undefined;
  private readonly processing: HTMLElement;
  private readonly processingLabel: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly retryLine: HTMLElement;
  private retryCountdown: Countdown | undefined;
  private waitCountdown: Countdown | undefined;
  private readonly statsLine: HTMLElement;
  private readonly citations: HTMLElement;
  private readonly author: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly tools: ToolCallsView;
  private streaming: boolean;

  private readonly scheduler: FrameScheduler;

  constructor(
    readonly turn: AssistantTurn,
    context: TurnContext,
  ) {
    this.scheduler = context.scheduler;
    const answerBody = h('div', { class: 'markdown answer' });
    this.contextSlot = h('div', { class: 'context-slot' });
    this.processingLabel = h('span', {}, 'Waiting for the first token…');
    this.processing = h('div', { class: 'processing', role: 'status', hidden: true }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), this.processingLabel);
    this.notice = h('div', { class: 'notice', hidden: true });
    this.retryLine = h('div', { class: 'retry-status', role: 'status', hidden: true });
    this.statsLine = h('div', { class: 'stats', hidden: true });
    this.citations = renderCitations(turn.citations);
    this.author = h('div', { class: 'turn-author', title: turn.model });
    this.tools = new ToolCallsView(turn.id, context.confirmTool);
    this.actions = h(
      'div',
      { class: 'turn-actions answer-actions', hidden: turn.status === 'streaming' },
      iconButton('copy', 'Copy answer (markdown)', { class: 'turn-action', 'data-action': 'copy-answer', 'data-turn-id': turn.id }),
      iconButton('refresh', 'Regenerate answer', { class: 'turn-action', 'data-action': 'regenerate', 'data-turn-id': turn.id }),
      iconButton('chevron-down', 'Regenerate with another model…', { class: 'turn-action', 'data-action': 'regenerate-with', 'data-turn-id': turn.id }),
    );
    this.element = h(
      'article',
      { class: 'turn assistant', 'data-turn-id': turn.id, 'data-status': turn.status },
      h('div', { class: 'turn-head' }, this.author),
      this.contextSlot,
      this.reasoning.element,
      this.tools.element,
      answerBody,
      this.processing,
      this.tools.progress,
      this.tools.note,
      this.retryLine,
      this.notice,
      this.citations,
      h('div', { class: 'turn-foot' }, this.statsLine, this.actions),
    );
    this.setModelName(context.modelName(turn.model));
    this.answer = new MarkdownView(answerBody, context.md, { apply: true });
    this.streaming = turn.status === 'streaming';
    this.answer.append(turn.content);
    this.appendReasoning(turn.reasoning);
    if (turn.context) this.setContext(turn.context);
    for (const call of turn.toolCalls ?? []) this.tools.update(call);
    if (turn.agent) this.tools.setFigures(turn.agent);
    if (this.streaming) {
      this.answer.renderStreaming();
      this.setProcessing(turn.content === '' && turn.reasoning === '');
      // A panel shown again while the request waits for its next attempt: the notice and its countdown come back.
      if (turn.retry && turn.content === '') this.showRetry(turn.retry.attempt, turn.retry.reason, turn.retry.retryAt - Date.now());
    } else {
      this.answer.renderFinal();
      this.end(turn.status, turn.error, turn.stats);
    }
    this.renderReasoning();
  }

  /** The header names the model asked for, by its display name (its id is the tooltip). */
  setModelName(name: string): void {
    if (this.author.textContent === name) return;
    this.author.textContent = name;
    this.element.setAttribute('aria-label', `Answer from ${name}`);
  }

  appendContent(delta: string): void {
    this.answer.append(delta);
    this.setProcessing(false);
    this.clearRetry();
    this.scheduler.schedule(this);
  }

  appendReasoning(delta: string): void {
    if (!this.reasoning.append(delta)) return;
    this.setProcessing(false);
    this.clearRetry();
    this.scheduler.schedule(this);
  }

  setProcessing(on: boolean): void {
    // Called per token: touching the attribute when nothing changes would restyle the page each time.
    if (this.processing.hidden === on) this.processing.hidden = !on;
  }

  /** An attempt failed and another follows after `waitMs`: says which, why, and counts the wait down. */
  showRetry(attempt: number, reason: string, waitMs: number): void {
    this.retryLine.hidden = false;
    this.retryLine.dataset.attempt = String(attempt + 1);
    // The reason is announced once; the seconds tick silently (a live region read out every second is noise).
    const seconds = h('span', { class: 'retry-countdown', 'aria-hidden': 'true' });
    this.retryLine.replaceChildren(h('span', {}, `Attempt ${attempt} failed: ${reason}`), ' ', seconds);
    const until = Date.now() + waitMs;
    this.retryCountdown?.stop();
    this.retryCountdown = new Countdown(seconds, (left) => (left > 0 ? `Retrying in ${left} s…` : `Trying again (attempt ${attempt + 1})…`));
    this.retryCountdown.start(until);
  }

  private clearRetry(): void {
    if (this.retryLine.hidden) return;
    this.retryCountdown?.stop();
    this.retryLine.hidden = true;
  }

  /** A tool call of an Agent mode answer started, asked, or ended. */
  toolCall(call: ToolCallView): void {
    this.tools.update(call);
    this.setProcessing(call.status !== 'running' && this.streaming);
  }

  /** The task's steps, tokens and cost so far (and what ended it, when a limit did). */
  agentProgress(agent: AgentTaskFigures): void {
    this.turn.agent = agent;
    this.tools.setFigures(agent);
  }

  /** OpenRouter sent a keep-alive comment: the model is alive but has not produced a token yet. */
  showKeepAlive(): void {
    this.processingLabel.textContent = 'The model is still processing (OpenRouter keep-alive)…';
    this.setProcessing(true);
  }

  render(): void {
    if (this.streaming) this.answer.renderStreaming();
    this.renderReasoning();
  }

  end(status: AssistantTurn['status'], error: ErrorNotice | undefined, stats: AnswerStats | undefined): void {
    this.scheduler.cancel(this);
    this.streaming = false;
    this.turn.status = status;
    this.element.dataset.status = status;
    this.setProcessing(false);
    this.clearRetry();
    this.actions.hidden = false;
    this.answer.renderFinal();
    this.renderReasoning();
    this.showNotice(status, error);
    if (stats) this.setStats(stats);
  }

  setCitations(citations: readonly AnswerCitation[]): void {
    renderCitations(citations, this.citations);
  }

  /** The conversation was condensed or shortened before this answer (or is being condensed now). */
  setContext(notice: ContextNotice): void {
    this.contextSlot.replaceChildren(contextNoticeElement(notice));
  }

  setStats(stats: AnswerStats): void {
    this.stats = stats;
    this.reasoning.render(stats, this.streaming);
    const parts = statsParts(stats, this.turn.model);
    this.statsLine.hidden = parts.length === 0;
    this.statsLine.replaceChildren(...parts.flatMap((part, i) => (i ? [h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'), part] : [part])));
  }

  private renderReasoning(): void {
    this.reasoning.render(this.stats, this.streaming);
  }

  private showNotice(status: AssistantTurn['status'], error: ErrorNotice | undefined): void {
    const retry = h('button', { type: 'button', class: 'link-button', 'data-action': 'retry', 'data-turn-id': this.turn.id }, 'Retry');
    if (status === 'error' && error) {
      const action = error.action
        ? h('button', { type: 'button', class: 'link-button', 'data-action': 'run-action', 'data-chat-action': error.action.action }, error.action.label)
        : null;
      this.notice.className = 'notice error';
      this.notice.setAttribute('role', 'alert');
      // The advice already says how long; the ticking seconds stay out of the alert, which would read each one out.
      const wait = error.retryAt === undefined ? null : h('div', { class: 'retry-wait', 'aria-hidden': 'true' });
      this.notice.replaceChildren(h('strong', {}, error.message), ' ', h('span', {}, error.advice), ...(wait ? [wait] : []), h('div', { class: 'notice-actions' }, retry, action));
      this.notice.hidden = false;
      this.waitCountdown?.stop();
      if (wait && error.retryAt !== undefined) {
        // OpenRouter's wait was too long to sit through: the user sees it pass and retries when ready.
        this.waitCountdown = new Countdown(wait, (seconds) => (seconds > 0 ? `You can retry in ${seconds} s.` : 'The wait is over: you can retry now.'));
        this.waitCountdown.start(error.retryAt);
      }
    } else if (status === 'stopped') {
      this.notice.className = 'notice stopped';
      this.notice.removeAttribute('role');
      // A limit that ended an Agent task says which, and what to do.
      this.notice.replaceChildren(h('span', {}, this.turn.agent?.limitMessage ?? 'Stopped. The answer above is partial.'), h('div', { class: 'notice-actions' }, retry));
      this.notice.hidden = false;
    } else {
      this.notice.hidden = true;
    }
  }
}

export type TurnView = UserTurnView | AssistantTurnView;

export function createTurnView(turn: ChatTurn, context: TurnContext): TurnView {
  return turn.role === 'user' ? new UserTurnView(turn, context) : new AssistantTurnView(turn, context);
}

// An Agent mode answer's tool calls, as they happen: each call's name, its arguments (collapsed), what came of it,
// how long it took and whether the user confirmed it; a tool's question as a card with its accept and decline
// buttons; and the task's steps, tokens and cost so far. Model text is only ever set as text, never as HTML.
import { formatUsd } from '../../util/usd';
import { h } from '../shared/dom';
import type { AgentTaskFigures, ToolCallView } from '../../protocols/chat';

/** The most characters of a call's arguments shown (they stay complete in the extension). */
const maxShownArguments = 20_000;
/** Element ids for the question cards: call ids come from the model and may hold anything. */
let nextQuestionId = 0;

export class ToolCallsView {
  readonly element = h('div', { class: 'tool-calls', hidden: true });
  readonly progress = h('div', { class: 'agent-progress', role: 'status', hidden: true });
  /** Why some tools were not offered (Restricted Mode). */
  readonly note = h('div', { class: 'agent-note muted', hidden: true });
  private readonly items = new Map<string, HTMLElement>();

  constructor(
    private readonly turnId: string,
    private readonly confirm: (turnId: string, callId: string, accept: boolean) => void,
  ) {}

  /** Adds the call, or replaces what it showed (a question, its answer, the result). */
  update(call: ToolCallView): void {
    const next = this.render(call);
    const existing = this.items.get(call.callId);
    // An open argument list stays open while its call goes on.
    if (existing?.querySelector('details')?.open) next.querySelector('details')!.open = true;
    const focusedAnswer = existing?.contains(document.activeElement) === true;
    if (existing) existing.replaceWith(next);
    else this.element.append(next);
    this.items.set(call.callId, next);
    this.element.hidden = false;
    if (focusedAnswer) next.querySelector<HTMLElement>('summary')?.focus();
  }

  setFigures(agent: AgentTaskFigures): void {
    const tokens = agent.promptTokens + agent.completionTokens;
    const steps = `Step ${agent.steps} of at most ${agent.maxSteps}`;
    this.progress.textContent = `${steps} · ${tokens.toLocaleString('en-US')} tokens · ${formatUsd(agent.costUsd)} of ${formatUsd(agent.maxCostUsd)}`;
    this.progress.hidden = agent.steps === 0;
    this.note.hidden = !agent.note;
    this.note.textContent = agent.note ?? '';
  }

  private render(call: ToolCallView): HTMLElement {
    const state = call.question ? 'asking' : call.status;
    const meta = [call.durationMs !== undefined ? formatSeconds(call.durationMs) : '', call.confirmed === true ? 'confirmed' : call.confirmed === false ? 'declined' : ''].filter(Boolean).join(' · ');
    const status = state === 'running' ? 'Running…' : state === 'asking' ? 'Waiting for your answer' : (call.summary ?? '');
    const summary = h(
      'summary',
      { 'aria-label': `Tool ${call.name}: ${status}${meta ? ` (${meta})` : ''}` },
      h('span', { class: `tool-state tool-state-${state}`, 'aria-hidden': 'true' }),
      h('span', { class: 'tool-name' }, call.name),
      ' ',
      h('span', { class: 'tool-summary' }, status),
      meta ? h('span', { class: 'tool-meta' }, meta) : null,
    );
    const details = h('details', { class: 'tool-call' }, summary, h('div', { class: 'tool-args-label muted' }, 'Arguments'), h('pre', { class: 'tool-args' }, h('code', {}, shownArguments(call.arguments))));
    if (call.changedFiles?.length) details.append(h('div', { class: 'tool-files muted' }, `Changed: ${call.changedFiles.join(', ')}`));
    const item = h('div', { class: 'tool-call-item', 'data-call-id': call.callId, 'data-status': state }, details);
    if (call.question) item.append(this.questionCard(call));
    return item;
  }

  private questionCard(call: ToolCallView): HTMLElement {
    const question = call.question!;
    const accept = h('button', { type: 'button', class: 'primary tool-accept' }, question.acceptLabel || 'Allow');
    const decline = h('button', { type: 'button', class: 'secondary tool-decline' }, 'Decline');
    const answer = (yes: boolean): void => {
      accept.disabled = true;
      decline.disabled = true;
      this.confirm(this.turnId, call.callId, yes);
    };
    accept.addEventListener('click', () => answer(true));
    decline.addEventListener('click', () => answer(false));
    const titleId = `tool-question-${++nextQuestionId}`;
    return h(
      'div',
      { class: 'tool-question', role: 'group', 'aria-labelledby': titleId },
      h('strong', { id: titleId }, question.title),
      question.code !== undefined ? h('pre', { class: 'tool-question-code' }, h('code', {}, question.code)) : null,
      question.detail ? h('p', { class: 'tool-question-detail' }, question.detail) : null,
      h('div', { class: 'tool-question-actions' }, accept, decline),
    );
  }
}

/** Pretty JSON when it parses, the model's text as it came when it does not. */
function shownArguments(raw: string): string {
  let text = raw;
  try {
    text = JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    // Shown as sent: malformed arguments are part of what happened.
  }
  return text.length > maxShownArguments ? `${text.slice(0, maxShownArguments)}…` : text;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

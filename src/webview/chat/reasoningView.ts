// An answer's reasoning, collapsed by default under a summary line that says, once the figures are in, how
// many tokens it took and what share of the answer's cost that was; and the note above an answer when the
// conversation was condensed or shortened to fit the model, with the summary request's own cost.
import { h } from '../shared/dom';
import { formatUsd } from '../../util/usd';
import type { AnswerStats, ContextNotice } from '../../protocols/chat';

/** "Reasoning · 1,234 tokens · $0.0012 (40% of this answer)"; only the figures that are known. */
export function reasoningLabel(stats: AnswerStats | undefined, streaming: boolean): string {
  const parts = [streaming ? 'Reasoning…' : 'Reasoning'];
  if (stats?.reasoningTokens) parts.push(`${stats.reasoningTokens.toLocaleString('en-US')} tokens`);
  if (stats?.reasoningCostUsd !== undefined && stats.costUsd) {
    parts.push(`${formatUsd(stats.reasoningCostUsd)} (${Math.round((stats.reasoningCostUsd / stats.costUsd) * 100)}% of this answer)`);
  }
  return parts.join(' · ');
}

export class ReasoningView {
  readonly element: HTMLDetailsElement;
  private readonly label: HTMLElement;
  private readonly body: HTMLElement;
  private text = '';
  private dirty = false;

  constructor() {
    this.label = h('span', { class: 'reasoning-label' }, 'Reasoning');
    this.body = h('div', { class: 'reasoning-body' });
    // Collapsed by default: the answer is what most readers want; the summary line says what the reasoning cost.
    this.element = h('details', { class: 'reasoning', hidden: true }, h('summary', {}, this.label), this.body);
  }

  append(delta: string): boolean {
    if (!delta) return false;
    this.text += delta;
    this.dirty = true;
    return true;
  }

  /** Writes what arrived since the last frame; the summary line follows the answer's state and figures. */
  render(stats: AnswerStats | undefined, streaming: boolean): void {
    const label = reasoningLabel(stats, streaming);
    if (this.label.textContent !== label) this.label.textContent = label;
    const shown = this.text !== '' || (stats?.reasoningTokens ?? 0) > 0;
    if (this.element.hidden === shown) this.element.hidden = !shown;
    if (!this.dirty) return;
    this.dirty = false;
    this.body.textContent = this.text || '(The model reasoned but did not return its reasoning.)';
  }

  get isEmpty(): boolean {
    return this.text === '';
  }
}

function contextLine(notice: ContextNotice): string {
  const older = `${notice.olderMessages} earlier message${notice.olderMessages === 1 ? '' : 's'}`;
  const fit = `to fit the model's context (about ${notice.estimateTokens.toLocaleString('en-US')} tokens for ${notice.limitTokens.toLocaleString('en-US')})`;
  switch (notice.action) {
    case 'condensing':
      return `Condensing ${older} ${fit}…`;
    case 'condensed':
      return `Condensed ${older} into a summary ${fit}`;
    case 'dropped':
      return `Left out ${older} ${fit}. ${notice.reason ?? ''}`.trim();
    case 'too-long':
      return `The question alone does not fit the model's context (about ${notice.estimateTokens.toLocaleString('en-US')} tokens for ${notice.limitTokens.toLocaleString('en-US')}).`;
  }
}

/** The note above an answer whose conversation was condensed or shortened; the summary itself collapsed under it. */
export function contextNoticeElement(notice: ContextNotice): HTMLElement {
  const figures: string[] = [];
  if (notice.stats?.promptTokens !== undefined) figures.push(`${notice.stats.promptTokens} in / ${notice.stats.completionTokens ?? '?'} out tokens`);
  if (notice.stats?.costUsd !== undefined) figures.push(formatUsd(notice.stats.costUsd));
  else if (notice.stats?.source === 'pending') figures.push('fetching cost…');
  const line = [contextLine(notice), ...figures].join(' · ');
  if (!notice.summary) return h('div', { class: 'context-notice', role: 'status', 'data-action': notice.action }, line);
  return h('details', { class: 'context-notice', 'data-action': notice.action }, h('summary', {}, line), h('div', { class: 'context-summary' }, notice.summary));
}

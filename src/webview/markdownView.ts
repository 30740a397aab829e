// One block of rendered model output that grows while it streams. Finished markdown blocks are
// rendered once and kept; only the unfinished tail is re-rendered per frame. The final render redoes
// the whole text only when it has reference-style link definitions (the one construct that reaches
// back across blocks); otherwise it renders the tail once more, so it costs one block, not the answer.
import type MarkdownIt from 'markdown-it';
import { h } from './dom';
import type { RenderEnv } from './markdown';
import { sanitizeToFragment } from './sanitize';
import { StableBlockScanner } from './stableBlocks';

const referenceDefinition = /^ {0,3}\[[^\]]+\]:/m;

export class MarkdownView {
  private text = '';
  private scanner = new StableBlockScanner();
  private committed = 0;
  private tail: HTMLElement = h('div', { class: 'md-block' });

  constructor(
    readonly element: HTMLElement,
    private readonly md: MarkdownIt,
  ) {
    element.append(this.tail);
  }

  get value(): string {
    return this.text;
  }

  append(delta: string): void {
    this.text += delta;
  }

  /** Renders what has arrived so far, touching only the part that may still change. */
  renderStreaming(): void {
    const stable = this.scanner.stableEnd(this.text);
    if (stable > this.committed) {
      const block = h('div', { class: 'md-block' });
      block.append(this.renderMarkdown(this.text.slice(this.committed, stable), {}));
      this.element.insertBefore(block, this.tail);
      this.committed = stable;
    }
    this.tail.replaceChildren(this.renderMarkdown(this.text.slice(this.committed), { openFence: this.scanner.inFence }));
  }

  /** Renders the finished text (the streamed one, or `text` when given). */
  renderFinal(text = this.text): void {
    if (text === this.text && this.committed > 0 && !referenceDefinition.test(text)) {
      this.tail.replaceChildren(this.renderMarkdown(this.text.slice(this.committed), {}));
      return;
    }
    this.text = text;
    this.scanner = new StableBlockScanner();
    this.committed = 0;
    this.tail = h('div', { class: 'md-block' });
    this.tail.append(this.renderMarkdown(text, {}));
    this.element.replaceChildren(this.tail);
  }

  private renderMarkdown(text: string, env: RenderEnv): DocumentFragment {
    const fragment = sanitizeToFragment(this.md.render(text, env));
    for (const pre of fragment.querySelectorAll('pre')) decorateCodeBlock(pre);
    return fragment;
  }
}

/** Wraps a code block with its language and the Copy / Insert buttons (handled by delegation). */
function decorateCodeBlock(pre: HTMLPreElement): void {
  const code = pre.querySelector('code');
  const language = [...(code?.classList ?? [])].find((name) => name.startsWith('language-'))?.slice('language-'.length);
  const toolbar = h(
    'div',
    { class: 'code-toolbar' },
    h('span', { class: 'code-language' }, language ?? 'text'),
    h('button', { type: 'button', class: 'code-action', 'data-action': 'copy-code', 'aria-label': 'Copy code', title: 'Copy code' }, 'Copy'),
    h('button', { type: 'button', class: 'code-action', 'data-action': 'insert-code', 'aria-label': 'Insert code at cursor', title: 'Insert at cursor in the active editor' }, 'Insert'),
  );
  const wrapper = h('div', { class: 'code-block' });
  pre.replaceWith(wrapper);
  wrapper.append(toolbar, pre);
}

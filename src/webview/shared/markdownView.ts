// One block of rendered model output that grows while it streams. Finished markdown blocks are
// rendered once and kept; only the unfinished tail is re-rendered per frame. The final render redoes
// the whole text only when it has reference-style link definitions (the one construct that reaches
// back across blocks); otherwise it renders the tail once more, so it costs one block, not the answer.
// A tail too big or too unbroken to re-render each frame (a hostile 20,000-character word) is shown as
// plain text, appended piece by piece, until the answer ends and gets its one markdown render.
// Text that arrives before the markdown renderer has loaded (lazyMarkdown.ts) is shown as plain text and
// rendered again, whole, when it comes. A finished text given before the view is on the page (a reopened chat)
// is shown plain and rendered when it comes near the viewport, a piece of a few blocks per short task.
import { h } from './dom';
import type { RenderEnv } from './markdown';
import type { MarkdownSource } from './lazyMarkdown';
import { breakableSegments, hasRunOfAtLeast, longRunChars, tailTooHeavyForMarkdown } from './longRuns';
import { markdownPieces, StableBlockScanner } from './stableBlocks';

const referenceDefinition = /^ {0,3}\[[^\]]+\]:/m;
/** Characters per block of a plain-text tail. */
const plainPieceChars = 2_000;
/** Text rendered per job when a finished text comes into view: a few milliseconds of markdown and sanitising. */
const pieceChars = 1_500;
/**
 * Finished blocks of a streaming text per group (.md-group). The browser skips a group while it is off screen
 * (content-visibility), and tracks each element it may skip on every frame: with one per block, each token cost
 * more the longer the answer grew (npx tsx test/bench/webview-long-chat.ts --part stream).
 */
const blocksPerGroup = 16;

export class MarkdownView {
  private text = '';
  private scanner = new StableBlockScanner();
  private committed = 0;
  private tail: HTMLElement = h('div', { class: 'md-block' });
  /** While the tail is shown as plain text: the element and how much of the tail it holds. */
  private plainTail: { element: HTMLElement; shown: number } | undefined;
  /** Something was shown as plain text because the renderer had not loaded: render again when it has. */
  private awaitingRenderer = false;
  /** Counts renders, so a deferred render that an earlier one overtook does nothing. */
  private renders = 0;
  /** Shown plain until near the viewport (its pieces' jobs are waiting). */
  private waitingNear = false;
  /** The group finished blocks go into while streaming, and how many it holds. */
  private group: { element: HTMLElement; blocks: number } | undefined;

  constructor(
    readonly element: HTMLElement,
    private readonly md: MarkdownSource,
    /** Code blocks get an Apply button (an answer in the chat; not questions, not Compare Models). */
    private readonly options: { apply?: boolean } = {},
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
    this.renders++;
    this.waitingNear = false;
    const stable = this.scanner.stableEnd(this.text);
    if (stable > this.committed) {
      const block = h('div', { class: 'md-block' });
      block.append(this.renderMarkdown(this.text.slice(this.committed, stable), {}));
      this.groupWithRoom().append(block);
      this.committed = stable;
      this.plainTail = undefined;
    }
    const tail = this.text.slice(this.committed);
    if (this.plainTail || tailTooHeavyForMarkdown(tail)) {
      this.appendPlainTail(tail);
      return;
    }
    this.tail.replaceChildren(this.renderMarkdown(tail, { openFence: this.scanner.inFence }));
  }

  private groupWithRoom(): HTMLElement {
    if (!this.group || this.group.blocks >= blocksPerGroup) {
      this.group = { element: h('div', { class: 'md-group' }), blocks: 0 };
      this.element.insertBefore(this.group.element, this.tail);
    }
    this.group.blocks++;
    return this.group.element;
  }

  /**
   * Only the text that arrived since the last frame is added, in blocks of bounded size: no parse, and
   * the browser lays out only the newest block instead of the whole growing run.
   */
  private appendPlainTail(tail: string): void {
    if (!this.plainTail) {
      this.plainTail = { element: h('div', { class: 'md-plain' }), shown: 0 };
      this.tail.replaceChildren(this.plainTail.element);
    }
    const plain = this.plainTail;
    while (plain.shown < tail.length) {
      let piece = plain.element.lastElementChild as HTMLElement | null;
      if (!piece || piece.textContent!.length >= plainPieceChars) piece = plain.element.appendChild(h('span', { class: 'md-plain-piece' }));
      const room = plainPieceChars - piece.textContent!.length;
      const added = tail.slice(plain.shown, plain.shown + room);
      for (const segment of breakableSegments(added)) piece.append(segment, h('wbr'));
      plain.shown += added.length;
    }
  }

  /** Renders the finished text (the streamed one, or `text` when given). */
  renderFinal(text = this.text): void {
    this.plainTail = undefined;
    if (!this.element.isConnected && this.waitingNear && text === this.text) return;
    const render = ++this.renders;
    if (!this.element.isConnected) return this.renderWhenNear(text, render);
    const waitedNear = this.waitingNear;
    this.waitingNear = false;
    if (text === this.text && this.committed > 0 && !referenceDefinition.test(text) && !this.awaitingRenderer && !waitedNear) {
      this.tail.replaceChildren(this.renderMarkdown(this.text.slice(this.committed), {}));
      this.releaseWhenFar(render);
      return;
    }
    this.text = text;
    this.scanner = new StableBlockScanner();
    this.committed = 0;
    this.tail = h('div', { class: 'md-block' });
    this.tail.append(this.renderMarkdown(text, {}));
    this.group = undefined;
    this.element.replaceChildren(this.tail);
    this.releaseWhenFar(render);
  }

  /**
   * Once the finished text (render number `render`) is far from the viewport, it is shown plain again and rendered
   * when it comes near (renderWhenNear), unless it has been rendered again or is streaming since.
   */
  private releaseWhenFar(render: number): void {
    if (!this.md.renderer) return;
    this.md.releaseWhenFar(this.element, () => {
      if (render === this.renders && this.element.isConnected) this.renderWhenNear(this.text, ++this.renders);
    });
  }

  /**
   * Shows `text` plain, cut into the pieces it is rendered in (markdownPieces), each rendered in a job of its own
   * when the view comes near the viewport. Text with reference-style link definitions is one piece.
   */
  private renderWhenNear(text: string, render: number): void {
    const pieces = referenceDefinition.test(text) ? [text] : markdownPieces(text, pieceChars);
    const blocks = pieces.map((piece) => h('div', { class: 'md-block' }, h('div', { class: 'md-plain md-deferred' }, piece)));
    this.text = text;
    this.scanner = new StableBlockScanner();
    this.committed = text.length - pieces[pieces.length - 1]!.length;
    this.tail = blocks[blocks.length - 1]!;
    this.group = undefined;
    this.element.replaceChildren(...blocks);
    this.waitingNear = true;
    this.md.defer(
      this.element,
      pieces.map((piece, i) => () => {
        if (render !== this.renders) return;
        blocks[i]!.replaceChildren(this.renderMarkdown(piece, {}));
        if (i === pieces.length - 1) this.releaseWhenFar(render);
      }),
    );
  }

  private renderMarkdown(text: string, env: RenderEnv): DocumentFragment {
    const renderer = this.md.renderer;
    if (!renderer) return this.plainUntilRenderer(text);
    const fragment = renderer.render(text, env);
    for (const pre of fragment.querySelectorAll('pre')) decorateCodeBlock(pre, this.options.apply === true);
    addBreakOpportunities(fragment);
    return fragment;
  }

  private plainUntilRenderer(text: string): DocumentFragment {
    if (!this.awaitingRenderer) {
      this.awaitingRenderer = true;
      this.md.whenReady(() => {
        this.renderFinal(this.text);
        this.awaitingRenderer = false;
      });
    }
    const fragment = document.createDocumentFragment();
    fragment.append(h('div', { class: 'md-plain' }, text));
    return fragment;
  }
}

/** Cuts long unbroken runs in text nodes with <wbr>, so laying them out stays linear. */
function addBreakOpportunities(root: DocumentFragment): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const long: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node as Text;
    if (text.data.length >= longRunChars && hasRunOfAtLeast(text.data, longRunChars)) long.push(text);
  }
  for (const text of long) {
    const pieces = breakableSegments(text.data).flatMap((segment, i) => (i ? [h('wbr'), segment] : [segment]));
    text.replaceWith(...pieces);
  }
}

/** Wraps a code block with its language and the Copy / Insert (/ Apply) buttons (handled by delegation). */
function decorateCodeBlock(pre: HTMLPreElement, apply: boolean): void {
  const code = pre.querySelector('code');
  const language = [...(code?.classList ?? [])].find((name) => name.startsWith('language-'))?.slice('language-'.length);
  const toolbar = h(
    'div',
    { class: 'code-toolbar' },
    h('span', { class: 'code-language' }, language ?? 'text'),
    h('button', { type: 'button', class: 'code-action', 'data-action': 'copy-code', 'aria-label': 'Copy code', title: 'Copy code' }, 'Copy'),
    h('button', { type: 'button', class: 'code-action', 'data-action': 'insert-code', 'aria-label': 'Insert code at cursor', title: 'Insert at cursor in the active editor' }, 'Insert'),
    ...(apply ? [h('button', { type: 'button', class: 'code-action', 'data-action': 'apply-code', 'aria-label': 'Apply code to its file', title: 'Apply to its file: review the change in a diff first' }, 'Apply')] : []),
  );
  const wrapper = h('div', { class: 'code-block' });
  pre.replaceWith(wrapper);
  wrapper.append(toolbar, pre);
}

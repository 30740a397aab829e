// The panels' markdown, loaded apart from the first script so a panel takes input before it has parsed
// markdown-it, DOMPurify and highlight.js: the renderer (markdownChunk.ts) loads when text first needs it (prefetch),
// highlight.js when the first code block in a known language arrives. Both are ES modules in media/ (lazyChunks.ts).
// A reopened chat draws only what is on screen first: text built off the page is shown plain (and searchable)
// until its turn comes within a screen or two of the viewport, then rendered a piece (a few blocks) per job, nearest
// first, in short tasks (slicedWork.ts), so a 300-turn chat shows its last turn at once and scrolls without long
// tasks. Code blocks rendered before highlight.js came are coloured the same way, one per job.
import type { FragmentRenderer } from './markdownChunk';
import type { CodeHighlighting, Highlighter } from './markdown';
import { importHighlight, importMarkdownChunk } from './lazyChunks';
import { afterPageLoad } from './pageLoad';
import { SlicedWork } from './slicedWork';

/** What a markdown view needs: the renderer once loaded, and a call when it is. */
export interface MarkdownSource {
  readonly renderer: FragmentRenderer | undefined;
  whenReady(callback: () => void): void;
  /**
   * Runs `jobs`, in order and a few per task, once the renderer has loaded and `element` (not on the page yet)
   * comes near the viewport (its turn, the `article` holding it, when it has one).
   */
  defer(element: Element, jobs: Array<() => void>): void;
  /** Calls `release` once, when `element` (rendered, on the page) is far from the viewport (its turn, when it has one). */
  releaseWhenFar(element: Element, release: () => void): void;
}

/** How far (px) above and below the viewport deferred text is rendered ahead of a scroll. */
const deferMarginPx = 1200;
/**
 * How far (px) from the viewport rendered text is shown plain again (and deferred): a long chat keeps about as much
 * rendered markup as a few screens hold, not all of it. Rendered, a 300-turn chat is 72,000 elements, and a garbage
 * collection's pause marking them was the one long task left while scrolling it.
 */
const releaseMarginPx = 4000;

export class LazyMarkdown implements MarkdownSource, CodeHighlighting {
  renderer: FragmentRenderer | undefined;
  highlighter: Highlighter | undefined;
  private waiting: (() => void)[] = [];
  private failed = false;
  private highlightRequested = false;
  /** The page's short tasks: rendering what comes into view, colouring code, building a reopened chat's turns. */
  readonly work = new SlicedWork();
  private readonly deferred = new Map<Element, Array<() => void>>();
  private observer: IntersectionObserver | undefined;
  private sweepQueued = false;
  private requested = false;
  private farObserver: IntersectionObserver | undefined;
  private readonly releases = new Map<Element, Array<() => void>>();

  /**
   * `root`: where code blocks rendered before highlight.js arrived are looked for when it does. `scroller`: the
   * element the text scrolls in (the margin ahead of the viewport is applied to it), when not the page.
   */
  constructor(
    private readonly root: () => ParentNode = () => document,
    private readonly scroller: () => Element | null = () => null,
  ) {}

  /**
   * Starts loading the renderer, once: when text first waits for it (shown plain until then), or ahead of that (the
   * chat's first key). Not as the page opens: its evaluation would hold up the input just drawn. Never before the
   * page's `load`, which VS Code waits for to show the panel (pageLoad.ts).
   */
  prefetch(): void {
    if (this.requested) return;
    this.requested = true;
    afterPageLoad(() => this.load());
  }

  private load(): void {
    importMarkdownChunk().then(
      ({ createFragmentRenderer }) => {
        this.renderer = createFragmentRenderer(this);
        const waiting = this.waiting;
        this.waiting = [];
        for (const callback of waiting) callback();
      },
      (error: unknown) => {
        console.error('OpenRouter: the markdown renderer did not load; answers stay plain text.', error);
        // What waited for it goes on without it (text stays plain).
        this.failed = true;
        const waiting = this.waiting;
        this.waiting = [];
        for (const callback of waiting) callback();
      },
    );
  }

  whenReady(callback: () => void): void {
    if (this.renderer || this.failed) return callback();
    this.waiting.push(callback);
    this.prefetch();
  }

  defer(element: Element, jobs: Array<() => void>): void {
    const target = element.closest('article') ?? element;
    const waiting = this.deferred.get(target);
    if (waiting) waiting.push(...jobs);
    else this.deferred.set(target, [...jobs]);
    this.observer ??= new IntersectionObserver((entries) => this.onIntersect(entries), { root: this.scroller(), rootMargin: `${deferMarginPx}px 0px` });
    this.observer.observe(target);
    if (this.sweepQueued) return;
    // Text of a chat that has since been replaced (it never reached the page, or left it) is forgotten.
    this.sweepQueued = true;
    queueMicrotask(() => {
      this.sweepQueued = false;
      for (const target of this.deferred.keys()) if (!target.isConnected) this.forget(target);
      for (const target of this.releases.keys()) {
        if (target.isConnected) continue;
        this.releases.delete(target);
        this.farObserver?.unobserve(target);
      }
    });
  }

  releaseWhenFar(element: Element, release: () => void): void {
    const target = element.closest('article') ?? element;
    const waiting = this.releases.get(target);
    if (waiting) return void waiting.push(release);
    this.releases.set(target, [release]);
    this.farObserver ??= new IntersectionObserver((entries) => this.onFar(entries), { root: this.scroller(), rootMargin: `${releaseMarginPx}px 0px` });
    this.farObserver.observe(target);
  }

  private onFar(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const releases = entry.isIntersecting ? undefined : this.releases.get(entry.target);
      if (!releases) continue;
      this.releases.delete(entry.target);
      this.farObserver?.unobserve(entry.target);
      if (!entry.target.isConnected) continue;
      // What the user has selected or focused there stays as it is.
      const selection = document.getSelection();
      if (entry.target.contains(document.activeElement) || (selection && selection.rangeCount > 0 && !selection.isCollapsed && selection.containsNode(entry.target, true))) continue;
      for (const release of releases) release();
    }
  }

  private forget(target: Element): void {
    this.deferred.delete(target);
    this.observer?.unobserve(target);
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    const viewport = entries[0]?.rootBounds;
    for (const entry of entries) {
      const jobs = entry.isIntersecting ? this.deferred.get(entry.target) : undefined;
      if (!jobs) continue;
      this.forget(entry.target);
      const box = entry.boundingClientRect;
      // The root's bounds include the margin: what is on screen (distance 0) goes first, then the nearest.
      const distance = viewport ? Math.max(0, box.top - (viewport.bottom - deferMarginPx), viewport.top + deferMarginPx - box.bottom) : 0;
      this.whenReady(() => {
        for (const job of jobs) this.work.add(() => entry.target.isConnected && job(), distance);
      });
    }
  }

  request(): void {
    if (this.highlightRequested) return;
    this.highlightRequested = true;
    importHighlight().then(
      ({ highlighter }) => {
        this.highlighter = highlighter;
        const renderer = this.renderer;
        if (!renderer) return;
        for (const code of renderer.pendingCode(this.root())) this.work.add(() => renderer.highlightPending(code, highlighter));
      },
      (error: unknown) => console.error('OpenRouter: highlight.js did not load; code stays uncoloured.', error),
    );
  }
}

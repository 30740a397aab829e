// The panels' markdown, loaded apart from the first script so a panel takes input before it has parsed
// markdown-it, DOMPurify and highlight.js: the renderer (markdownChunk.ts) loads when text first needs it (prefetch),
// highlight.js when the first code block in a known language arrives. Both are ES module chunks in media/,
// fetched by dynamic import() from the page's nonce-carrying module script (the CSP stays nonce-only).
// A reopened chat draws only what is on screen first: text built off the page is shown plain (and searchable)
// until it comes within a screen or two of the viewport, then rendered a few at a time, nearest first, in short
// tasks, so a 300-turn chat shows its last turn at once and scrolls without long tasks.
import type { FragmentRenderer } from './markdownChunk';
import type { CodeHighlighting, Highlighter } from './markdown';
import { afterPageLoad } from './pageLoad';

/** What a markdown view needs: the renderer once loaded, and a call when it is. */
export interface MarkdownSource {
  readonly renderer: FragmentRenderer | undefined;
  whenReady(callback: () => void): void;
  /** Calls `render` when `element` (not on the page yet) comes near the viewport. */
  defer(element: Element, render: () => void): void;
}

/** How far outside the viewport deferred text is rendered ahead of a scroll. */
const deferMargin = '1200px 0px';
/** Work per task when rendering deferred text: well under the 50 ms of a long task. */
const sliceMs = 12;

export class LazyMarkdown implements MarkdownSource, CodeHighlighting {
  renderer: FragmentRenderer | undefined;
  highlighter: Highlighter | undefined;
  private waiting: (() => void)[] = [];
  private highlightRequested = false;
  private readonly deferred = new Map<Element, () => void>();
  private observer: IntersectionObserver | undefined;
  private due: Array<{ element: Element; distance: number }> = [];
  private draining = false;
  private sweepQueued = false;
  private requested = false;

  /** `root`: where code blocks rendered before highlight.js arrived are looked for when it does. */
  constructor(private readonly root: () => ParentNode = () => document) {}

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
    import('./markdownChunk').then(
      ({ createFragmentRenderer }) => {
        this.renderer = createFragmentRenderer(this);
        const waiting = this.waiting;
        this.waiting = [];
        for (const callback of waiting) callback();
      },
      (error: unknown) => console.error('OpenRouter: the markdown renderer did not load; answers stay plain text.', error),
    );
  }

  whenReady(callback: () => void): void {
    if (this.renderer) return callback();
    this.waiting.push(callback);
    this.prefetch();
  }

  defer(element: Element, render: () => void): void {
    this.deferred.set(element, render);
    this.observer ??= new IntersectionObserver((entries) => this.onIntersect(entries), { rootMargin: deferMargin });
    this.observer.observe(element);
    if (this.sweepQueued) return;
    // Text of a chat that has since been replaced (it never reached the page, or left it) is forgotten.
    this.sweepQueued = true;
    queueMicrotask(() => {
      this.sweepQueued = false;
      for (const element of this.deferred.keys()) if (!element.isConnected) this.forget(element);
    });
  }

  private forget(element: Element): void {
    this.deferred.delete(element);
    this.observer?.unobserve(element);
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (!entry.isIntersecting || !this.deferred.has(entry.target)) continue;
      const box = entry.boundingClientRect;
      this.due.push({ element: entry.target, distance: Math.max(0, box.top - innerHeight, -box.bottom) });
    }
    this.due.sort((a, b) => a.distance - b.distance);
    this.drain();
  }

  private drain(): void {
    if (this.draining || this.due.length === 0) return;
    this.draining = true;
    setTimeout(() => {
      const start = performance.now();
      do {
        const next = this.due.shift();
        const render = next && this.deferred.get(next.element);
        if (!next || !render) continue;
        this.forget(next.element);
        if (next.element.isConnected) render();
      } while (this.due.length > 0 && performance.now() - start < sliceMs);
      this.draining = false;
      this.drain();
    }, 0);
  }

  request(): void {
    if (this.highlightRequested) return;
    this.highlightRequested = true;
    import('./highlight').then(
      ({ highlighter }) => {
        this.highlighter = highlighter;
        this.renderer?.highlightPending(this.root(), highlighter);
      },
      (error: unknown) => console.error('OpenRouter: highlight.js did not load; code stays uncoloured.', error),
    );
  }
}

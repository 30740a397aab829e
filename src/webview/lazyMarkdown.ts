// The panels' markdown, loaded apart from the first script so a panel takes input before it has parsed
// markdown-it, DOMPurify and highlight.js: the renderer (markdownChunk.ts) starts loading as the panel opens,
// highlight.js when the first code block in a known language arrives. Both are ES module chunks in media/,
// fetched by dynamic import() from the page's nonce-carrying module script (the CSP stays nonce-only).
import type { FragmentRenderer } from './markdownChunk';
import type { CodeHighlighting, Highlighter } from './markdown';

/** What a markdown view needs: the renderer once loaded, and a call when it is. */
export interface MarkdownSource {
  readonly renderer: FragmentRenderer | undefined;
  whenReady(callback: () => void): void;
}

export class LazyMarkdown implements MarkdownSource, CodeHighlighting {
  renderer: FragmentRenderer | undefined;
  highlighter: Highlighter | undefined;
  private waiting: (() => void)[] = [];
  private highlightRequested = false;

  /** `root`: where code blocks rendered before highlight.js arrived are looked for when it does. */
  constructor(private readonly root: () => ParentNode = () => document) {
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
    if (this.renderer) callback();
    else this.waiting.push(callback);
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

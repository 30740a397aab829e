// What a panel loads when it first needs it: the markdown renderer (markdownChunk.ts) and highlight.js (highlight.ts),
// built apart from the panels' first scripts under fixed names in media/ (esbuild.mjs). A panel's first script is
// written into its page, so it has no URL of its own to import them relative to: the extension writes the media
// folder's webview URL into the page (`<html data-media>`, src/util/webviewPage.ts). Fetched by the page's
// nonce-carrying module script, so the CSP names no other script source.
import type * as MarkdownChunk from './markdownChunk';
import type * as Highlight from './highlight';

/** The URL of `name` in the extension's media folder. */
export function mediaUrl(name: string): string {
  return new URL(name, document.documentElement.dataset['media'] ?? document.baseURI).href;
}

export function importMarkdownChunk(): Promise<typeof MarkdownChunk> {
  return import(mediaUrl('lazy-markdown.js')) as Promise<typeof MarkdownChunk>;
}

export function importHighlight(): Promise<typeof Highlight> {
  return import(mediaUrl('lazy-highlight.js')) as Promise<typeof Highlight>;
}

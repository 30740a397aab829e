// Model output → HTML string: markdown-it with raw HTML off; code in a known language coloured by highlight.js
// once it has loaded (a chunk of its own: until then a block is marked `hljs-pending` and swapped when it comes).
// Pure (no DOM), so it runs under plain Node in unit tests; the browser side sanitises the result before it
// touches the page.
import MarkdownIt from 'markdown-it';
import { codeLanguage } from './codeLanguages';

/** Colours code of a known language; returns highlight.js's HTML (spans with hljs-* classes). */
export interface Highlighter {
  highlight(code: string, language: string): string;
}

/** Where the renderer gets its highlighter: `undefined` until loaded; `request()` starts loading it. */
export interface CodeHighlighting {
  readonly highlighter: Highlighter | undefined;
  request(): void;
}

/** Code blocks longer than this are shown unhighlighted: highlighting cost grows with size. */
const maxHighlightChars = 100_000;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Passed to `render()` while streaming: the last code block has not been closed yet. */
export interface RenderEnv {
  openFence?: boolean;
}

export function createMarkdownRenderer(highlighting: CodeHighlighting): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

  md.renderer.rules.fence = (tokens, idx, _options, env: RenderEnv | undefined) => {
    const token = tokens[idx]!;
    const known = codeLanguage(token.info.trim().split(/\s+/)[0]?.toLowerCase() ?? '');
    let codeClass = known ? `hljs language-${escapeHtml(known)}` : 'hljs';
    // A block still growing is shown plain (cheap per frame) and highlighted once it is closed.
    const growing = env?.openFence === true && !tokens.slice(idx + 1).some((t) => t.type === 'fence');
    const highlighter = highlighting.highlighter;
    if (known && !highlighter) highlighting.request();
    let body: string;
    if (!known || growing || token.content.length > maxHighlightChars) body = escapeHtml(token.content);
    else if (highlighter) body = highlighter.highlight(token.content, known);
    else {
      body = escapeHtml(token.content);
      codeClass += ' hljs-pending';
    }
    return `<pre><code class="${codeClass}">${body}</code></pre>\n`;
  };

  // A table column's alignment as a class: markdown-it writes it as an inline style, which the panels' CSP refuses
  // (the column would lose its alignment, and each cell would raise a CSP report).
  md.core.ruler.push('alignment_classes', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'th_open' && token.type !== 'td_open') continue;
      const align = /^text-align:(left|center|right)$/.exec(token.attrGet('style') ?? '')?.[1];
      token.attrs = token.attrs?.filter(([name]) => name !== 'style') ?? null;
      if (align) token.attrJoin('class', `align-${align}`);
    }
  });

  // Remote images would let model output make requests (tracking, exfiltration): show them as links.
  md.renderer.rules.image = (tokens, idx) => {
    const token = tokens[idx]!;
    const src = token.attrGet('src') ?? '';
    const alt = token.content || src;
    return `<a href="${escapeHtml(src)}">${escapeHtml(`image: ${alt}`)}</a>`;
  };

  return md;
}

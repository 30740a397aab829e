// The half of the panels' markdown that loads after the panel is interactive (a chunk of its own in media/):
// markdown-it with its entity tables and DOMPurify. Turns model output into sanitised nodes, and swaps code
// blocks rendered before highlight.js came for their coloured version.
import { createMarkdownRenderer, type CodeHighlighting, type Highlighter, type RenderEnv } from './markdown';
import { sanitizeToFragment } from './sanitize';

export interface FragmentRenderer {
  /** Model output as nodes ready to insert: rendered, then sanitised. */
  render(text: string, env: RenderEnv): DocumentFragment;
  /** The code blocks under `root` rendered before the highlighter had loaded. */
  pendingCode(root: ParentNode): HTMLElement[];
  /** Colours a code block rendered before the highlighter had loaded (if it still waits for it). */
  highlightPending(code: HTMLElement, highlighter: Highlighter): void;
}

export function createFragmentRenderer(highlighting: CodeHighlighting): FragmentRenderer {
  const md = createMarkdownRenderer(highlighting);
  return {
    render: (text, env) => sanitizeToFragment(md.render(text, env)),
    pendingCode: (root) => [...root.querySelectorAll<HTMLElement>('code.hljs-pending')],
    highlightPending(code, highlighter) {
      if (!code.isConnected || !code.classList.contains('hljs-pending')) return;
      const language = [...code.classList].find((name) => name.startsWith('language-'))?.slice('language-'.length);
      code.classList.remove('hljs-pending');
      if (!language) return;
      // The highlighted HTML goes through the same gate as everything else the model wrote.
      code.replaceChildren(sanitizeToFragment(highlighter.highlight(code.textContent ?? '', language)));
    },
  };
}

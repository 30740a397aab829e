// Model output → HTML string: markdown-it with raw HTML off, highlight.js for code. Pure (no DOM), so it
// runs under plain Node in unit tests; the browser side sanitises the result before it touches the page.
import MarkdownIt from 'markdown-it';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const languages = { bash, c, cpp, csharp, css, diff, go, java, javascript, json, kotlin, markdown, php, python, ruby, rust, shell, sql, swift, typescript, xml, yaml };
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);
// VS Code language ids that highlight.js knows under another name.
hljs.registerAliases(['typescriptreact', 'tsx'], { languageName: 'typescript' });
hljs.registerAliases(['javascriptreact', 'jsx'], { languageName: 'javascript' });
hljs.registerAliases(['shellscript', 'sh', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });

/** Code blocks longer than this are shown unhighlighted: highlighting cost grows with size. */
const maxHighlightChars = 100_000;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// Finished code blocks are highlighted once: the final render and re-opened chats reuse the result.
const highlightCache = new Map<string, string>();
const highlightCacheSize = 200;

function highlight(code: string, language: string): string {
  if (!language || code.length > maxHighlightChars || !hljs.getLanguage(language)) return escapeHtml(code);
  const key = `${language}\u0000${code}`;
  const cached = highlightCache.get(key);
  if (cached !== undefined) return cached;
  const html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
  highlightCache.set(key, html);
  if (highlightCache.size > highlightCacheSize) highlightCache.delete(highlightCache.keys().next().value!);
  return html;
}

/** Passed to `render()` while streaming: the last code block has not been closed yet. */
export interface RenderEnv {
  openFence?: boolean;
}

export function createMarkdownRenderer(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

  md.renderer.rules.fence = (tokens, idx, _options, env: RenderEnv | undefined) => {
    const token = tokens[idx]!;
    const language = token.info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const known = hljs.getLanguage(language) ? language : '';
    const codeClass = known ? `hljs language-${escapeHtml(known)}` : 'hljs';
    // A block still growing is shown plain (cheap per frame) and highlighted once it is closed.
    const growing = env?.openFence === true && !tokens.slice(idx + 1).some((t) => t.type === 'fence');
    const body = growing ? escapeHtml(token.content) : highlight(token.content, known);
    return `<pre><code class="${codeClass}">${body}</code></pre>\n`;
  };

  // Remote images would let model output make requests (tracking, exfiltration): show them as links.
  md.renderer.rules.image = (tokens, idx) => {
    const token = tokens[idx]!;
    const src = token.attrGet('src') ?? '';
    const alt = token.content || src;
    return `<a href="${escapeHtml(src)}">${escapeHtml(`image: ${alt}`)}</a>`;
  };

  return md;
}

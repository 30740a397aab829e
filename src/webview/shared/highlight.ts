// highlight.js with the grammars code blocks are coloured in: a chunk of its own (media/), which the panels load
// when the first code block arrives (lazyMarkdown.ts). The last few finished blocks are kept highlighted, so an
// answer's final render and a chat opened again from the history in the same page reuse them.
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
import { vsCodeAliases } from './codeLanguages';
import type { Highlighter } from './markdown';

const grammars = { bash, c, cpp, csharp, css, diff, go, java, javascript, json, kotlin, markdown, php, python, ruby, rust, shell, sql, swift, typescript, xml, yaml };
for (const [name, grammar] of Object.entries(grammars)) hljs.registerLanguage(name, grammar);
for (const [name, aliases] of Object.entries(vsCodeAliases)) hljs.registerAliases([...aliases], { languageName: name });

const cache = new Map<string, string>();
/**
 * A page lives only while its panel is shown, so the cache serves re-renders within one page (the end of an
 * answer, a chat opened again from the history): a few blocks; more only grows the heap (bench: --part memory).
 */
const cacheSize = 16;

export const highlighter: Highlighter = {
  highlight(code, language) {
    const key = `${language}\u0000${code}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
    cache.set(key, html);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
    return html;
  },
};


// The languages code blocks are coloured in, by every name a fence may give them: known before highlight.js
// itself has loaded (it is a chunk of its own), so a block is labelled and styled the same either way.

/** highlight.js's own grammar names with their aliases (kept equal to highlight.js by a unit test). */
const grammarAliases: Record<string, readonly string[]> = {
  bash: ['sh', 'zsh'],
  c: ['h'],
  cpp: ['cc', 'c++', 'h++', 'hpp', 'hh', 'hxx', 'cxx'],
  csharp: ['cs', 'c#'],
  css: [],
  diff: ['patch'],
  go: ['golang'],
  java: ['jsp'],
  javascript: ['js', 'jsx', 'mjs', 'cjs'],
  json: ['jsonc', 'json5'],
  kotlin: ['kt', 'kts', 'ktm', 'ktx'],
  markdown: ['md', 'mkdown', 'mkd'],
  php: [],
  python: ['py', 'gyp', 'ipython'],
  ruby: ['rb', 'gemspec', 'podspec', 'thor', 'irb'],
  rust: ['rs'],
  shell: ['console', 'shellsession'],
  sql: [],
  swift: [],
  typescript: ['ts', 'tsx', 'mts', 'cts'],
  xml: ['html', 'xhtml', 'rss', 'atom', 'xjb', 'xsd', 'xsl', 'plist', 'wsf', 'svg'],
  yaml: ['yml'],
};

/** VS Code language ids that highlight.js knows under another name. */
export const vsCodeAliases: Record<string, readonly string[]> = {
  typescript: ['typescriptreact'],
  javascript: ['javascriptreact'],
  bash: ['shellscript'],
};

export const grammarNames: readonly string[] = Object.keys(grammarAliases);

const known = new Set([...Object.entries(grammarAliases), ...Object.entries(vsCodeAliases)].flatMap(([name, aliases]) => [name, ...aliases]));

/** The fence's language when code blocks in it are coloured, otherwise ''. `info` is already lower case. */
export function codeLanguage(info: string): string {
  return known.has(info) ? info : '';
}

/** Every name codeLanguage accepts (for the test that keeps this table equal to highlight.js). */
export function knownLanguageNames(): readonly string[] {
  return [...known];
}

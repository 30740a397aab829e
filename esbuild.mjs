// Bundles the extension (Node, CommonJS) and the chat, Compare Models and Usage webviews (browser, ES modules) into dist/ and media/.
import * as esbuild from 'esbuild';
import subsetFont from 'subset-font';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build errors in the `file:line:col: error: text` form VS Code's problem matchers read. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/** @satisfies {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcher],
  legalComments: 'none',
};

/**
 * Packages no part of start-up needs go into files of their own (dist/<name>.js), which the code requires
 * on first use (src/openrouter/undici.ts, lazyPackages.ts, src/config/userOnlySettings.ts): undici (most of the extension's code) on the first
 * connection, p-retry and eventsource-parser with the first call, jsonc-parser when a workspace has
 * settings to check, picomatch and secretlint (src/exclusion) with the first check of what may be sent, the JSON
 * Schema validator (src/agent) with the first tool call.
 * The first-load bundle stays small.
 */
const lazyPackages = ['undici', 'p-retry', 'eventsource-parser', 'jsonc-parser', 'picomatch', '@secretlint/core', '@secretlint/secretlint-rule-preset-recommend', '@cfworker/json-schema'];
const packagesApart = {
  name: 'packages-apart',
  setup(build) {
    const filter = new RegExp(`^(${lazyPackages.map((name) => name.replace(/[./]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, ({ path }) => ({ path: `./${path}.js`, external: true }));
  },
};
/** src/extension.ts requires the features (src/features.ts) on first use: dist/features.js, built apart. */
const featuresApart = {
  name: 'features-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/features$/ }, ({ importer }) => (importer.endsWith('extension.ts') ? { path: './features.js', external: true } : undefined));
  },
};
const requireHere = createRequire(import.meta.url);

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    plugins: [...common.plugins, packagesApart, featuresApart],
    entryPoints: { extension: 'src/extension.ts', features: 'src/features.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // jsonc-parser's `main` is a UMD build whose requires esbuild cannot follow; its `module` build bundles cleanly.
    mainFields: ['module', 'main'],
  },
  ...lazyPackages.map((name) => /** @satisfies {import('esbuild').BuildOptions} */ ({
    ...common,
    // jsonc-parser's `main` is a UMD build esbuild cannot follow; its ES module build bundles cleanly.
    entryPoints: { [name]: requireHere.resolve(name === 'jsonc-parser' ? 'jsonc-parser/lib/esm/main.js' : name) },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
  })),
];
/**
 * The chat panel's icons: VS Code's own (@vscode/codicons), as a style sheet naming only the glyphs the panel uses
 * (the package's sheet names 500+) with the font cut down to those glyphs (subset-font: 126 KB → a few KB) and
 * written into the sheet. The sheet is part of the chat's page (panelStyles): its icons are drawn with its first
 * frame, and the page fetches no font.
 */
const panelIcons = ['copy', 'refresh', 'chevron-down', 'edit', 'send', 'debug-stop', 'check', 'close', 'trash', 'attach', 'file-media', 'file-pdf'];
async function writeCodicons() {
  const dir = dirname(requireHere.resolve('@vscode/codicons/dist/codicon.css'));
  const sheet = readFileSync(join(dir, 'codicon.css'), 'utf8');
  /** @param {string} name @returns {string} the glyph's code point, in hex */
  const codepoint = (name) => {
    const found = new RegExp(`\\.codicon-${name}:before \\{ content: "\\\\([0-9a-f]+)" \\}`).exec(sheet);
    if (!found?.[1]) throw new Error(`@vscode/codicons has no icon named ${name}`);
    return found[1];
  };
  const glyph = (name) => `.codicon-${name}::before { content: "\\${codepoint(name)}"; }`;
  const glyphs = panelIcons.map((name) => String.fromCodePoint(Number.parseInt(codepoint(name), 16))).join('');
  const font = await subsetFont(readFileSync(join(dir, 'codicon.ttf')), glyphs, { targetFormat: 'truetype' });
  mkdirSync('media', { recursive: true });
  rmSync('media/codicon.ttf', { force: true });
  const rules = [
    '/* Generated by esbuild.mjs from @vscode/codicons (MIT): the glyphs the chat panel uses, and only their font. */',
    `@font-face { font-family: "codicon"; font-display: block; src: url("data:font/ttf;base64,${font.toString('base64')}") format("truetype"); }`,
    '.codicon { font: normal normal normal 16px/1 codicon; display: inline-block; text-decoration: none; text-align: center; -webkit-font-smoothing: antialiased; user-select: none; }',
    ...panelIcons.map(glyph),
  ];
  writeFileSync('media/codicons.css', `${rules.join('\n')}\n`);
}

/**
 * Each panel's style sheets joined into one, in cascade order (media/<panel>.page.css): a page's script waits for
 * its sheets, and in VS Code each sheet is a fetch of its own through the webview's resource loader (a panel's
 * open waited for eight).
 */
const panelStyles = {
  chat: ['codicons.css', 'highlight.css', 'buttons.css', 'markdown.css', 'notices.css', 'chat.css', 'turns.css', 'composer.css', 'agent.css'],
  compare: ['highlight.css', 'buttons.css', 'markdown.css', 'notices.css', 'compare.css'],
  usage: ['buttons.css', 'usage.css'],
};
/**
 * A sheet's text, refused when esbuild's CSS parser warns about it: once sheets are joined, an unclosed rule in one
 * swallows (by CSS nesting) every rule of the next, and a stray brace drops the rule after it.
 */
function checkedSheet(sheet) {
  const text = readFileSync(join('media', sheet), 'utf8');
  const { warnings } = esbuild.transformSync(text, { loader: 'css', sourcefile: `media/${sheet}`, logLevel: 'silent' });
  if (warnings.length) {
    throw new Error(warnings.map((w) => `media/${sheet}:${w.location?.line ?? '?'}: ${w.text}`).join('\n'));
  }
  return text;
}

function writePanelStyles() {
  for (const [panel, sheets] of Object.entries(panelStyles)) {
    const joined = sheets.map((sheet) => `/* ${sheet} */\n${checkedSheet(sheet)}`).join('\n');
    // Written into the page's <style> element (src/util/panelAssets.ts), which this would end.
    if (/<\/style/i.test(joined)) throw new Error(`media/${panel}.page.css cannot be written into its page: it contains </style`);
    writeFileSync(`media/${panel}.page.css`, `/* Generated by esbuild.mjs: ${sheets.join(', ')}. */\n${joined}`);
  }
}

/**
 * The three panels (chat, Compare Models, Usage). Each panel's first script (media/<panel>.js, an ES module with
 * what it needs to take input) is written into its page with its joined sheet (src/util/panelAssets.ts): the page
 * fetches nothing before it runs, and VS Code shows it at its `load` event. So the first script is one file that
 * imports nothing statically (no splitting). What loads when first needed is built apart, once for the chat and
 * Compare Models, under fixed names the pages import by the media folder's URL (src/webview/shared/lazyChunks.ts):
 * media/lazy-markdown.js (markdown-it with DOMPurify, src/webview/shared/markdownChunk.ts) and media/lazy-highlight.js
 * (highlight.js), which share their common code as media/lazy-shared-<hash>.js. Chunks of an earlier build are
 * removed first: the VSIX packs media/*.js.
 */
const panels = { chat: 'src/webview/chat/main.ts', compare: 'src/webview/compare/main.ts', usage: 'src/webview/usage/main.ts' };
const lazyChunks = { 'lazy-markdown': 'src/webview/shared/markdownChunk.ts', 'lazy-highlight': 'src/webview/shared/highlight.ts' };
// `--panels=<dir>`: only the panels, into another folder (the unit test that holds each first script to 100 KB).
const panelsDir = process.argv.find((arg) => arg.startsWith('--panels='))?.slice('--panels='.length);
if (panelsDir) builds.splice(0, builds.length);
else if (!process.argv.includes('--tests')) {
  await writeCodicons();
  writePanelStyles();
  for (const file of readdirSync('media')) if (/^(\w+-[\w-]+-\w+|lazy-[\w-]+)\.js(\.map)?$/.test(file)) rmSync(join('media', file));
}
/** A first script is written into a `<script>` element: nothing in it may end that element or open a comment there. */
const inlineSafe = {
  name: 'inline-safe',
  setup(build) {
    build.onEnd((result) => {
      for (const file of result.outputFiles ?? []) {
        if (file.path.endsWith('.js') && /<\/script|<!--/i.test(file.text)) throw new Error(`${file.path} cannot be written into its page: it contains </script or <!--`);
      }
      for (const file of result.outputFiles ?? []) {
        mkdirSync(dirname(file.path), { recursive: true });
        writeFileSync(file.path, file.contents);
      }
    });
  },
};
/** @satisfies {import('esbuild').BuildOptions} */
const browser = { ...common, outdir: panelsDir ?? 'media', platform: 'browser', format: 'esm', target: 'es2022' };
builds.push({ ...browser, entryPoints: lazyChunks, chunkNames: 'lazy-shared-[hash]', splitting: true });
for (const [panel, entry] of Object.entries(panels)) {
  // Written into the page, so a source map is too (development builds only).
  builds.push({ ...browser, entryPoints: { [panel]: entry }, sourcemap: production ? false : 'inline', write: false, plugins: [inlineSafe, ...common.plugins] });
}

// `--tests` builds only the suites that run inside VS Code's extension host (mocha stays external: it loads the test files),
// and the benchmark that measures the host's heap there (test/bench/host-suite/).
if (process.argv.includes('--tests')) {
  // A suite file renamed or removed must not run from an old bundle: the suites load every *.test.js found there.
  rmSync('out/test', { recursive: true, force: true });
  const suiteEntries = readdirSync('test', { recursive: true })
    .map((file) => `test/${file.replaceAll('\\', '/')}`)
    .filter((file) => /^test\/(integration\/(index|.*\.test)|vscode-host\/vsix-suite\/[^/]+|bench\/host-suite\/[^/]+)\.ts$/.test(file));
  builds.splice(0, builds.length, {
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: suiteEntries,
    outbase: 'test',
    outdir: 'out/test',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  });
}

// `--metafile=<dir>`: also write each bundle's esbuild metafile (what went in, how big) for the startup benchmark.
const metafileDir = process.argv.find((arg) => arg.startsWith('--metafile='))?.slice('--metafile='.length);
if (metafileDir) for (const options of builds) options.metafile = true;

const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  const results = await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  if (metafileDir) {
    const { basename } = await import('node:path');
    mkdirSync(metafileDir, { recursive: true });
    builds.forEach((options, index) => {
      const file = join(metafileDir, `${options.outfile ? basename(options.outfile) : `${Object.keys(options.entryPoints ?? {})[0]}.js`}.meta.json`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(results[index]?.metafile));
    });
  }
}

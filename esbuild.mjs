// Bundles the extension (Node, CommonJS) and the chat, Compare Models and Usage webviews (browser, IIFE) into dist/ and media/.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
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
 * settings to check. The first-load bundle stays small.
 */
const lazyPackages = ['undici', 'p-retry', 'eventsource-parser', 'jsonc-parser'];
const packagesApart = {
  name: 'packages-apart',
  setup(build) {
    const filter = new RegExp(`^(${lazyPackages.join('|')})$`);
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
  ...lazyPackages.map((name) => ({
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
if (existsSync('src/webview/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'media/chat.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

if (existsSync('src/webview/compare/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['src/webview/compare/main.ts'],
    outfile: 'media/compare.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

if (existsSync('src/webview/usage/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['src/webview/usage/main.ts'],
    outfile: 'media/usage.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

// `--tests` builds only the suites that run inside VS Code's extension host (mocha stays external: it loads the test files).
if (process.argv.includes('--tests')) {
  const suiteEntries = readdirSync('test', { recursive: true })
    .map((file) => `test/${file.replaceAll('\\', '/')}`)
    .filter((file) => /^test\/(integration\/(index|.*\.test)|vscode-host\/vsix-suite\/[^/]+)\.ts$/.test(file));
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
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { basename, join } = await import('node:path');
    mkdirSync(metafileDir, { recursive: true });
    results.forEach((result, index) => writeFileSync(join(metafileDir, `${builds[index].outfile ? basename(builds[index].outfile) : `${Object.keys(builds[index].entryPoints)[0]}.js`}.meta.json`), JSON.stringify(result.metafile)));
  }
}

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hljs from 'highlight.js/lib/core';
import '../../src/webview/shared/highlight';
import { codeLanguage, grammarNames, knownLanguageNames } from '../../src/webview/shared/codeLanguages';

describe('the panels\' first scripts', () => {
  let out: string;
  before(function () {
    this.timeout(120_000);
    out = mkdtempSync(join(tmpdir(), 'orvt-bundles-'));
    // The production build of the three panels (esbuild.mjs), written to a scratch folder: media/ is left alone.
    execFileSync(process.execPath, ['esbuild.mjs', '--production', `--panels=${out}`], { cwd: join(__dirname, '..', '..') });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  for (const panel of ['chat', 'compare', 'usage']) {
    it(`${panel}: one first script of at most 100 KB that imports nothing before it takes input (highlight.js and markdown-it load later)`, () => {
      const text = readFileSync(join(out, `${panel}.js`), 'utf8');
      assert.ok(text.length <= 100 * 1024, `${panel}.js: ${(text.length / 1024).toFixed(1)} KB`);
      assert.doesNotMatch(text, /(?:^|[;}])import\s*(?:[^"'()]*from\s*)?["']/, 'no static import: the page fetches nothing before the script runs');
      assert.doesNotMatch(text, /hljs-|DOMPurify|linkify/i, 'no highlighting, sanitiser or markdown parser on the first load');
      assert.doesNotMatch(text, /<\/script|<!--/i, 'it can be written into its page');
    });
  }

  it('chat and compare fetch markdown and highlighting from one shared pair of files, when first needed', () => {
    const built = readdirSync(out);
    for (const file of ['lazy-markdown.js', 'lazy-highlight.js']) assert.ok(built.includes(file), `${file} in ${built.join(', ')}`);
    assert.match(readFileSync(join(out, 'lazy-markdown.js'), 'utf8'), /DOMPurify|linkify/i);
    assert.match(readFileSync(join(out, 'lazy-highlight.js'), 'utf8'), /hljs-/);
    for (const panel of ['chat', 'compare']) {
      const text = readFileSync(join(out, `${panel}.js`), 'utf8');
      for (const file of ['lazy-markdown.js', 'lazy-highlight.js']) assert.ok(text.includes(`"${file}"`), `${panel}.js names ${file}`);
    }
    assert.deepEqual(built.filter((file) => /^(chat|compare|usage)-/.test(file)), [], 'no per-panel copies of the chunks');
  });
});

describe('code languages known before highlight.js loads', () => {
  it('are exactly the names and aliases highlight.js knows for the grammars it is given', () => {
    for (const name of knownLanguageNames()) assert.ok(hljs.getLanguage(name), `highlight.js does not know ${name}`);
    for (const grammar of grammarNames) {
      for (const alias of hljs.getLanguage(grammar)?.aliases ?? []) assert.equal(codeLanguage(alias), alias, `${grammar}'s alias ${alias} is missing`);
    }
    assert.deepEqual([...grammarNames].sort(), hljs.listLanguages().sort());
  });

  it('refuses names highlight.js does not know', () => {
    assert.equal(codeLanguage('klingon'), '');
    assert.equal(codeLanguage('"><script>'), '');
  });
});

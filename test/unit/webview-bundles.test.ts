import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

  /** The first script and what it imports statically: what the page parses before it takes input. */
  function firstLoad(panel: string): { files: string[]; bytes: number } {
    const files: string[] = [];
    const visit = (file: string): void => {
      if (files.includes(file)) return;
      files.push(file);
      for (const [, imported] of readFileSync(join(out, file), 'utf8').matchAll(/(?:^|[;}])import\s*(?:[^"'()]*from\s*)?"\.\/([^"]+)"/g)) visit(imported!);
    };
    visit(`${panel}.js`);
    return { files, bytes: files.reduce((sum, file) => sum + statSync(join(out, file)).size, 0) };
  }

  for (const panel of ['chat', 'compare', 'usage']) {
    it(`${panel}: parses at most 100 KB before it takes input (highlight.js and markdown-it load later)`, () => {
      const { files, bytes } = firstLoad(panel);
      assert.ok(bytes <= 100 * 1024, `${files.join(' + ')}: ${(bytes / 1024).toFixed(1)} KB`);
      const text = files.map((file) => readFileSync(join(out, file), 'utf8')).join('\n');
      assert.doesNotMatch(text, /hljs-|DOMPurify|linkify/i, 'no highlighting, sanitiser or markdown parser on the first load');
    });
  }

  it('chat and compare fetch markdown and highlighting as chunks of their own, next to the first script', () => {
    const chunks = readdirSync(out).filter((file) => /^(chat|compare)-/.test(file));
    for (const panel of ['chat', 'compare']) {
      const lazy = [...readFileSync(join(out, `${panel}.js`), 'utf8').matchAll(/import\("\.\/([^"]+)"\)/g)].map((m) => m[1]!);
      assert.equal(lazy.length, 2, `${panel} imports two chunks on demand: ${lazy.join(', ')}`);
      for (const file of lazy) assert.ok(chunks.includes(file), file);
    }
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

// Packages the extension (`npm run package`), checks the VSIX holds only what runs, installs it into
// the test VS Code and runs the vsix suite against the installed copy.
// Usage: node test/vscode-host/vsix-proof.mjs [--result-file f.json]  (needs `npm run build:tests`)
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vsixPath = join(repoRoot, 'dist', 'openrouter-vscode.vsix');
const { values: opts } = parseArgs({ options: { 'result-file': { type: 'string' } } });
const say = (line) => console.log(`[vsix] ${line}`);

/** File names in a zip archive, read from its central directory. */
export function zipEntries(buffer) {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    names.push(buffer.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

// What a VSIX may hold: vsce's manifest files, and from the extension only what runs (dist/ holds the lazily loaded
// packages of esbuild.mjs's `lazyPackages` in files of their own).
const ALLOWED = [/^\[Content_Types\]\.xml$/, /^extension\.vsixmanifest$/, /^extension\/package\.json$/, /^extension\/readme\.md$/i, /^extension\/changelog\.md$/i, /^extension\/LICENSE(\.txt|\.md)?$/i, /^extension\/dist\/(extension|features|undici|p-retry|eventsource-parser|jsonc-parser|picomatch|@secretlint\/core|@secretlint\/secretlint-rule-preset-recommend|@cfworker\/json-schema)\.js$/, /^extension\/media\/(?!.*\.map$)[^/]+$/];
const REQUIRED = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/features.js', 'extension/dist/undici.js', 'extension/dist/picomatch.js', 'extension/dist/@secretlint/core.js', 'extension/dist/@secretlint/secretlint-rule-preset-recommend.js', 'extension/dist/@cfworker/json-schema.js', 'extension/media/chat.js', 'extension/media/chat.css', 'extension/media/turns.css', 'extension/media/markdown.css', 'extension/media/agent.css', 'extension/media/composer.css', 'extension/media/highlight.css', 'extension/media/buttons.css', 'extension/media/compare.js', 'extension/media/compare.css', 'extension/media/usage.js', 'extension/media/usage.css', 'extension/media/chat.page.css', 'extension/media/compare.page.css', 'extension/media/usage.page.css'];

let passed = 0;
let failed = 0;
let skipped = 0;
const packaged = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
if (packaged.status !== 0) {
  say(`FAILED: npm run package exited ${packaged.status}\n${packaged.stdout}\n${packaged.stderr}`);
  failed++;
} else {
  const entries = zipEntries(readFileSync(vsixPath));
  const unexpected = entries.filter((name) => !ALLOWED.some((pattern) => pattern.test(name)));
  // The chunks the panels import when they first need them (markdown, highlighting), and the code those share, are packed.
  const chunks = ['lazy-markdown.js', 'lazy-highlight.js', ...['lazy-markdown.js', 'lazy-highlight.js'].flatMap((chunk) => [...readFileSync(join(repoRoot, 'media', chunk), 'utf8').matchAll(/from\s*"\.\/([\w-]+\.js)"/g)].map((m) => m[1]))].map((name) => `extension/media/${name}`);
  const missing = [...REQUIRED, ...chunks].filter((name) => !entries.includes(name));
  say(`${vsixPath}: ${entries.length} files`);
  for (const name of entries) say(`  ${name}`);
  if (unexpected.length || missing.length) {
    say(`FAILED: unexpected ${JSON.stringify(unexpected)}, missing ${JSON.stringify(missing)}`);
    failed++;
  } else {
    say('contents: only the manifest, README, dist/extension.js and media/');
    passed++;
    rmSync(join(repoRoot, 'test-results', 'vsix-suite.json'), { force: true });
    const run = spawnSync(process.execPath, [join(repoRoot, 'test', 'vscode-host', 'run-tests.mjs'), '--vsix', vsixPath, '--suite', 'out/test/vscode-host/vsix-suite/index.js', '--result-file', join(repoRoot, 'test-results', 'vsix-suite.json')], { cwd: repoRoot, stdio: 'inherit' });
    try {
      const result = JSON.parse(readFileSync(join(repoRoot, 'test-results', 'vsix-suite.json'), 'utf8'));
      passed += result.passed;
      skipped += result.skipped ?? 0;
      failed += result.failed || (run.status === 0 ? 0 : 1);
    } catch {
      failed++;
    }
  }
}
say(`vsix proof: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (opts['result-file']) writeFileSync(resolve(opts['result-file']), JSON.stringify({ suite: 'vsix', passed, failed, skipped, ok: failed === 0 }));
process.exit(failed === 0 ? 0 : 1);

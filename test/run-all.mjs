// `npm test`: first the set-up (test/vscode-host/setup.mjs: missing Debian packages, the VS Code test host;
// when it cannot be done nothing is tested), then type check, lint, build, the unit tests, the test harness's own tests, the emulator's own
// tests, the system suite (real nginx and squid), the suite inside a real VS Code, and the VSIX proof.
// Prints each stage's result and ends with one line `total: N passed, M failed` (every suite's tests),
// followed by `, K skipped` when tests were skipped. A skip not listed in test/expectedSkips.ts is
// already counted as failed by the suite that saw it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(repoRoot, 'test-results');
mkdirSync(resultsDir, { recursive: true });

/** Runs a command, echoing its output, and returns its exit code and output. */
function run(cmd, args) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const echo = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('error', (error) => done({ code: 1, output: String(error) }));
    child.on('close', (code, signal) => done({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** `N passed, M failed[, K skipped]`, the counts line every suite prints. */
function countsLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

/**
 * Counts from a Node suite's closing line (`unit: N passed, M failed, K skipped`, printed by
 * test/mochaSpecWithSkips.ts, which counts unexpected skips as failed); none when it is missing (mocha did
 * not get to the end).
 */
const mochaCounts = (suite) => (output) => {
  const line = [...output.matchAll(new RegExp(`^${suite}: (\\d+) passed, (\\d+) failed(?:, (\\d+) skipped)?$`, 'gm'))].at(-1);
  return line ? { passed: Number(line[1]), failed: Number(line[2]), skipped: Number(line[3] ?? 0) } : { passed: 0, failed: 1, skipped: 0 };
};

/**
 * Mocha's closing list of failures (from its `N failing` line on), without colours and at most `maxLines`
 * long, so the summary at the very end says which tests failed and why; none when nothing failed.
 */
function failingBlock(output, maxLines = 40) {
  // eslint-disable-next-line no-control-regex -- terminal colour codes are what this removes
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const starts = [...plain.matchAll(/^ *\d+ failing$/gm)];
  const start = starts.at(-1);
  if (!start) return undefined;
  const lines = plain.slice(start.index).split('\n').map((line) => line.trimEnd());
  const kept = lines.filter((line) => !/^ +at /.test(line) && !/^(unit|emulator|system|integration|vsix): \d+ passed/.test(line));
  const block = kept.slice(0, maxLines);
  if (kept.length > maxLines) block.push(`  … ${kept.length - maxLines} more lines above, in the stage's output`);
  return block.join('\n').trimEnd();
}

function readResult(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const stages = [];
// Each failed stage's list of failing tests, repeated after the summary.
const failures = [];
// What the test stages printed, for the secrets scan.
const testOutputs = [];
let passed = 0;
let failed = 0;
let skipped = 0;

async function stage(name, steps, counts) {
  const begun = Date.now();
  console.log(`\n=== ${name} ===`);
  let code = 0;
  let output = '';
  for (const [cmd, ...args] of steps) {
    const result = await run(cmd, args);
    output += result.output;
    code = result.code;
    if (code !== 0) break;
  }
  let line = code === 0 ? 'ok' : `FAILED (exit ${code})`;
  // A failed check (types, lint, build) counts once in the total, so the closing line never hides it.
  if (!counts && code !== 0) failed += 1;
  if (counts) {
    testOutputs.push({ where: `${name} output`, text: output });
    const found = counts(output);
    // A runner that fails without reporting a failure (crash, load error) still counts as one.
    const stageFailed = code !== 0 ? Math.max(found.failed, 1) : found.failed;
    passed += found.passed;
    failed += stageFailed;
    skipped += found.skipped;
    line = `${code === 0 ? 'ok' : 'FAILED'}: ${found.passed} passed, ${stageFailed} failed, ${found.skipped} skipped`;
    const block = stageFailed > 0 ? failingBlock(output) : undefined;
    if (block) failures.push(`--- ${name} ---\n${block}`);
  }
  const seconds = ((Date.now() - begun) / 1000).toFixed(1);
  stages.push(`${name.padEnd(22)} ${line} (${seconds} s)`);
  console.log(`=== ${name}: ${line} (${seconds} s) ===`);
  return code === 0;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const vscodeSuite = (file) => () => {
  const result = readResult(join(resultsDir, file));
  return result ? { passed: result.passed, failed: result.failed, skipped: result.skipped ?? 0 } : { passed: 0, failed: 1, skipped: 0 };
};
rmSync(join(resultsDir, 'integration.json'), { force: true });
rmSync(join(resultsDir, 'vsix.json'), { force: true });
rmSync(join(resultsDir, 'vsix-suite.json'), { force: true });

// Before any test: what the stages need. It prints what it installs, or the one command to run.
const setupBegun = Date.now();
console.log('=== set-up ===');
const setup = spawnSync(process.execPath, ['test/vscode-host/setup.mjs', '--purpose', 'npm test'], { cwd: repoRoot, stdio: 'inherit' });
if (setup.status !== 0) {
  console.log('=== set-up FAILED: nothing was tested ===');
  process.exit(1);
}
stages.push(`${'set-up'.padEnd(22)} ok (${((Date.now() - setupBegun) / 1000).toFixed(1)} s)`);

const typesOk = await stage('type check', [[npm, 'run', 'check-types']]);
const lintOk = await stage('lint', [[npm, 'run', 'lint']]);
const built = await stage('build', [[npm, 'run', 'build'], [npm, 'run', 'build:tests']]);
await stage('unit tests', [[npm, 'run', 'test:unit']], mochaCounts('unit'));
await stage('harness tests', [[npm, 'run', 'test:harness']], mochaCounts('harness'));
await stage('emulator tests', [[npm, 'run', 'test:emulator']], mochaCounts('emulator'));
// After the set-up above, which installed (or explained how to install) nginx and squid.
await stage('system (nginx, squid)', [[npm, 'run', 'test:system']], mochaCounts('system'));
if (built) {
  await stage('integration (VS Code)', [[process.execPath, 'test/vscode-host/run-tests.mjs', '--result-file', join(resultsDir, 'integration.json')]], vscodeSuite('integration.json'));
  await stage('VSIX install proof', [[process.execPath, 'test/vscode-host/vsix-proof.mjs', '--result-file', join(resultsDir, 'vsix.json')]], vscodeSuite('vsix.json'));
} else {
  // Without a build there is nothing to run in VS Code: both suites count as failed.
  failed += 2;
  stages.push('integration (VS Code)  not run: the build failed', 'VSIX install proof     not run: the build failed');
}

/** The test stages' output scanned here, the VS Code runs' folders and streams by their harness. */
async function secretsLine() {
  try {
    const { describeScan, scanForSecrets } = await tsImport('./secretScan.ts', import.meta.url);
    const report = scanForSecrets({ texts: testOutputs });
    const problems = [];
    for (const file of ['integration.json', 'vsix-suite.json']) {
      const secrets = readResult(join(resultsDir, file))?.secrets;
      if (!secrets) continue;
      if (secrets.error) problems.push(`${file}: scan failed (${secrets.error})`);
      report.occurrences += secrets.occurrences ?? 0;
      report.files += secrets.files ?? 0;
      report.outputs += secrets.outputs ?? 0;
      report.findings.push(...(secrets.foundIn ?? []).map((finding) => ({ ...finding, where: `${file}: ${finding.where}` })));
    }
    const line = describeScan(report);
    return { ok: report.occurrences === 0 && problems.length === 0, line: [line, ...problems].join('; ') };
  } catch (error) {
    return { ok: false, line: `secrets: the scan did not run (${error instanceof Error ? error.message : error})` };
  }
}
const secrets = await secretsLine();
if (!secrets.ok) failed += 1;
stages.push(`${'secrets scan'.padEnd(22)} ${secrets.ok ? 'ok' : 'FAILED'}: ${secrets.line}`);

console.log('\n=== summary ===');
for (const line of stages) console.log(line);
if (failures.length > 0) console.log(`\n=== what failed ===\n${failures.join('\n')}\n`);
const ok = typesOk && lintOk && built && secrets.ok && failed === 0;
process.exitCode = ok ? 0 : 1;
console.log(`total: ${countsLine({ passed, failed, skipped })}`);

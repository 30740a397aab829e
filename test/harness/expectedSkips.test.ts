import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countsLine, judgeSkips, skipReport, type ExpectedSkip } from '../expectedSkips';

const repoRoot = join(__dirname, '..', '..');

/** Runs mocha as the npm scripts do (the repository's .mocharc.json, its reporter) on one spec file. */
function mocha(spec: string, suite: string): { status: number | null; stdout: string; stderr: string } {
  const bin = join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
  return spawnSync(process.execPath, [bin, '--reporter-option', `suite=${suite}`, spec], { cwd: repoRoot, encoding: 'utf8' });
}

describe('expected skips', () => {
  let present = false;
  const list: ExpectedSkip[] = [{ suite: 'integration', title: /^needs a browser /, needs: 'a browser', missing: () => !present }];

  it('lets a listed test skip only while what it needs is missing, and only in its own suite', () => {
    present = false;
    assert.deepEqual(judgeSkips('integration', ['needs a browser clicks'], list), { expected: [{ title: 'needs a browser clicks', needs: 'a browser' }], unexpected: [] });
    assert.deepEqual(judgeSkips('unit', ['needs a browser clicks'], list).unexpected, ['needs a browser clicks']);
    present = true;
    assert.deepEqual(judgeSkips('integration', ['needs a browser clicks'], list).unexpected, ['needs a browser clicks']);
  });

  it('counts any other skip as unexpected, and says so', () => {
    present = false;
    const verdict = judgeSkips('integration', ['an it.skip left behind', 'needs a browser clicks'], list);
    assert.deepEqual(verdict.unexpected, ['an it.skip left behind']);
    const lines = skipReport(verdict);
    assert.ok(lines.some((line) => /^FAILED: unexpected skip .*: an it\.skip left behind$/.test(line)), lines.join('\n'));
    assert.ok(lines.some((line) => /^skipped \(expected: needs a browser\): needs a browser clicks$/.test(line)), lines.join('\n'));
  });

  it('prints counts as `N passed, M failed`, then `, K skipped` only when tests were skipped', () => {
    assert.equal(countsLine(3, 0, 0), '3 passed, 0 failed');
    assert.equal(countsLine(3, 1, 2), '3 passed, 1 failed, 2 skipped');
  });

  it('expects no skip from the unit tests or the code-server harness, which has a browser and the decoy', () => {
    const saved = { driver: process.env.VSCODE_TEST_DRIVER_URL, decoy: process.env.OPENROUTER_TEST_DECOY_BASE_URL };
    process.env.VSCODE_TEST_DRIVER_URL = 'http://127.0.0.1:1';
    process.env.OPENROUTER_TEST_DECOY_BASE_URL = 'https://127.0.0.1:2/api/v1';
    try {
      const titles = ['sidebar chat in the real VS Code streams', 'a workspace that tries to redirect the key sends nothing', 'anything else'];
      assert.deepEqual(judgeSkips('integration', titles).unexpected, titles);
      assert.deepEqual(judgeSkips('unit', titles).unexpected, titles);
    } finally {
      for (const [name, value] of [['VSCODE_TEST_DRIVER_URL', saved.driver], ['OPENROUTER_TEST_DECOY_BASE_URL', saved.decoy]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('ends each Node suite with its own counts line, which npm test adds up, and refuses a suite it does not know', function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'suite-line-'));
    try {
      const spec = join(dir, 'two.test.js');
      writeFileSync(spec, "it('passes', () => {});\nit.skip('was left behind', () => {});\n");
      const system = mocha(spec, 'system');
      assert.match(system.stdout, /^system: 1 passed, 1 failed, 1 skipped$/m, system.stdout + system.stderr);
      assert.notEqual(system.status, 0, 'an unexpected skip fails the suite');
      const unknown = mocha(spec, 'nightly');
      assert.notEqual(unknown.status, 0);
      assert.match(unknown.stdout + unknown.stderr, /suite=nightly: the suites run under plain Node are unit, harness, emulator, system/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

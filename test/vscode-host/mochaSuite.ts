// Runs the bundled mocha test files next to a suite's index inside the extension host, and prints the
// markers the harness reads: a summary line `<suite>: N passed, M failed[, K skipped]` and
// `TESTS_DONE failures=N passed=P skipped=K` (a crashed host never prints it). A skipped test not listed
// in test/expectedSkips.ts counts as failed.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { countsLine, judgeSkips, skipReport, type NODE_SUITES, type SuiteName } from '../expectedSkips';
import { browserAction, hasBrowserDriver } from './browser';

export interface SuiteOptions {
  /** Folder holding the bundled `*.test.js` files (searched recursively). */
  dir: string;
  /** Name printed in the summary line, and the suite named in test/expectedSkips.ts. */
  name: Exclude<SuiteName, (typeof NODE_SUITES)[number]>;
  timeoutMs?: number;
}

export function runMochaSuite({ dir, name, timeoutMs = 30_000 }: SuiteOptions): Promise<void> {
  const grep = process.env.VSCODE_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: timeoutMs, reporter: 'spec', rootHooks: { afterEach: screenshotAfterFailure }, ...(grep ? { grep } : {}) });
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    // `*.first.test.js` runs before every other file: it checks what the window showed at start-up (a notice later
    // suites may clear). `*.last.test.js` runs after them: what it turns on in VS Code for a test (the MCP test lets
    // VS Code start its AI features, which activates the built-in chat extension) stays on for the rest of the run.
    .sort((a, b) => runOrder(a) - runOrder(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const file of files) mocha.addFile(join(dir, file));
  return new Promise((resolve, reject) => {
    try {
      const skipped: string[] = [];
      const runner = mocha.run((failedTests) => {
        const passed = runner.stats?.passes ?? 0;
        const verdict = judgeSkips(name, skipped);
        for (const line of skipReport(verdict)) console.log(line);
        const failures = failedTests + verdict.unexpected.length;
        console.log(`${name}: ${countsLine(passed, failures, skipped.length)}`);
        console.log(`TESTS_DONE failures=${failures} passed=${passed} skipped=${skipped.length}`);
        if (failures > 0) reject(new Error(`${failures} test(s) failed.`));
        else resolve();
      });
      runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => skipped.push(test.fullTitle()));
    } catch (error) {
      console.error(`the ${name} suite could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** What the workbench showed when a test failed: test-results/screenshots/failed-<title>.png. */
async function screenshotAfterFailure(this: Mocha.Context): Promise<void> {
  const test = this.currentTest;
  if (!test || test.state !== 'failed' || !hasBrowserDriver()) return;
  const name = `failed-${test.fullTitle().replace(/[^\w.-]+/g, '-').slice(0, 80)}`;
  await browserAction('screenshot', { name }).catch((error: unknown) => console.log(`no screenshot of the failure: ${error instanceof Error ? error.message : String(error)}`));
}

function runOrder(file: string): number {
  return file.endsWith('.first.test.js') ? -1 : file.endsWith('.last.test.js') ? 1 : 0;
}

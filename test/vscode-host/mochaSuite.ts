// Runs the bundled mocha test files next to a suite's index inside the extension host, and prints the
// markers the harness reads: a summary line and `TESTS_DONE failures=N` (a crashed host never prints it).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface SuiteOptions {
  /** Folder holding the bundled `*.test.js` files (searched recursively). */
  dir: string;
  /** Name printed in the summary line, e.g. `integration`. */
  name: string;
  timeoutMs?: number;
}

export function runMochaSuite({ dir, name, timeoutMs = 30_000 }: SuiteOptions): Promise<void> {
  const grep = process.env.VSCODE_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: timeoutMs, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(join(dir, file));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passed = runner.stats?.passes ?? 0;
        console.log(`${name}: ${passed} passed, ${failures} failed`);
        console.log(`TESTS_DONE failures=${failures} passed=${passed}`);
        if (failures > 0) reject(new Error(`${failures} test(s) failed.`));
        else resolve();
      });
    } catch (error) {
      console.error(`the ${name} suite could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

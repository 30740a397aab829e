// The mocha reporter of the suites run under plain Node (unit, emulator, system): mocha's `spec` output, then
// why each test was skipped, and a closing line `<suite>: N passed, M failed[, K skipped]`, the suite named by
// `--reporter-option suite=<name>` (default `unit`). A skip not listed in test/expectedSkips.ts (or listed but
// skipped while what it needs is present) is a failure: it is counted as failed and mocha exits non-zero.
import Mocha from 'mocha';
import { countsLine, judgeSkips, NODE_SUITES, skipReport, type SuiteName } from './expectedSkips';

/** The suite named by `--reporter-option suite=<name>`; an unknown name is an error, not a silent `unit`. */
function suiteOf(options: Mocha.MochaOptions | undefined): SuiteName {
  const named = (options as { reporterOption?: { suite?: string } } | undefined)?.reporterOption?.suite ?? 'unit';
  const suite = NODE_SUITES.find((name) => name === named);
  if (!suite) throw new Error(`--reporter-option suite=${named}: the suites run under plain Node are ${NODE_SUITES.join(', ')}`);
  return suite;
}

class SpecWithSkips extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const suite = suiteOf(options);
    const skipped: string[] = [];
    let passed = 0;
    let failed = 0;
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => skipped.push(test.fullTitle()));
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => (passed += 1));
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => (failed += 1));
    // Registered before mocha's own end handler, which reads `runner.failures` for the exit code.
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const verdict = judgeSkips(suite, skipped);
      for (const line of skipReport(verdict)) console.log(line);
      (runner as unknown as { failures: number }).failures += verdict.unexpected.length;
      console.log(`${suite}: ${countsLine(passed, failed + verdict.unexpected.length, skipped.length)}`);
    });
  }
}

export = SpecWithSkips;

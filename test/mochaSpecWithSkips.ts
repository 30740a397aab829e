// The unit tests' mocha reporter: mocha's `spec` output, then why each test was skipped, and a closing
// line `unit: N passed, M failed[, K skipped]`. A skip not listed in test/expectedSkips.ts (or listed but
// skipped while what it needs is present) is a failure: it is counted as failed and mocha exits non-zero.
import Mocha from 'mocha';
import { countsLine, judgeSkips, skipReport } from './expectedSkips';

class SpecWithSkips extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const skipped: string[] = [];
    let passed = 0;
    let failed = 0;
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => skipped.push(test.fullTitle()));
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => (passed += 1));
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => (failed += 1));
    // Registered before mocha's own end handler, which reads `runner.failures` for the exit code.
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const verdict = judgeSkips('unit', skipped);
      for (const line of skipReport(verdict)) console.log(line);
      (runner as unknown as { failures: number }).failures += verdict.unexpected.length;
      console.log(`unit: ${countsLine(passed, failed + verdict.unexpected.length, skipped.length)}`);
    });
  }
}

export = SpecWithSkips;

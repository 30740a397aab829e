// The tests that may be skipped, each with what it needs and a check that this is really missing.
// Any other skipped or pending test (`it.skip`, `this.skip()`, a test without a body), or a listed one
// skipped while what it needs is present, counts as a failure: a skip must never hide a test that
// should have run. The unit reporter (test/mochaSpecWithSkips.ts) and the VS Code suites
// (test/vscode-host/mochaSuite.ts) both judge their skips here.

/** The suites run by mocha under plain Node (test/mochaSpecWithSkips.ts judges their skips). */
export const NODE_SUITES = ['unit', 'harness', 'emulator', 'system'] as const;
export type SuiteName = (typeof NODE_SUITES)[number] | 'integration' | 'vsix';

export interface ExpectedSkip {
  suite: SuiteName;
  /** Matches the skipped test's full title (its describe titles and its own, joined by spaces). */
  title: RegExp;
  /** What the test needs, shown next to it in the output. */
  needs: string;
  /** True when what the test needs is missing in this run, which is what makes the skip legitimate. */
  missing(): boolean;
}

/** Tests that act in the browser: under `@vscode/test-electron` there is no browser to drive. */
const browserDriven: readonly RegExp[] = [
  /^the real UI, driven through the browser /,
  /^sidebar chat/,
  /^smoke: the extension in a real VS Code lists its commands in the command palette$/,
  /^activation in a focused window the features load by themselves/,
  /^OpenRouter models in the editor’s chat \(vscode\.lm\) offers the key, the default model and the routing settings/,
  /^OpenRouter models in the editor’s chat \(vscode\.lm\) routing sends the same routing from the sidebar chat/,
  /^inline completions in the editor shows the ghost text/,
];

export const expectedSkips: readonly ExpectedSkip[] = [
  ...browserDriven.map((title): ExpectedSkip => ({
    suite: 'integration',
    title,
    needs: 'a browser to drive (the code-server harness has one; @vscode/test-electron has none)',
    missing: () => !process.env.VSCODE_TEST_DRIVER_URL,
  })),
  {
    suite: 'integration',
    title: /^a workspace that tries to redirect the key /,
    needs: 'the decoy emulator named in the workspace settings, and a browser (both from the code-server harness)',
    missing: () => !process.env.OPENROUTER_TEST_DECOY_BASE_URL || !process.env.VSCODE_TEST_DRIVER_URL,
  },
];

export interface SkipVerdict {
  expected: Array<{ title: string; needs: string }>;
  unexpected: string[];
}

/** Sorts a run's skipped tests into the listed-and-legitimate ones and the rest (which fail the run). */
export function judgeSkips(suite: SuiteName, skippedTitles: readonly string[], list: readonly ExpectedSkip[] = expectedSkips): SkipVerdict {
  const verdict: SkipVerdict = { expected: [], unexpected: [] };
  for (const title of skippedTitles) {
    const rule = list.find((skip) => skip.suite === suite && skip.title.test(title) && skip.missing());
    if (rule) verdict.expected.push({ title, needs: rule.needs });
    else verdict.unexpected.push(title);
  }
  return verdict;
}

/** The lines a runner prints about its skips: why each expected one was skipped, and each unexpected one. */
export function skipReport(verdict: SkipVerdict): string[] {
  return [
    ...verdict.expected.map(({ title, needs }) => `skipped (expected: needs ${needs}): ${title}`),
    ...verdict.unexpected.map((title) => `FAILED: unexpected skip (not in test/expectedSkips.ts, or what it needs is present): ${title}`),
  ];
}

/** `N passed, M failed`, then `, K skipped` when any: the counts every runner prints on a line of their own. */
export function countsLine(passed: number, failed: number, skipped: number): string {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

import assert from 'node:assert/strict';
import { earlierBatches, estimateTurnHeight, firstTurnShownAtOnce } from '../../src/webview/chat/reopenPlan';
import { SlicedWork, type SliceClock } from '../../src/webview/shared/slicedWork';
import { markdownPieces, StableBlockScanner } from '../../src/webview/shared/stableBlocks';
import { answerTokens, longConversationTurns } from '../bench/answerText';

/** A page's clock under test: tasks are queued, not run, and each job advances time by what it says it costs. */
class TestClock implements SliceClock {
  time = 0;
  readonly tasks: Array<() => void> = [];
  now(): number {
    return this.time;
  }
  post(run: () => void): void {
    this.tasks.push(run);
  }
  /** Runs the queued tasks one by one; returns how many jobs each ran. */
  runAll(ran: () => number): number[] {
    const perTask: number[] = [];
    while (this.tasks.length) {
      const before = ran();
      this.tasks.shift()!();
      perTask.push(ran() - before);
    }
    return perTask;
  }
}

describe('webview: a long chat drawn a little at a time', () => {
  it('reopening shows the last question and answer first and builds every earlier turn after, newest first', () => {
    const turns = longConversationTurns(300).map((t) => String(t.content));
    const heights = turns.map(estimateTurnHeight);
    const first = firstTurnShownAtOnce(heights, 2 * 900);
    assert.ok(first <= 298, 'at least the last question and its answer at once');
    assert.ok(turns.length - first <= 12, `only the turns of the first screens at once, not ${turns.length - first}`);
    assert.ok(heights.slice(first).reduce((a, b) => a + b, 0) >= 1800, 'enough to fill two screens');
    const later = earlierBatches(first, 8);
    assert.deepEqual(later.flat().sort((a, b) => a - b), Array.from({ length: first }, (_, i) => i), 'every earlier turn, once');
    assert.ok(later[0]!.includes(first - 1), 'the batch right above the shown turns comes first');
    for (let i = 1; i < later.length; i++) assert.ok(Math.max(...later[i]!) < Math.min(...later[i - 1]!), 'each batch older than the one before');
  });

  it('a short chat is shown whole at once', () => {
    assert.equal(firstTurnShownAtOnce([80, 300], 1800), 0);
    assert.equal(firstTurnShownAtOnce([], 1800), 0);
    assert.deepEqual(earlierBatches(0, 8), []);
  });

  it('estimates a longer text, and one with more lines, as taller', () => {
    assert.ok(estimateTurnHeight('x'.repeat(3000)) > estimateTurnHeight('x'.repeat(300)));
    assert.ok(estimateTurnHeight('a\nb\nc\nd') > estimateTurnHeight('abcd'));
  });

  it('runs jobs in tasks of a few milliseconds, the most urgent first, and each job once', () => {
    const clock = new TestClock();
    const work = new SlicedWork(clock, 8);
    const order: string[] = [];
    const job = (name: string, ms: number) => () => {
      order.push(name);
      clock.time += ms;
    };
    for (let i = 0; i < 10; i++) work.add(job(`build ${i}`, 3), 1e9);
    work.add(job('on screen 1', 3), 0);
    work.add(job('near', 3), 500);
    work.add(job('on screen 2', 3), 0);
    const perTask = clock.runAll(() => order.length);
    assert.deepEqual(order.slice(0, 3), ['on screen 1', 'on screen 2', 'near']);
    assert.deepEqual(order.slice(3), Array.from({ length: 10 }, (_, i) => `build ${i}`));
    assert.ok(perTask.every((n) => n * 3 <= 8 + 3), `no task runs past its budget by more than one job: ${perTask.join()}`);
    assert.equal(work.pending, 0);
  });

  it('a job longer than the budget runs alone in its task, and the rest still follow', () => {
    const clock = new TestClock();
    const work = new SlicedWork(clock, 8);
    const ran: number[] = [];
    for (let i = 0; i < 3; i++) work.add(() => { ran.push(i); clock.time += 20; });
    assert.deepEqual(clock.runAll(() => ran.length), [1, 1, 1]);
    assert.deepEqual(ran, [0, 1, 2]);
  });

  it('a chat replaced before its turns were drawn drops their jobs, also from within a job', () => {
    const clock = new TestClock();
    const work = new SlicedWork(clock, 8);
    const ran: string[] = [];
    work.add(() => { ran.push('old 1'); work.clear(); work.add(() => ran.push('new')); });
    work.add(() => ran.push('old 2'));
    clock.runAll(() => ran.length);
    assert.deepEqual(ran, ['old 1', 'new']);
  });

  it('cuts a long answer into pieces that each render alone as within the whole, and join back into it', () => {
    const answer = answerTokens(2100).join('');
    const pieces = markdownPieces(answer, 1500);
    assert.equal(pieces.join(''), answer);
    assert.ok(pieces.length >= 4, `a 2,100-token answer in several pieces: ${pieces.length}`);
    for (const piece of pieces.slice(0, -1)) {
      assert.ok(piece.length >= 1500);
      // No piece ends inside a code block: a new scanner over the piece ends outside any fence.
      const scanner = new StableBlockScanner();
      scanner.stableEnd(`${piece}\n`);
      assert.equal(scanner.inFence, false, piece.slice(-200));
    }
  });

  it('keeps a code block with blank lines whole, and a short text as one piece', () => {
    const code = `Intro.\n\n\`\`\`python\n${'x = 1\n\n'.repeat(400)}\`\`\`\n\nAfter.\n`;
    const pieces = markdownPieces(code, 100);
    assert.equal(pieces.length, 2);
    assert.ok(pieces[0]!.startsWith('Intro.\n\n```python') && pieces[0]!.endsWith('\n```\n\n'));
    assert.equal(pieces[1], 'After.\n');
    assert.deepEqual(markdownPieces('Just a line.', 1500), ['Just a line.']);
  });
});

import assert from 'node:assert/strict';
import { breakableSegments, hasRunOfAtLeast, longRunChars, maxStreamingMarkdownChars, maxStreamingRunChars, runPieceChars, tailTooHeavyForMarkdown } from '../../src/webview/shared/longRuns';

describe('webview long unbroken runs', () => {
  it('cuts a 20,000-character word into short pieces that join back into the same text', () => {
    const word = 'loremipsum'.repeat(2000);
    const segments = breakableSegments(`Before ${word} after.`);
    assert.equal(segments.join(''), `Before ${word} after.`);
    assert.ok(segments.length >= word.length / runPieceChars, `got ${segments.length} pieces`);
    assert.ok(segments.every((s) => s.length <= runPieceChars + 'Before '.length + ' after.'.length));
  });

  it('leaves ordinary prose, and runs shorter than the limit, in one piece', () => {
    const prose = 'Short words only, and one https://example.com/some/path?query=1 link.';
    assert.deepEqual(breakableSegments(prose), [prose]);
    const justUnder = 'x'.repeat(longRunChars - 1);
    assert.deepEqual(breakableSegments(justUnder), [justUnder]);
  });

  it('finds a long run in one pass, also in a 100 KB line of short words', () => {
    assert.equal(hasRunOfAtLeast(`a b ${'y'.repeat(300)} c`, 300), true);
    assert.equal(hasRunOfAtLeast('word '.repeat(20_000), 6), false);
  });

  it('shows a streaming tail as plain text once it is too big or too unbroken for markdown per frame', () => {
    assert.equal(tailTooHeavyForMarkdown('A normal paragraph that is still growing'), false);
    assert.equal(tailTooHeavyForMarkdown('A'.repeat(maxStreamingRunChars)), true);
    assert.equal(tailTooHeavyForMarkdown('word '.repeat(maxStreamingMarkdownChars / 5 + 1)), true);
  });
});

import assert from 'node:assert/strict';
import { cleanMiddle } from '../../src/completions/middleText';

const multi = { singleLine: false };
const single = { singleLine: true };

describe('cleaning a completion answer', () => {
  it('keeps a plain middle as it is', () => {
    assert.equal(cleanMiddle('a + b', { prefix: '  return ', suffix: ';\n}', ...single }), 'a + b');
  });

  it('strips the current line when the model repeats it', () => {
    assert.equal(cleanMiddle('  return a + b', { prefix: 'function add(a, b) {\n  return ', suffix: ';\n}', ...single }), 'a + b');
    // Repeated without the indentation.
    assert.equal(cleanMiddle('return a + b', { prefix: 'function add(a, b) {\n    return ', suffix: '', ...single }), 'a + b');
  });

  it('strips earlier lines a model repeats before the middle', () => {
    const prefix = 'import os\n\ndef main():\n    path = os.getcwd()\n    ';
    assert.equal(cleanMiddle('def main():\n    path = os.getcwd()\n    print(path)', { prefix, suffix: '', ...multi }), 'print(path)');
  });

  it('does not take a short coincidence for an echo', () => {
    // The line before the cursor ends with "(" and the answer starts with "(": a real middle.
    assert.equal(cleanMiddle('(x)', { prefix: 'call(', suffix: '', ...single }), '(x)');
  });

  it('strips the text after the cursor when the model repeats it at the end', () => {
    assert.equal(cleanMiddle('a + b;\n}', { prefix: '  return ', suffix: ';\n}\n', ...multi }), 'a + b');
    assert.equal(cleanMiddle('items.map(toLabel) // labels', { prefix: 'const labels = ', suffix: ' // labels\nexport {}', ...single }), 'items.map(toLabel)');
  });

  it('takes the code out of a chat model\'s fence and drops the cursor mark', () => {
    assert.equal(cleanMiddle('```ts\nreturn a + b;\n```', { prefix: '  ', suffix: '\n}', ...multi }), 'return a + b;');
    assert.equal(cleanMiddle('<CURSOR>a + b', { prefix: 'return ', suffix: '', ...single }), 'a + b');
  });

  it('ends at the first line break inside a line, keeps several lines where a block starts', () => {
    assert.equal(cleanMiddle('a + b;\nconsole.log(1);', { prefix: 'x = ', suffix: ' // sum', ...single }), 'a + b;');
    assert.equal(cleanMiddle('\n  return 1;\n', { prefix: 'function f() {', suffix: '\n}', ...multi }), '\n  return 1;');
  });

  it('gives nothing for an empty or blank answer, or one that only repeats the line', () => {
    assert.equal(cleanMiddle('', { prefix: 'x', suffix: '', ...single }), undefined);
    assert.equal(cleanMiddle('  \n ', { prefix: 'x', suffix: '', ...multi }), undefined);
    assert.equal(cleanMiddle('const total = ', { prefix: 'let a;\nconst total = ', suffix: '', ...single }), undefined);
  });
});

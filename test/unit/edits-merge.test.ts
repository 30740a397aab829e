import assert from 'node:assert/strict';
import { extractFences, fileNameHint, sameCode } from '../../src/edits/codeFences';
import { isElisionLine, mergeCodeBlock } from '../../src/edits/mergeCodeBlock';

const FILE = [
  "import { a } from './a';",
  '',
  'export function first(x: number): number {',
  '  return x + 1;',
  '}',
  '',
  'export class Box {',
  '  value = 0;',
  '',
  '  add(n: number): void {',
  '    this.value += n;',
  '  }',
  '',
  '  reset(): void {',
  '    this.value = 0;',
  '  }',
  '}',
  '',
].join('\n');

function merged(original: string, block: string): string {
  const result = mergeCodeBlock(original, block);
  assert.ok(result.kind !== 'refused', result.kind === 'refused' ? result.reason : '');
  return result.text;
}

describe('Apply: placing a code block in its file', () => {
  it('replaces one function the block shows and keeps everything else', () => {
    const out = merged(FILE, 'export function first(x: number): number {\n  return x * 2;\n}\n');
    assert.equal(out, FILE.replace('return x + 1;', 'return x * 2;'));
  });

  it('keeps what "… existing code …" leaves out, around several changed pieces', () => {
    const block = [
      '// ... existing code ...',
      'export function first(x: number): number {',
      '  return x - 1;',
      '}',
      '// ... existing code ...',
      '  reset(): void {',
      '    this.value = -1;',
      '  }',
      '// ... rest of the file unchanged',
    ].join('\n');
    const out = merged(FILE, block);
    assert.equal(out, FILE.replace('return x + 1;', 'return x - 1;').replace('this.value = 0;\n  }\n}', 'this.value = -1;\n  }\n}'));
    assert.match(out, /add\(n: number\)/, 'the method between the pieces is still there');
    assert.match(out, /^import \{ a \}/, 'the imports before the first piece are still there');
  });

  it('re-indents a method the model wrote without its class indentation', () => {
    const out = merged(FILE, 'add(n: number): void {\n  this.value += 2 * n;\n}\n');
    assert.ok(out.includes('\n  add(n: number): void {\n    this.value += 2 * n;\n  }\n'), out);
    assert.equal(out.split('\n').length, FILE.split('\n').length);
  });

  it('keeps a CRLF file CRLF, and its missing final newline missing', () => {
    const crlf = 'def a():\r\n    return 1\r\n\r\ndef b():\r\n    return 2';
    const out = merged(crlf, 'def b():\n    return 3\n');
    assert.equal(out, 'def a():\r\n    return 1\r\n\r\ndef b():\r\n    return 3');
  });

  it('refuses a block whose first line matches two places, saying so', () => {
    const twice = 'function f() {\n  return 1;\n}\n\nfunction f() {\n  return 1;\n}\n';
    const result = mergeCodeBlock(twice, 'function f() {\n  return 1;\n}\n');
    assert.equal(result.kind, 'refused');
    assert.match(result.kind === 'refused' ? result.reason : '', /matches 2 places/);
  });

  it('tells two places apart by the lines after the first when it can', () => {
    const similar = 'if (a) {\n  one();\n}\nif (a) {\n  two();\n}\n';
    assert.equal(merged(similar, 'if (a) {\n  two();\n  three();\n}\n'), 'if (a) {\n  one();\n}\nif (a) {\n  two();\n  three();\n}\n');
  });

  it('refuses a block about code the file does not have, and offers to replace the whole file only without elisions', () => {
    const absent = mergeCodeBlock(FILE, 'export function other(): void {\n  go();\n}\n');
    assert.equal(absent.kind, 'refused');
    assert.match(absent.kind === 'refused' ? absent.reason : '', /`export function other\(\): void \{` is not in the file/);
    assert.equal(absent.kind === 'refused' && absent.canReplaceWhole, true);
    const elided = mergeCodeBlock(FILE, '// ...\nexport function other(): void {\n}\n');
    assert.equal(elided.kind === 'refused' && elided.canReplaceWhole, false, 'a block with gaps never replaces a whole file');
  });

  it('never lets a block that starts like the file delete the functions it does not show', () => {
    const block = "import { a } from './a';\n\nexport function second(): number {\n  return 2;\n}\n";
    const result = mergeCodeBlock(FILE, block);
    assert.equal(result.kind, 'refused', 'the imports match, but the block is about another function');
  });

  it('replaces the whole file when the block is the whole file', () => {
    const whole = FILE.replace('value = 0;', 'value = 1;');
    const result = mergeCodeBlock(FILE, whole);
    assert.equal(result.kind, 'whole-file');
    assert.equal(result.kind === 'whole-file' && result.text, whole);
  });

  it('fills an empty file with the block', () => {
    assert.deepEqual(mergeCodeBlock('', 'print("hi")\n'), { kind: 'whole-file', text: 'print("hi")\n' });
  });

  it('knows elision comments in several languages, and a Python stub body is code', () => {
    for (const line of ['// ... existing code ...', '# ... rest of the file unchanged', '/* … */', '<!-- ... -->', '    // ...', '-- ... other functions ...', '...']) {
      assert.ok(isElisionLine(line), line);
    }
    assert.equal(isElisionLine('    ...', 'def stub():'), false);
    assert.equal(isElisionLine('console.log("loading...");'), false);
    assert.equal(isElisionLine('// TODO: handle errors ...'), false);
  });
});

describe('Apply: the code blocks of an answer', () => {
  const answer = [
    'Change the helper:',
    '',
    '```ts title="src/util/math.ts"',
    'export const one = 1;',
    '```',
    '',
    '1. And in the test:',
    '   ```python:tests/test_math.py',
    '   assert one == 1',
    '   ```',
    '',
    '~~~',
    '// src/app.js',
    'run();',
    '~~~',
    'Inline ```code``` is not a block.',
  ].join('\n');

  it('reads every fenced block in order, with its info string and its text', () => {
    const fences = extractFences(answer);
    assert.equal(fences.length, 3);
    assert.deepEqual(fences[0], { info: 'ts title="src/util/math.ts"', code: 'export const one = 1;\n' });
    assert.deepEqual(fences[1], { info: 'python:tests/test_math.py', code: 'assert one == 1\n' });
    assert.equal(fences[2]?.code, '// src/app.js\nrun();\n');
  });

  it('finds the file a block names in its info string or its first comment', () => {
    const [a, b, c] = extractFences(answer);
    assert.equal(fileNameHint(a!), 'src/util/math.ts');
    assert.equal(fileNameHint(b!), 'tests/test_math.py');
    assert.equal(fileNameHint(c!), 'src/app.js');
    assert.equal(fileNameHint({ info: 'ts', code: 'const x = 1;\n' }), undefined);
  });

  it('compares what the panel shows with the extension\'s copy, ignoring line endings and trailing space', () => {
    assert.ok(sameCode('a\r\nb\n', 'a\nb'));
    assert.ok(!sameCode('a\nb', 'a\nc'));
  });
});

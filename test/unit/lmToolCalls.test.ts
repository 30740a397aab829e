import assert from 'node:assert/strict';
import { ToolArgumentsError, ToolCallAssembler } from '../../src/answer/toolCalls';

describe('assembling streamed tool calls', () => {
  it('joins argument pieces per index and parses them once complete', () => {
    const assembler = new ToolCallAssembler();
    assembler.push([{ index: 0, id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '' } }]);
    assembler.push([{ index: 1, id: 'call_b', type: 'function', function: { name: 'search', arguments: '{"q":' } }]);
    for (const piece of ['{"pa', 'th":"src/', 'a.ts"}']) assembler.push([{ index: 0, function: { arguments: piece } }]);
    assembler.push([{ index: 1, function: { arguments: '"retry"}' } }]);
    assert.deepEqual(assembler.finish(), [
      { callId: 'call_a', name: 'read_file', input: { path: 'src/a.ts' } },
      { callId: 'call_b', name: 'search', input: { q: 'retry' } },
    ]);
    assert.equal(assembler.hasCalls, false);
  });

  it('treats empty arguments as no arguments', () => {
    const assembler = new ToolCallAssembler();
    assembler.push([{ index: 0, id: 'call_1', function: { name: 'now' } }]);
    assert.deepEqual(assembler.finish(), [{ callId: 'call_1', name: 'now', input: {} }]);
  });

  it('keeps the first name when a provider repeats it on every delta, and makes up an id when none came', () => {
    const assembler = new ToolCallAssembler();
    assembler.push([{ index: 3, function: { name: 'list', arguments: '{}' } }]);
    assembler.push([{ index: 3, function: { name: 'list' } }]);
    assert.deepEqual(assembler.finish(), [{ callId: 'call_3', name: 'list', input: {} }]);
  });

  it('names the tool and shows the arguments when they are not a JSON object', () => {
    for (const bad of ['{"path": "a.ts"', '[1,2]', '"text"']) {
      const assembler = new ToolCallAssembler();
      assembler.push([{ index: 0, id: 'c', function: { name: 'read_file', arguments: bad } }]);
      assert.throws(
        () => assembler.finish(),
        (error: unknown) => error instanceof ToolArgumentsError && error.message.includes('"read_file"') && error.message.includes(bad),
      );
    }
  });
});

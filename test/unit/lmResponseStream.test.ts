import assert from 'node:assert/strict';
import { ResponseTranslator, type ResponsePart } from '../../src/lm/responseStream';
import { ToolArgumentsError } from '../../src/answer/toolCalls';

function translator(): { translator: ResponseTranslator; parts: ResponsePart[] } {
  const parts: ResponsePart[] = [];
  return { translator: new ResponseTranslator((part) => parts.push(part)), parts };
}

describe('an answer as editor chat parts', () => {
  it('passes text on as it arrives', () => {
    const { translator: t, parts } = translator();
    t.onContent('Hel');
    t.onContent('lo');
    assert.deepEqual(parts, [
      { kind: 'text', text: 'Hel' },
      { kind: 'text', text: 'lo' },
    ]);
    assert.equal(t.textChars, 5);
  });

  it('holds a tool call back until the model finishes it, then reports it whole', () => {
    const { translator: t, parts } = translator();
    t.onToolCalls([{ index: 0, id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":' } }]);
    t.onToolCalls([{ index: 0, function: { arguments: '"a.ts"}' } }]);
    assert.deepEqual(parts, []);
    t.onFinishReason();
    assert.deepEqual(parts, [{ kind: 'toolCall', callId: 'call_1', name: 'read_file', input: { path: 'a.ts' } }]);
    t.finish();
    assert.equal(parts.length, 1);
    assert.equal(t.toolCallCount, 1);
  });

  it('reports a tool call left open when the stream ends without a finish reason', () => {
    const { translator: t, parts } = translator();
    t.onToolCalls([{ index: 0, id: 'call_1', function: { name: 'now', arguments: '{}' } }]);
    t.finish();
    assert.deepEqual(parts, [{ kind: 'toolCall', callId: 'call_1', name: 'now', input: {} }]);
  });

  it('fails clearly when the model’s tool arguments are not JSON', () => {
    const { translator: t } = translator();
    t.onToolCalls([{ index: 0, id: 'c', function: { name: 'read_file', arguments: '{"path": ' } }]);
    assert.throws(() => t.onFinishReason(), ToolArgumentsError);
  });
});

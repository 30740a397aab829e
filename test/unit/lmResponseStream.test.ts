import assert from 'node:assert/strict';
import { ResponseTranslator } from '../../src/lm/responseStream';
import { ToolArgumentsError } from '../../src/lm/toolCalls';
import type { ChatCompletionChunk } from '../../src/openrouter/types';

type Delta = ChatCompletionChunk['choices'][number]['delta'];
const chunk = (delta: Delta, finish: string | null = null): ChatCompletionChunk => ({ id: 'gen-1', choices: [{ index: 0, delta, finish_reason: finish }] });

describe('streamed chunks as editor chat parts', () => {
  it('passes text on as it arrives and leaves reasoning out', () => {
    const translator = new ResponseTranslator();
    assert.deepEqual(translator.accept(chunk({ reasoning: 'thinking…', content: '' })), []);
    assert.deepEqual(translator.accept(chunk({ content: 'Hel' })), [{ kind: 'text', text: 'Hel' }]);
    assert.deepEqual(translator.accept(chunk({ content: 'lo' })), [{ kind: 'text', text: 'lo' }]);
    assert.equal(translator.textChars, 5);
  });

  it('holds a tool call back until the model finishes it, then reports it whole', () => {
    const translator = new ResponseTranslator();
    assert.deepEqual(translator.accept(chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":' } }] })), []);
    assert.deepEqual(translator.accept(chunk({ tool_calls: [{ index: 0, function: { arguments: '"a.ts"}' } }] })), []);
    assert.deepEqual(translator.accept(chunk({ content: '' }, 'tool_calls')), [{ kind: 'toolCall', callId: 'call_1', name: 'read_file', input: { path: 'a.ts' } }]);
    assert.deepEqual(translator.finish(), []);
    assert.equal(translator.toolCallCount, 1);
  });

  it('reports a tool call left open when the stream ends without a finish reason', () => {
    const translator = new ResponseTranslator();
    translator.accept(chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'now', arguments: '{}' } }] }));
    assert.deepEqual(translator.finish(), [{ kind: 'toolCall', callId: 'call_1', name: 'now', input: {} }]);
  });

  it('keeps the usage of the final chunk, which has no choices', () => {
    const translator = new ResponseTranslator();
    const usage = { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13, cost: 0.00002 };
    assert.deepEqual(translator.accept({ id: 'gen-1', choices: [], usage }), []);
    assert.deepEqual(translator.usage, usage);
  });

  it('fails clearly when the model’s tool arguments are not JSON', () => {
    const translator = new ResponseTranslator();
    translator.accept(chunk({ tool_calls: [{ index: 0, id: 'c', function: { name: 'read_file', arguments: '{"path": ' } }] }));
    assert.throws(() => translator.accept(chunk({}, 'tool_calls')), ToolArgumentsError);
  });
});

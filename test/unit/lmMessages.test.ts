import assert from 'node:assert/strict';
import { conversationSessionId } from '../../src/lm/conversationSession';
import { MessageRole, pickModelOptions, toOpenRouterMessages, toOpenRouterTools, ToolMode } from '../../src/lm/messages';
import type { RequestMessageLike } from '../../src/lm/messages';

// Shaped like the editor's LanguageModel*Part classes (same fields), since tests run without VS Code.
const text = (value: string) => ({ value });
const toolCall = (callId: string, name: string, input: object) => ({ callId, name, input });
const toolResult = (callId: string, content: unknown[]) => ({ callId, content });
const data = (mimeType: string, bytes: number[]) => ({ mimeType, data: new Uint8Array(bytes) });
const user = (...content: unknown[]): RequestMessageLike => ({ role: MessageRole.User, content, name: undefined });
const assistant = (...content: unknown[]): RequestMessageLike => ({ role: MessageRole.Assistant, content, name: undefined });

describe('editor chat messages as an OpenRouter request', () => {
  it('joins the text parts of each message and keeps the roles', () => {
    const messages = toOpenRouterMessages(
      [{ role: MessageRole.System, content: [text('Be brief.')] }, user(text('Hello '), text('there')), assistant(text('Hi!'))],
      { imageInput: false },
    );
    assert.deepEqual(messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello there' },
      { role: 'assistant', content: 'Hi!' },
    ]);
  });

  it('sends an assistant’s tool calls with JSON arguments and null content', () => {
    const [message] = toOpenRouterMessages([assistant(toolCall('call_1', 'read_file', { path: 'a.ts', lines: [1, 2] }))], { imageInput: false });
    assert.deepEqual(message, {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts","lines":[1,2]}' } }],
    });
  });

  it('sends tool results as tool messages right after the call, before the user’s words', () => {
    const messages = toOpenRouterMessages(
      [
        user(text('Read a.ts')),
        assistant(text('Reading.'), toolCall('call_1', 'read_file', { path: 'a.ts' }), toolCall('call_2', 'list', {})),
        user(toolResult('call_1', [text('export const a = 1;')]), toolResult('call_2', [text('a.ts'), text('\nb.ts')]), text('Now explain.')),
      ],
      { imageInput: false },
    );
    assert.deepEqual(
      messages.map((m) => [m.role, m.content, m.tool_call_id]),
      [
        ['user', 'Read a.ts', undefined],
        ['assistant', 'Reading.', undefined],
        ['tool', 'export const a = 1;', 'call_1'],
        ['tool', 'a.ts\nb.ts', 'call_2'],
        ['user', 'Now explain.', undefined],
      ],
    );
  });

  it('turns a structured tool result (prompt-tsx) into JSON text', () => {
    const [message] = toOpenRouterMessages([user(toolResult('c', [{ value: { node: 'tree', children: [] } }]))], { imageInput: false });
    assert.equal(message?.content, '{"node":"tree","children":[]}');
  });

  it('sends images as data URLs to models that accept images, a note to those that do not', () => {
    const parts = [text('What is this?'), data('image/png', [1, 2, 3])];
    const [withImages] = toOpenRouterMessages([user(...parts)], { imageInput: true });
    assert.deepEqual(withImages?.content, [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' } },
    ]);
    const [without] = toOpenRouterMessages([user(...parts)], { imageInput: false });
    assert.equal(without?.content, 'What is this?[image omitted: this model does not accept images]');
  });

  it('reads text data parts as text and skips data it cannot send (cache hints)', () => {
    const [message] = toOpenRouterMessages([user(data('text/plain', [...Buffer.from('notes')]), data('cache_control', [1]))], { imageInput: true });
    assert.equal(message?.content, 'notes');
  });

  it('offers tools as OpenAI functions and requires one when the editor asks', () => {
    const tools = [{ name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }, { name: 'now', description: 'Time' }];
    assert.deepEqual(toOpenRouterTools(tools, ToolMode.Auto), {
      tools: [
        { type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } },
        { type: 'function', function: { name: 'now', description: 'Time', parameters: { type: 'object', properties: {} } } },
      ],
    });
    assert.equal(toOpenRouterTools(tools, ToolMode.Required).tool_choice, 'required');
    assert.deepEqual(toOpenRouterTools([], ToolMode.Required), {});
  });

  it('passes sampling options the caller set and drops ones OpenRouter would not understand', () => {
    assert.deepEqual(pickModelOptions({ temperature: 0.2, max_tokens: 100, justification: 'x', model: 'other/model' }), { temperature: 0.2, max_tokens: 100 });
  });
});

describe('session id of an editor conversation', () => {
  const opening = user(text('Explain the retry policy'));
  // What the editor's chat puts first in every conversation of a workspace.
  const injected = user(text('<environmentInfo>OS: Linux, workspace: /src/app</environmentInfo>'));

  it('stays the same on every request of one conversation: tool rounds and later turns', () => {
    const first = conversationSessionId([injected, opening]);
    const toolRound = conversationSessionId([injected, opening, assistant(toolCall('c', 't', {})), user(toolResult('c', [text('ok')]))]);
    const third = conversationSessionId([injected, opening, assistant(text('It retries…')), user(text('And 429?')), assistant(toolCall('c', 't', {})), user(toolResult('c', [text('ok')]))]);
    assert.ok(first?.startsWith('vscode-'));
    assert.equal(toolRound, first);
    assert.equal(third, first);
  });

  it('differs between conversations that open with the same injected context but different requests', () => {
    const retry = conversationSessionId([injected, opening]);
    const other = conversationSessionId([injected, user(text('Write a unit test for the pool'))]);
    assert.notEqual(retry, other);
    assert.notEqual(
      conversationSessionId([injected, opening, assistant(text('…')), user(text('next'))]),
      conversationSessionId([injected, user(text('Write a unit test for the pool')), assistant(text('…')), user(text('next'))]),
      'and keeps differing on later turns',
    );
  });

  it('ignores the system prompt, and tells apart messages split at different places', () => {
    const a = conversationSessionId([{ role: MessageRole.System, content: [text('v1')] }, opening]);
    const b = conversationSessionId([{ role: MessageRole.System, content: [text('v2')] }, opening]);
    assert.equal(a, b);
    assert.notEqual(conversationSessionId([user(text('ab')), user(text('c'))]), conversationSessionId([user(text('a')), user(text('bc'))]));
  });

  it('is absent when there is no user text yet', () => {
    assert.equal(conversationSessionId([assistant(text('Hi'))]), undefined);
  });
});

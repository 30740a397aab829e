// The editor-chat mapping end to end under plain Node: editor-shaped messages → request → the real
// provider over a loopback socket → the emulator → chunks → editor parts. Covers what the integration
// suite in VS Code cannot observe from inside the editor (the exact request body, every chunk).
import assert from 'node:assert/strict';
import { MessageRole, toOpenRouterMessages, toOpenRouterTools, ToolMode } from '../../src/lm/messages';
import type { RequestMessageLike } from '../../src/lm/messages';
import { conversationSessionId } from '../../src/lm/conversationSession';
import { mapLmError } from '../../src/lm/errorMapping';
import { runAnswer } from '../../src/answer';
import { ResponseTranslator } from '../../src/lm/responseStream';
import { encodeReasoningDetails, REASONING_DETAILS_MIME } from '../../src/lm/reasoningPart';
import type { ResponsePart } from '../../src/lm/responseStream';
import { OpenRouterProvider } from '../../src/openrouter';
import type { ChatRequest } from '../../src/openrouter';
import { buildRouting, parseRoutingSettings } from '../../src/routing';
import { startEmulator } from '../emulator';
import type { Emulator } from '../emulator';
import { silentLog } from '../support/silentLog';

const MODEL = 'emulator/echo';
const readFile = { name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } };
const user = (...content: unknown[]): RequestMessageLike => ({ role: MessageRole.User, content });
const assistant = (...content: unknown[]): RequestMessageLike => ({ role: MessageRole.Assistant, content });

describe('editor chat round trip against the emulator', () => {
  let emulator: Emulator;
  let provider: OpenRouterProvider;

  before(async () => {
    emulator = await startEmulator();
    provider = new OpenRouterProvider({ apiKey: 'sk-or-v1-test', baseUrl: emulator.baseUrl, maxRetries: 0 });
  });
  after(async () => {
    await provider.close();
    await emulator.close();
  });
  beforeEach(() => emulator.reset());

  async function answer(messages: RequestMessageLike[], extra: Partial<ChatRequest> = {}): Promise<ResponsePart[]> {
    const request: ChatRequest = { model: MODEL, messages: toOpenRouterMessages(messages, { imageInput: true }), ...extra };
    const parts: ResponsePart[] = [];
    const translator = new ResponseTranslator((part) => parts.push(part));
    // The pipeline the editor's chat answers through: it streams into the translator and ends with the figures.
    const figures = await runAnswer({ provider: () => provider, log: silentLog }, { source: 'vscode-chat', request }, translator).ended;
    if (figures.status === 'error') throw figures.error;
    translator.finish();
    return parts;
  }

  it('streams text in several parts', async () => {
    const parts = await answer([user({ value: 'hello there' })]);
    assert.ok(parts.length > 3, `only ${parts.length} part(s)`);
    const text = parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    assert.match(text, /^You said: hello there /);
  });

  it('leaves the model’s reasoning out of the answer', async () => {
    const parts = await answer([user({ value: 'think first' })], { reasoning: { effort: 'low' } });
    const text = parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    assert.match(text, /^You said: think first /);
    assert.doesNotMatch(text, /Thinking about/);
  });

  it('assembles a streamed tool call, and answers from the tool result sent back', async () => {
    const opening = user({ value: 'please use tool on src/a.ts' });
    const tools = toOpenRouterTools([readFile], ToolMode.Auto);
    const first = await answer([opening], tools);
    const calls = first.filter((p) => p.kind === 'toolCall');
    assert.equal(calls.length, 1);
    const call = calls[0];
    assert.ok(call && call.kind === 'toolCall');
    assert.equal(call.name, 'read_file');
    assert.deepEqual(call.input, { path: 'please use tool on src/a.ts' });

    const second = await answer(
      [opening, assistant({ callId: call.callId, name: call.name, input: call.input }), user({ callId: call.callId, content: [{ value: 'export const a = 1;' }] })],
      tools,
    );
    const text = second.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    assert.match(text, /^Tool result: export const a = 1;/);
    const sent = emulator.requests().at(-1)?.body as { messages: Array<{ role: string; tool_call_id?: string; tool_calls?: unknown[] }> };
    assert.deepEqual(sent.messages.map((m) => m.role), ['user', 'assistant', 'tool']);
    assert.equal(sent.messages[2]?.tool_call_id, call.callId);
  });

  it('sends the routing settings and the conversation’s session id exactly as configured', async () => {
    const { value: settings } = parseRoutingSettings({ sort: 'latency', order: ['anthropic', 'openai'], ignore: ['deepinfra'], allowFallbacks: false, dataCollection: 'deny', zeroDataRetention: true, fallbackModels: ['openai/gpt-4o'], reasoningEffort: 'low' });
    const messages = [user({ value: 'route me' })];
    const routing = buildRouting(settings, undefined, { model: MODEL, sessionId: conversationSessionId(messages), supportsReasoning: true });
    await answer(messages, routing);
    const body = emulator.requests().at(-1)?.body as Record<string, unknown>;
    assert.deepEqual(body.provider, { sort: 'latency', order: ['anthropic', 'openai'], ignore: ['deepinfra'], allow_fallbacks: false, data_collection: 'deny', zdr: true });
    assert.deepEqual(body.models, [MODEL, 'openai/gpt-4o']);
    assert.deepEqual(body.reasoning, { effort: 'low' });
    assert.equal(body.session_id, conversationSessionId(messages));
  });

  it('reports a 429 as Blocked with OpenRouter’s message', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'status', status: 429, message: 'Rate limit exceeded: test' } });
    const failure = await answer([user({ value: 'hi' })]).then(
      () => assert.fail('expected a rate-limit error'),
      (error: unknown) => mapLmError(error, MODEL),
    );
    assert.ok(!failure.cancelled);
    assert.equal(failure.code, 'Blocked');
    assert.match(failure.message, /Rate limit exceeded: test/);
  });

  it('carries an Anthropic thinking turn’s reasoning_details through the history as a data part, and the emulator answers the tool turn only with them', async () => {
    const model = 'anthropic/claude-sonnet-4.5';
    const ask = user({ value: 'please use tool on README.md' });
    const first = await answer([ask], { model, tools: toOpenRouterTools([readFile], ToolMode.Auto).tools!, reasoning: { effort: 'low' } });
    assert.deepEqual(first.map((p) => p.kind), ['reasoningDetails', 'toolCall'], 'the reasoning comes whole, before the tool call');
    const [reasoning, call] = first;
    assert.ok(reasoning?.kind === 'reasoningDetails' && call?.kind === 'toolCall');
    // As the editor hands it back: a data part with the private mime type next to the tool call.
    const dataPart = { mimeType: REASONING_DETAILS_MIME, data: encodeReasoningDetails(reasoning.details) };
    const result = user({ callId: call.callId, content: [{ value: '# Readme' }] });
    const tools = toOpenRouterTools([readFile], ToolMode.Auto).tools!;
    const followUp = await answer([ask, assistant(dataPart, { callId: call.callId, name: call.name, input: call.input }), result], { model, tools, reasoning: { effort: 'low' } });
    assert.match(followUp.map((p) => (p.kind === 'text' ? p.text : '')).join(''), /^Tool result: # Readme/);
    const sent = emulator.requests().at(-1)!.body as ChatRequest;
    assert.deepEqual(sent.messages[1]!.reasoning_details, reasoning.details, 'sent back unmodified');
    assert.equal(sent.messages.some((m) => JSON.stringify(m.content ?? '').includes('reasoning.text')), false, 'never as content');

    const lost = await answer([ask, assistant({ callId: call.callId, name: call.name, input: call.input }), result], { model, tools, reasoning: { effort: 'low' } }).catch((error: unknown) => error);
    assert.equal((lost as { status?: number }).status, 400);
    const mapped = mapLmError(lost, model);
    assert.ok(!mapped.cancelled);
    assert.match(mapped.message, /Anthropic: messages\.1\.content\.0\.type: Expected `thinking`/, "the provider's own reason reaches the editor's chat");
  });
});

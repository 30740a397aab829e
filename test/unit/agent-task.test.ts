import assert from 'node:assert/strict';
import { AgentTask, type AgentLimits, type AgentObserver, type AgentOutcome, type AgentTaskRequest } from '../../src/agent/agentTask';
import type { AgentTool, AgentToolCallContext } from '../../src/agent/agentTool';
import { worstStepCost, type PricedModel } from '../../src/agent/stepCost';
import type { ToolCallOutcome } from '../../src/agent/toolRunner';
import type { AnswerDeps } from '../../src/answer';
import { OpenRouterProvider } from '../../src/openrouter';
import type { ChatMessage } from '../../src/openrouter/types';
import { startEmulator, type Emulator } from '../emulator';
import { TEST_KEY } from '../emulator/accounts';
import { silentLog } from '../support/silentLog';

const model = 'emulator/echo';
const fileText = 'first line of the file\nsecond line\n';

/** A tool whose work the test decides; it remembers every call. */
function tool(name: string, invoke: (input: Record<string, unknown>, context: AgentToolCallContext) => Promise<string> | string, schema?: Record<string, unknown>): AgentTool & { calls: Array<Record<string, unknown>> } {
  const calls: Array<Record<string, unknown>> = [];
  return {
    name,
    description: `The ${name} tool`,
    inputSchema: schema ?? { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
    source: 'openrouter',
    calls,
    invoke: async (input, context) => {
      calls.push(input);
      const content = await invoke(input, context);
      return { content, summary: `${name} done` };
    },
  };
}

class Recorder implements AgentObserver {
  readonly started: string[] = [];
  readonly ended: ToolCallOutcome[] = [];
  content = '';
  private waiters: Array<() => void> = [];
  onContent(text: string): void {
    this.content += text;
  }
  onToolCallStarted(call: { name: string }): void {
    this.started.push(call.name);
    this.wake();
  }
  onToolCallEnded(outcome: ToolCallOutcome): void {
    this.ended.push(outcome);
  }
  async until(test: () => boolean): Promise<void> {
    while (!test()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

describe('Agent tasks: the tool-calling loop on the answer pipeline, against the emulator', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let provider: OpenRouterProvider;
  let priced: PricedModel;

  before(async () => {
    emulator = await startEmulator({ generationReadyAfterMs: 0 });
    provider = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl: emulator.baseUrl, maxRetries: 0 });
    const list = (await (await fetch(`${emulator.baseUrl}/models`)).json()) as { data: PricedModel[] };
    priced = list.data.find((m) => m.id === model)!;
  });
  after(async () => {
    await provider.close();
    await emulator.close();
  });
  beforeEach(() => emulator.reset());

  const deps: AnswerDeps = { provider: () => provider, log: silentLog, generationRetryDelaysMs: [20, 20] };
  const limits: AgentLimits = { maxSteps: 10, maxCostUsd: 1, timeoutMs: 5_000, maxResultChars: 10_000 };
  const chatRequests = () => emulator.requests().filter((r) => r.path === '/chat/completions');
  const sentMessages = (index: number) => (chatRequests()[index]!.body as { messages: ChatMessage[] }).messages;

  function start(question: string, tools: AgentTool[], observer: AgentObserver = {}, overrides: Partial<AgentTaskRequest> = {}): AgentTask {
    const task: AgentTaskRequest = {
      source: 'chat',
      request: { model, max_tokens: 200 },
      messages: [{ role: 'user', content: question }],
      tools,
      model: priced,
      limits,
      scope: { chatId: 'chat-1', answerId: 'answer-1', autoApply: false, confirm: async () => true },
      ...overrides,
    };
    return new AgentTask(deps, task, observer);
  }
  const script = (steps: unknown[][], answer = 'All done.') => `[[agent:script]]${JSON.stringify({ steps, answer })}`;

  it('reads a file, proposes an edit and answers; the model receives the file and each result in order, after its own calls', async () => {
    const read = tool('read_file', () => fileText);
    const edit = tool('propose_edit', () => 'Edit proposed.', { type: 'object', properties: { path: { type: 'string' }, new_text: { type: 'string' } }, required: ['path', 'new_text'] });
    const recorder = new Recorder();
    const outcome = await start(script([[{ name: 'read_file', arguments: { path: 'a.txt' } }], [{ name: 'propose_edit', arguments: { path: 'a.txt', new_text: 'FIRST' } }]]), [read, edit], recorder).done;

    assert.deepEqual(outcome.end, { status: 'done' });
    assert.equal(outcome.progress.steps, 3);
    assert.equal(chatRequests().length, 3, 'one request per step');
    assert.deepEqual(read.calls, [{ path: 'a.txt' }]);
    assert.deepEqual(edit.calls, [{ path: 'a.txt', new_text: 'FIRST' }]);
    const last = sentMessages(2);
    assert.deepEqual(last.map((m) => m.role), ['user', 'assistant', 'tool', 'assistant', 'tool']);
    assert.equal(last[1]!.tool_calls![0]!.function.name, 'read_file');
    assert.equal(last[2]!.content, fileText, 'the file content came back as the first tool result');
    assert.equal(last[2]!.tool_call_id, last[1]!.tool_calls![0]!.id);
    assert.equal(last[4]!.content, 'Edit proposed.');
    assert.equal(last[4]!.tool_call_id, last[3]!.tool_calls![0]!.id);
    assert.ok((chatRequests()[0]!.body as { tools: unknown[] }).tools.length === 2, 'the tools go with every request');
    assert.equal(recorder.content, 'All done.');
  });

  it('keeps a long task within the model\'s context: a huge tool result is cut before the next step, and a task that cannot fit is not sent', async () => {
    const big = tool('read_file', () => 'x'.repeat(9_000));
    const fit = { budgetTokens: 1_500, strategy: 'condense' as const };
    const outcome = await start(script([[{ name: 'read_file', arguments: { path: 'big.txt' } }]]), [big], {}, { fit }).done;
    assert.deepEqual(outcome.end, { status: 'done' });
    assert.equal(chatRequests().length, 2, 'no request was refused or repeated');
    const result = String(sentMessages(1)[2]!.content);
    assert.ok(result.length < 9_000 / 2, `the result was cut to fit the model (${result.length} characters sent)`);

    emulator.reset();
    const tooLong = await start(`${'a long question '.repeat(1_000)}`, [big], {}, { fit }).done;
    assert.equal(tooLong.end.status, 'limit');
    assert.equal(tooLong.end.status === 'limit' && tooLong.end.limit, 'context');
    assert.equal(chatRequests().length, 0, 'nothing was sent');
  });

  it('answers a call with malformed JSON arguments with an error result the model reads, and goes on', async () => {
    const read = tool('read_file', () => fileText);
    const recorder = new Recorder();
    const outcome = await start('[[agent:bad-json]] look', [read], recorder).done;
    assert.deepEqual(outcome.end, { status: 'done' });
    assert.equal(read.calls.length, 0, 'the tool never ran');
    assert.equal(recorder.ended[0]?.isError, true);
    assert.equal(recorder.ended[0]?.failure, 'invalid');
    const result = sentMessages(1)[2]!;
    assert.equal(result.role, 'tool');
    assert.match(String(result.content), /arguments of your call to "read_file" are not a JSON object/);
    assert.equal(sentMessages(1)[1]!.tool_calls![0]!.function.arguments, '{"path": "README.md", ', 'the model’s own call is sent back as it was');
  });

  it('tells the model there is no such tool, and which tools there are', async () => {
    const outcome = await start('[[agent:unknown-tool]] go', [tool('read_file', () => ''), tool('list_files', () => '')]).done;
    assert.deepEqual(outcome.end, { status: 'done' });
    assert.equal(sentMessages(1)[2]!.content, 'There is no tool named "no_such_tool". The tools you can call are: read_file, list_files.');
  });

  it('refuses arguments outside the schema and says exactly what was wrong, without running the tool', async () => {
    const read = tool('read_file', () => fileText, { type: 'object', properties: { path: { type: 'string' }, line: { type: 'integer', minimum: 1 } }, required: ['path'], additionalProperties: false });
    await start(script([[{ name: 'read_file', arguments: { line: 0, extra: true } }]]), [read]).done;
    assert.equal(read.calls.length, 0);
    const problem = String(sentMessages(1)[2]!.content);
    assert.match(problem, /do not match its schema/);
    assert.match(problem, /- arguments: Instance does not have required property "path"\./);
    assert.match(problem, /- line: 0 is less than 1\./);
    assert.match(problem, /- extra: is not allowed here/);
  });

  it('says so when a tool publishes a schema that cannot be read, instead of blaming the model’s arguments', async () => {
    const broken = tool('read_file', () => fileText, { type: 'object', $ref: '#/definitions/missing' });
    const outcome = await start(script([[{ name: 'read_file', arguments: { path: 'x' } }]]), [broken]).done;
    assert.deepEqual(outcome.end, { status: 'done' });
    assert.equal(broken.calls.length, 0);
    assert.match(String(sentMessages(1)[2]!.content), /^The tool "read_file" publishes an argument schema that cannot be read.*Do not call it again/);
  });

  it('turns a tool that throws into an error result', async () => {
    const outcome = await start(script([[{ name: 'read_file', arguments: { path: 'x' } }]]), [tool('read_file', () => Promise.reject(new Error('disk on fire')))]).done;
    assert.deepEqual(outcome.end, { status: 'done' });
    assert.equal(sentMessages(1)[2]!.content, 'The tool "read_file" failed: disk on fire');
  });

  it('ends a tool that hangs at its time limit (its signal aborts) and the task goes on', async () => {
    let seenSignal: AbortSignal | undefined;
    const hanging = tool('read_file', (_input, context) => {
      seenSignal = context.signal;
      return new Promise<string>(() => undefined);
    });
    const recorder = new Recorder();
    const outcome = await start(script([[{ name: 'read_file', arguments: { path: 'x' } }]]), [hanging], recorder, { limits: { ...limits, timeoutMs: 300 } }).done;
    assert.deepEqual(outcome.end, { status: 'done' });
    assert.equal(seenSignal?.aborted, true, 'the tool was told to stop');
    assert.equal(recorder.ended[0]?.failure, 'timeout');
    assert.equal(sentMessages(1)[2]!.content, 'The tool "read_file" did not finish within 0.3 s and was stopped. Try a smaller request, or another way.');
  });

  it('cuts a result of megabytes to the limit, with a note to the model', async () => {
    const huge = 'x'.repeat(2_000_000);
    await start(script([[{ name: 'read_file', arguments: { path: 'x' } }]]), [tool('read_file', () => huge)], {}, { limits: { ...limits, maxResultChars: 1000 } }).done;
    const sent = String(sentMessages(1)[2]!.content);
    assert.ok(sent.startsWith('x'.repeat(1000) + '\n\n[Result cut: it had 2000000 characters and only the first 1000 are shown.'));
    assert.ok(sent.length < 1300);
  });

  it('stops at Stop while a tool runs: the tool’s signal aborts and no further request goes out', async () => {
    let seenSignal: AbortSignal | undefined;
    const waiting = tool('read_file', (_input, context) => {
      seenSignal = context.signal;
      return new Promise<string>((_resolve, reject) => context.signal.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    const recorder = new Recorder();
    const task = start('[[agent:loop]] forever', [waiting], recorder);
    await recorder.until(() => recorder.started.length === 1);
    task.stop();
    const outcome = await task.done;
    assert.deepEqual(outcome.end, { status: 'stopped' });
    assert.equal(seenSignal?.aborted, true);
    assert.equal(recorder.ended[0]?.failure, 'stopped');
    assert.equal(chatRequests().length, 1);
  });

  it('answers an open confirmation "no" when the task is stopped', async () => {
    let answered: boolean | undefined;
    const asking = tool('run_terminal_command', async (_input, context) => {
      answered = await context.confirm({ title: 'Run?', code: 'rm -rf /', acceptLabel: 'Run' });
      return answered ? 'ran' : 'declined';
    }, { type: 'object' });
    const recorder = new Recorder();
    let asked!: () => void;
    const questionShown = new Promise<void>((resolve) => (asked = resolve));
    const task = start('[[agent:loop]] go', [asking], recorder, { scope: { chatId: 'c', answerId: 'a', autoApply: true, confirm: () => (asked(), new Promise<boolean>(() => undefined)) } });
    await questionShown;
    task.stop();
    const outcome = await task.done;
    assert.equal(outcome.end.status, 'stopped');
    assert.equal(recorder.ended[0]?.confirmed, false);
  });

  it('stops a never-ending loop before its cost cap is crossed, with exactly the requests the cap allows', async () => {
    const cap = 0.001;
    const outcome = await start('[[agent:loop]] forever', [tool('read_file', () => fileText)], {}, { limits: { ...limits, maxSteps: 100, maxCostUsd: cap } }).done;
    assert.equal(outcome.end.status, 'limit');
    assert.equal(outcome.end.status === 'limit' && outcome.end.limit, 'cost');
    const costs = emulator.generations().map((g) => g.total_cost ?? 0);
    const spent = costs.reduce((a, b) => a + b, 0);
    assert.equal(chatRequests().length, outcome.progress.steps, 'the emulator counted one request per step');
    assert.ok(outcome.progress.steps >= 3, `several steps ran (${outcome.progress.steps})`);
    assert.ok(Math.abs(outcome.progress.costUsd - spent) < 1e-12, 'the task counted what the emulator billed');
    assert.ok(spent <= cap, `spent ${spent} within the cap ${cap}`);
    const next = worstStepCost(priced, { messages: outcome.messages, tools: (chatRequests()[0]!.body as { tools: never }).tools, max_tokens: 200 })!;
    assert.ok(spent + next > cap, 'one more step could have crossed the cap');
    assert.match(outcome.end.status === 'limit' ? outcome.end.message : '', /^Stopped before step \d+: it could cost up to \$[\d.]+, which would take this task from \$[\d.]+ past its cost cap of \$0\.001/);
  });

  it('asks the budget before every step after the first, and sends nothing once it says no', async () => {
    const asked: number[] = [];
    let steps = 0;
    const outcome: AgentOutcome = await start('[[agent:loop]] forever', [tool('read_file', () => fileText)], { onStepStarted: (step) => (steps = step) }, {
      mayContinue: async () => {
        asked.push(steps + 1);
        return asked.length < 2;
      },
    }).done;
    assert.deepEqual(asked, [2, 3]);
    assert.equal(outcome.end.status === 'limit' && outcome.end.limit, 'budget');
    assert.equal(chatRequests().length, 2);
  });

  it('stops at the step limit', async () => {
    const outcome = await start('[[agent:loop]] forever', [tool('read_file', () => fileText)], {}, { limits: { ...limits, maxSteps: 3 } }).done;
    assert.equal(outcome.end.status === 'limit' && outcome.end.limit, 'steps');
    assert.equal(chatRequests().length, 3);
  });

  it('sends each assistant message back with its reasoning and reasoning_details as they came', async () => {
    await start(script([[{ name: 'read_file', arguments: { path: 'a.txt' } }]]), [tool('read_file', () => fileText)], {}, { request: { model, max_tokens: 200, reasoning: { effort: 'low' } } }).done;
    const assistant = sentMessages(1)[1]!;
    const details = assistant.reasoning_details as Array<{ type: string; text: string }>;
    assert.ok(details.length > 1, 'every streamed piece is kept');
    assert.ok(details.every((d) => d.type === 'reasoning.text'));
    assert.equal(details.map((d) => d.text).join(''), assistant.reasoning);
    assert.match(String(assistant.reasoning), /^Thinking about:/);
  });
});

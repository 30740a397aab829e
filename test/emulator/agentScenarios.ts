// Scripted tool-calling models: a marker in the last user message picks a deterministic agent scenario, and the
// step is how many assistant messages follow that user message. Same request, same answer, so tests can assert the
// exact calls, and (from the requests the emulator records) the tool results that came back, in order.
import type { ChatMessageLike, ToolCallPlan, ToolLike } from './answer';
import { messageText, splitBy, toolArguments, wordPieces } from './answer';

export interface ScriptedCall {
  name: string;
  /** An object is sent as JSON; a string is sent as it is (malformed JSON on purpose). */
  arguments: Record<string, unknown> | string;
}

/** `[[agent:script]]{"steps":[[call, …], …],"answer":"…"}`: each step's calls in order, then the answer. */
export interface AgentScript {
  steps: ScriptedCall[][];
  answer?: string;
  /** Text the model writes before its calls in each step. */
  say?: string;
}

export interface ScriptedStep {
  contentPieces: string[];
  toolCalls?: ToolCallPlan[];
  finishReason: 'stop' | 'tool_calls';
}

const marker = /\[\[agent:([a-z-]+)(?::([^\]]*))?\]\]/;

/** The step of an agent scenario, or undefined when the last user message names none. */
export function planAgentStep(messages: ChatMessageLike[], tools: ToolLike[], seq: number): ScriptedStep | undefined {
  const userIndex = messages.map((m) => m.role).lastIndexOf('user');
  if (userIndex < 0) return undefined;
  const userText = messageText(messages[userIndex]!.content);
  const found = marker.exec(userText);
  if (!found) return undefined;
  const [, scenario, argument = ''] = found;
  const after = messages.slice(userIndex + 1);
  const step = after.filter((m) => m.role === 'assistant').length;
  const lastTool = [...after].reverse().find((m) => m.role === 'tool');
  const results = after.filter((m) => m.role === 'tool').map((m) => messageText(m.content));
  const answer = (text: string): ScriptedStep => ({ contentPieces: wordPieces(text), finishReason: 'stop' });
  const firstTool = typeof tools[0]?.function?.name === 'string' ? tools[0].function.name : 'tool';
  const once = (call: ScriptedCall): ScriptedStep =>
    step === 0 ? calls([call], seq) : answer(`Tool result: ${lastTool ? messageText(lastTool.content) : '(none)'}`);
  switch (scenario) {
    case 'loop': {
      const name = argument || firstTool;
      const tool = tools.find((t) => t.function?.name === name);
      return calls([{ name, arguments: toolArguments(tool?.function?.parameters, `step ${step + 1}`) }], seq);
    }
    case 'bad-json':
      return once({ name: argument || firstTool, arguments: '{"path": "README.md", ' });
    case 'unknown-tool':
      return once({ name: argument || 'no_such_tool', arguments: {} });
    case 'terminal':
      return once({ name: 'run_terminal_command', arguments: { command: argument || 'echo hello' } });
    case 'call': {
      const args = userText.slice(found.index + found[0].length).trim();
      return once({ name: argument || firstTool, arguments: args || '{}' });
    }
    case 'read-edit': {
      const path = argument || 'README.md';
      if (step === 0) return calls([{ name: 'read_file', arguments: { path } }], seq);
      if (step === 1) return calls([{ name: 'propose_edit', arguments: editOf(path, results[0] ?? '') }], seq);
      return answer(`I changed the first line of ${path}.`);
    }
    case 'script': {
      const script = parseScript(userText.slice(found.index + found[0].length));
      if (!script) return answer('The agent script after [[agent:script]] is not valid JSON.');
      const calls_ = script.steps[step];
      if (calls_?.length) return calls(calls_, seq, script.say);
      return answer(script.answer ?? `Done after ${results.length} tool calls.`);
    }
    default:
      return undefined;
  }
}

function calls(list: ScriptedCall[], seq: number, say?: string): ScriptedStep {
  return {
    contentPieces: say ? wordPieces(say) : [],
    toolCalls: list.map((call, index) => ({
      id: `call_emu_${seq}_${index}`,
      name: call.name,
      argumentPieces: splitBy(typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments), 8),
    })),
    finishReason: 'tool_calls',
  };
}

/**
 * The edit the read-edit scenario proposes: the file's first line, upper-cased, as `propose_edit`'s search and
 * replace. read_file's result starts with a header line (`path (lines 1–9 of 9):`), which is skipped.
 */
function editOf(path: string, result: string): Record<string, unknown> {
  const lines = result.split(/\r?\n/);
  const body = /^\S.*\(.*\):$/.test(lines[0] ?? '') ? lines.slice(1) : lines;
  const firstLine = body.find((line) => line.trim() !== '') ?? '';
  return { path, search: firstLine, replace: firstLine.toUpperCase() };
}

function parseScript(text: string): AgentScript | undefined {
  try {
    const parsed = JSON.parse(text.trim()) as AgentScript;
    return Array.isArray(parsed.steps) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

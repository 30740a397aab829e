// Runs one tool call of the model's: finds the tool, checks the arguments against its schema, gives it a time limit
// (its signal aborts; a tool that ignores the signal is left behind with an error result), and cuts a result that is
// too long. Whatever happens, the model gets a result it can read and the chat a line it can show: nothing here
// throws. No vscode import.
import type { RawToolCall } from '../answer/toolCalls';
import { raceAbort } from '../openrouter/retry';
import { errorText } from '../util/errorText';
import type { AgentTool, AgentToolCallContext, ToolConfirmation } from './agentTool';
import { checkToolInput } from './toolInput';

export interface ToolRunLimits {
  /** How long one call may take before its signal aborts and it ends with an error result. */
  timeoutMs: number;
  /** The most characters of a result the model gets; longer ones are cut with a note. */
  maxResultChars: number;
}

/** What the task knows for every call of one answer. */
export interface ToolCallScope {
  chatId: string;
  answerId: string;
  autoApply: boolean;
  /** Aborted when the user stops the task. */
  signal: AbortSignal;
  confirm(callId: string, question: ToolConfirmation): Promise<boolean>;
}

/** How one call ended, for the model (`content`) and for the chat (the rest). */
export interface ToolCallOutcome {
  callId: string;
  name: string;
  /** The arguments as the model sent them. */
  arguments: string;
  content: string;
  summary: string;
  isError: boolean;
  /** The call was never made or ended early: `invalid` (unknown tool, bad arguments), `timeout`, `stopped`. */
  failure?: 'invalid' | 'timeout' | 'stopped' | 'failed';
  confirmed?: boolean;
  changedFiles?: string[];
  durationMs: number;
}

export async function runToolCall(call: RawToolCall, tools: ReadonlyMap<string, AgentTool>, scope: ToolCallScope, limits: ToolRunLimits): Promise<ToolCallOutcome> {
  const started = performance.now();
  const base = { callId: call.callId, name: call.name, arguments: call.arguments };
  const ended = (result: Omit<ToolCallOutcome, 'callId' | 'name' | 'arguments' | 'durationMs'>): ToolCallOutcome => ({ ...base, ...result, durationMs: performance.now() - started });
  const tool = tools.get(call.name);
  if (!tool) {
    const known = [...tools.keys()];
    const content = `There is no tool named "${call.name}". ${known.length ? `The tools you can call are: ${known.join(', ')}.` : 'No tools are available in this task.'}`;
    return ended({ content, summary: `Unknown tool "${call.name}"`, isError: true, failure: 'invalid' });
  }
  const checked = checkToolInput(tool.name, tool.inputSchema, call.arguments);
  if (!checked.ok) return ended({ content: checked.problem, summary: 'Arguments refused: they do not match the tool’s schema', isError: true, failure: 'invalid' });
  if (scope.signal.aborted) return ended({ content: stoppedText, summary: 'Not run: the task was stopped', isError: true, failure: 'stopped' });

  const timer = new AbortController();
  const signal = AbortSignal.any([scope.signal, timer.signal]);
  let timeout = setTimeout(() => timer.abort(), limits.timeoutMs);
  let confirmed: boolean | undefined;
  let asked = false;
  let finished = false;
  const context: AgentToolCallContext = {
    callId: call.callId,
    chatId: scope.chatId,
    answerId: scope.answerId,
    autoApply: scope.autoApply,
    signal,
    confirm: async (question) => {
      asked = true;
      if (signal.aborted) return false;
      // The user's time to answer is not the tool's: the clock starts again once the question is answered.
      clearTimeout(timeout);
      // A question open when the task stops is answered "no".
      const answer = await raceAbort(scope.confirm(call.callId, question), signal).catch(() => false);
      confirmed = answer && !signal.aborted;
      if (!finished) timeout = setTimeout(() => timer.abort(), limits.timeoutMs);
      return confirmed;
    },
  };
  try {
    const result = await raceAbort(Promise.resolve().then(() => tool.invoke(checked.input, context)), signal);
    const cut = cutResult(result.content, limits.maxResultChars);
    const confirmation = result.confirmed ?? confirmed;
    return ended({
      content: cut,
      summary: oneLine(result.summary) || (result.isError ? 'Failed' : 'Done'),
      isError: result.isError === true,
      ...(confirmation !== undefined ? { confirmed: confirmation } : {}),
      ...(result.changedFiles?.length ? { changedFiles: [...result.changedFiles] } : {}),
    });
  } catch (error) {
    // A question still open when the task stopped or the time ran out counts as declined.
    const confirmation = asked ? { confirmed: confirmed ?? false } : {};
    if (scope.signal.aborted) return ended({ content: stoppedText, summary: 'Stopped by the user', isError: true, failure: 'stopped', ...confirmation });
    if (timer.signal.aborted) {
      const seconds = Math.round(limits.timeoutMs / 100) / 10;
      return ended({ content: `The tool "${tool.name}" did not finish within ${seconds} s and was stopped. Try a smaller request, or another way.`, summary: `Timed out after ${seconds} s`, isError: true, failure: 'timeout', ...confirmation });
    }
    const message = errorText(error);
    return ended({ content: `The tool "${tool.name}" failed: ${message}`, summary: `Failed: ${oneLine(message)}`, isError: true, failure: 'failed', ...confirmation });
  } finally {
    finished = true;
    clearTimeout(timeout);
  }
}

const stoppedText = 'The user stopped the task before this tool finished.';

/** The first `max` characters and a note saying how much was left out and what to do about it. */
export function cutResult(content: string, max: number): string {
  const text = typeof content === 'string' ? content : String(content);
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n\n[Result cut: it had ${text.length} characters and only the first ${max} are shown. Ask for a smaller part (a range of lines, a narrower search) to see the rest.]`;
}

function oneLine(text: string | undefined): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

// Assembles OpenAI-style streamed `tool_calls` deltas (id and name first, arguments in pieces, keyed by
// index) into whole calls with parsed JSON arguments.
import type { ToolCallDelta } from '../openrouter/types';

export interface AssembledToolCall {
  callId: string;
  name: string;
  input: object;
}

/** The model sent tool arguments that are not a JSON object; the message names the tool and shows the start. */
export class ToolArgumentsError extends Error {
  constructor(
    readonly toolName: string,
    readonly rawArguments: string,
  ) {
    const shown = rawArguments.length > 200 ? `${rawArguments.slice(0, 200)}…` : rawArguments;
    super(`The model called the tool "${toolName}" with arguments that are not a JSON object: ${shown}`);
    this.name = 'ToolArgumentsError';
  }
}

interface Pending {
  id?: string;
  name: string;
  arguments: string;
}

export class ToolCallAssembler {
  private readonly pending = new Map<number, Pending>();

  get hasCalls(): boolean {
    return this.pending.size > 0;
  }

  push(deltas: readonly ToolCallDelta[] | undefined): void {
    if (!deltas) return;
    for (const delta of deltas) {
      const index = typeof delta.index === 'number' ? delta.index : this.pending.size;
      let call = this.pending.get(index);
      if (!call) {
        call = { name: '', arguments: '' };
        this.pending.set(index, call);
      }
      if (delta.id) call.id = delta.id;
      // Names arrive whole; some providers repeat them on every delta, so the first one counts.
      if (delta.function?.name && !call.name) call.name = delta.function.name;
      if (delta.function?.arguments) call.arguments += delta.function.arguments;
    }
  }

  /** The calls in index order; throws ToolArgumentsError for arguments that do not parse to an object. */
  finish(): AssembledToolCall[] {
    return this.finishRaw().map((call) => ({ callId: call.callId, name: call.name, input: parseArguments(call.name, call.arguments) }));
  }

  /** The calls in index order with their arguments as the model sent them (the agent judges each call on its own). */
  finishRaw(): RawToolCall[] {
    const calls = [...this.pending.entries()].sort(([a], [b]) => a - b);
    this.pending.clear();
    return calls.map(([index, call]) => ({ callId: call.id || `call_${index}`, name: call.name || 'unknown_tool', arguments: call.arguments }));
  }
}

/** One call as streamed: `arguments` is the model's text, unparsed. */
export interface RawToolCall {
  callId: string;
  name: string;
  arguments: string;
}

export function parseArguments(toolName: string, raw: string): object {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ToolArgumentsError(toolName, raw);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ToolArgumentsError(toolName, raw);
  return parsed;
}

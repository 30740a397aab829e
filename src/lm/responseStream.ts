// Streamed OpenRouter chunks as the parts the editor's chat expects: text as it arrives, tool calls
// whole once their arguments are complete. Reasoning deltas are left out: the stable API has no part
// for them, and as text they would mix into the answer. Plain data, so it is unit-tested without VS Code.
import type { ChatCompletionChunk, Usage } from '../openrouter/types';
import { ToolCallAssembler } from './toolCalls';
import type { AssembledToolCall } from './toolCalls';

export type ResponsePart = { kind: 'text'; text: string } | ({ kind: 'toolCall' } & AssembledToolCall);

export class ResponseTranslator {
  private readonly toolCalls = new ToolCallAssembler();
  usage: Usage | undefined;
  textChars = 0;
  toolCallCount = 0;

  /** The parts one chunk completes; throws ToolArgumentsError when a finished call's arguments are not JSON. */
  accept(chunk: ChatCompletionChunk): ResponsePart[] {
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) return [];
    const parts: ResponsePart[] = [];
    const text = choice.delta?.content;
    if (text) {
      this.textChars += text.length;
      parts.push({ kind: 'text', text });
    }
    this.toolCalls.push(choice.delta?.tool_calls);
    if (choice.finish_reason) parts.push(...this.flush());
    return parts;
  }

  /** Tool calls still open when the stream ended without a finish reason. */
  finish(): ResponsePart[] {
    return this.flush();
  }

  private flush(): ResponsePart[] {
    if (!this.toolCalls.hasCalls) return [];
    const calls = this.toolCalls.finish();
    this.toolCallCount += calls.length;
    return calls.map((call) => ({ kind: 'toolCall', ...call }));
  }
}

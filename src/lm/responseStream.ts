// An answer's stream as the parts the editor's chat expects: text as it arrives, tool calls whole once
// their arguments are complete. Reasoning is left out: the stable API has no part for it, and as text it
// would mix into the answer. Listens to the answer pipeline (src/answer); plain data, unit-tested without VS Code.
import type { AnswerObserver } from '../answer';
import type { ToolCallDelta } from '../openrouter/types';
import { ToolCallAssembler } from '../answer/toolCalls';
import type { AssembledToolCall } from '../answer/toolCalls';

export type ResponsePart = { kind: 'text'; text: string } | ({ kind: 'toolCall' } & AssembledToolCall);

export class ResponseTranslator implements AnswerObserver {
  private readonly toolCalls = new ToolCallAssembler();
  textChars = 0;
  toolCallCount = 0;

  constructor(private readonly report: (part: ResponsePart) => void) {}

  onContent(text: string): void {
    this.textChars += text.length;
    this.report({ kind: 'text', text });
  }

  onToolCalls(deltas: readonly ToolCallDelta[]): void {
    this.toolCalls.push(deltas);
  }

  /** The model finished: its tool calls are whole. Throws ToolArgumentsError when arguments are not JSON. */
  onFinishReason(): void {
    this.flush();
  }

  /** Tool calls still open when the stream ended without a finish reason. */
  finish(): void {
    this.flush();
  }

  private flush(): void {
    if (!this.toolCalls.hasCalls) return;
    const calls = this.toolCalls.finish();
    this.toolCallCount += calls.length;
    for (const call of calls) this.report({ kind: 'toolCall', ...call });
  }
}

// An answer's stream as the parts the editor's chat expects: text as it arrives, tool calls whole once
// their arguments are complete. Reasoning text is left out (the stable API has no part for it, and as text it
// would mix into the answer); its `reasoning_details` come whole before the tool calls, to be carried in the
// history as a data part (reasoningPart.ts). Listens to the answer pipeline (src/answer); plain data,
// unit-tested without VS Code.
import type { AnswerObserver } from '../answer';
import type { ToolCallDelta } from '../openrouter/types';
import { ToolCallAssembler } from '../answer/toolCalls';
import type { AssembledToolCall } from '../answer/toolCalls';
import { ReasoningDetailsCollector, type ReasoningDetail } from '../answer/reasoningDetails';

export type ResponsePart = { kind: 'text'; text: string } | ({ kind: 'toolCall' } & AssembledToolCall) | { kind: 'reasoningDetails'; details: ReasoningDetail[] };

export class ResponseTranslator implements AnswerObserver {
  private readonly toolCalls = new ToolCallAssembler();
  private readonly reasoning = new ReasoningDetailsCollector();
  textChars = 0;
  toolCallCount = 0;

  constructor(private readonly report: (part: ResponsePart) => void) {}

  onContent(text: string): void {
    this.textChars += text.length;
    this.report({ kind: 'text', text });
  }

  onReasoningDetails(details: readonly unknown[]): void {
    this.reasoning.push(details);
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
    if (!this.reasoning.isEmpty) {
      this.report({ kind: 'reasoningDetails', details: this.reasoning.details() });
      this.reasoning.clear();
    }
    if (!this.toolCalls.hasCalls) return;
    const calls = this.toolCalls.finish();
    this.toolCallCount += calls.length;
    for (const call of calls) this.report({ kind: 'toolCall', ...call });
  }
}

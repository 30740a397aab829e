// An answer's `reasoning_details` (reasoning.text with its signature, reasoning.summary, reasoning.encrypted)
// reassembled from the streamed pieces, to be kept with the turn and sent back unmodified with the assistant
// message: Anthropic thinking and Gemini 3 models refuse a tool-call turn whose reasoning was lost or altered.
// Pure: the chat, VS Code's chat and the agent loop use the same collector.
import type { ChatMessage, ToolCall } from '../openrouter/types';

/** One structured reasoning block as OpenRouter sends it; fields beyond `type` pass through untouched. */
export interface ReasoningDetail {
  type: string;
  index?: number;
  [field: string]: unknown;
}

/** The fields whose streamed pieces are joined; every other field keeps the last value sent. */
const joinedFields = new Set(['text', 'summary', 'data']);

function isDetail(value: unknown): value is ReasoningDetail {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Collects streamed `reasoning_details` deltas into whole blocks: pieces with the same `index` are one block. */
export class ReasoningDetailsCollector {
  private readonly blocks = new Map<number, ReasoningDetail>();

  get isEmpty(): boolean {
    return this.blocks.size === 0;
  }

  push(deltas: readonly unknown[] | null | undefined): void {
    for (const delta of deltas ?? []) {
      if (!isDetail(delta)) continue;
      const index = typeof delta.index === 'number' ? delta.index : this.nextIndex();
      const block = this.blocks.get(index);
      if (!block || block.type !== delta.type) {
        this.blocks.set(block ? this.nextIndex() : index, { ...delta });
        continue;
      }
      for (const [field, value] of Object.entries(delta)) {
        if (joinedFields.has(field) && typeof value === 'string') block[field] = `${typeof block[field] === 'string' ? block[field] : ''}${value}`;
        else if (value !== undefined && value !== null) block[field] = value;
      }
    }
  }

  /** The whole blocks in index order, as the non-streamed message would carry them. */
  details(): ReasoningDetail[] {
    return [...this.blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => ({ ...block }));
  }

  clear(): void {
    this.blocks.clear();
  }

  private nextIndex(): number {
    return this.blocks.size === 0 ? 0 : Math.max(...this.blocks.keys()) + 1;
  }
}

/** Keeps only well-formed blocks from storage or another extension (history on disk may be edited by hand). */
export function storedReasoningDetails(value: unknown): ReasoningDetail[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const details = value.filter(isDetail);
  return details.length > 0 ? details : undefined;
}

/** An assistant message for the next request: its text, its tool calls and its reasoning exactly as received. */
export function assistantMessage(content: string, toolCalls?: readonly ToolCall[], reasoningDetails?: readonly ReasoningDetail[]): ChatMessage {
  const message: ChatMessage = { role: 'assistant', content: toolCalls?.length && content === '' ? null : content };
  if (toolCalls?.length) message.tool_calls = [...toolCalls];
  if (reasoningDetails?.length) message.reasoning_details = reasoningDetails;
  return message;
}

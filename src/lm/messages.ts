// The editor's chat messages and tools as an OpenRouter request. Parts are recognised by shape, not by
// class, so this has no runtime vscode import and is unit-tested under plain Node.
import { assistantMessage } from '../answer/reasoningDetails';
import type { ChatContentPart, ChatMessage, ChatRequest, ToolCall } from '../openrouter/types';
import { decodeReasoningDetails, REASONING_DETAILS_MIME } from './reasoningPart';

/** vscode.LanguageModelChatMessageRole, plus System (3) which newer editors send. */
export const MessageRole = { User: 1, Assistant: 2, System: 3 } as const;

/** vscode.LanguageModelChatToolMode. */
export const ToolMode = { Auto: 1, Required: 2 } as const;

/** The part of vscode.LanguageModelChatRequestMessage this reads. */
export interface RequestMessageLike {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
  readonly name?: string | undefined;
}

export interface ToolLike {
  readonly name: string;
  readonly description: string;
  readonly inputSchema?: object | undefined;
}

export type RecognisedPart =
  | { kind: 'text'; text: string }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; content: ReadonlyArray<unknown> }
  | { kind: 'data'; mimeType: string; data: Uint8Array }
  | { kind: 'unknown' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Tells a LanguageModelTextPart / ToolCallPart / ToolResultPart / DataPart apart by its fields. */
export function recognisePart(part: unknown): RecognisedPart {
  if (!isRecord(part)) return { kind: 'unknown' };
  if (typeof part.callId === 'string') {
    if (typeof part.name === 'string' && 'input' in part) return { kind: 'toolCall', callId: part.callId, name: part.name, input: part.input };
    if (Array.isArray(part.content)) return { kind: 'toolResult', callId: part.callId, content: part.content };
    return { kind: 'unknown' };
  }
  if (typeof part.mimeType === 'string' && part.data instanceof Uint8Array) return { kind: 'data', mimeType: part.mimeType, data: part.data };
  if (typeof part.value === 'string') return { kind: 'text', text: part.value };
  return { kind: 'unknown' };
}

function isTextMime(mimeType: string): boolean {
  return mimeType.startsWith('text/') || mimeType === 'application/json';
}

function dataUrl(mimeType: string, data: Uint8Array): string {
  return `data:${mimeType};base64,${Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')}`;
}

/** A tool result's parts as the text of a `tool` message; images inside it are returned apart. */
export function toolResultText(content: ReadonlyArray<unknown>): { text: string; images: Array<{ mimeType: string; data: Uint8Array }> } {
  const texts: string[] = [];
  const images: Array<{ mimeType: string; data: Uint8Array }> = [];
  for (const item of content) {
    const part = recognisePart(item);
    if (part.kind === 'text') texts.push(part.text);
    else if (part.kind === 'data' && part.mimeType.startsWith('image/')) images.push(part);
    else if (part.kind === 'data' && isTextMime(part.mimeType)) texts.push(Buffer.from(part.data).toString('utf8'));
    // A prompt-tsx part carries a JSON-able tree in `value`.
    else if (isRecord(item) && 'value' in item && item.value !== undefined) texts.push(typeof item.value === 'string' ? item.value : JSON.stringify(item.value));
  }
  return { text: texts.join(''), images };
}

export interface ConvertOptions {
  /** Whether the model accepts image input; images are replaced by a short note otherwise. */
  imageInput: boolean;
}

const IMAGE_OMITTED = '[image omitted: this model does not accept images]';

/**
 * OpenAI-style messages for OpenRouter. A user message's tool results become `tool` messages placed
 * first (they must directly follow the assistant message that called the tools); its other parts
 * follow as one user message. Assistant tool calls become `tool_calls` with JSON arguments.
 */
export function toOpenRouterMessages(messages: readonly RequestMessageLike[], options: ConvertOptions): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    const parts = message.content.map(recognisePart);
    if (message.role === MessageRole.Assistant) {
      const text = parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
      const toolCalls: ToolCall[] = parts.flatMap((p) =>
        p.kind === 'toolCall' ? [{ id: p.callId, type: 'function' as const, function: { name: p.name, arguments: JSON.stringify(p.input ?? {}) } }] : [],
      );
      // Our own data part carries the answer's reasoning back, to be sent unmodified with it.
      const reasoning = parts.flatMap((p) => (p.kind === 'data' && p.mimeType === REASONING_DETAILS_MIME ? (decodeReasoningDetails(p.data) ?? []) : []));
      out.push(assistantMessage(text, toolCalls, reasoning));
      continue;
    }
    if (message.role === MessageRole.System) {
      out.push({ role: 'system', content: parts.map((p) => (p.kind === 'text' ? p.text : '')).join('') });
      continue;
    }

    const content: ChatContentPart[] = [];
    const addImage = (mimeType: string, data: Uint8Array) => {
      content.push(options.imageInput ? { type: 'image_url', image_url: { url: dataUrl(mimeType, data) } } : { type: 'text', text: IMAGE_OMITTED });
    };
    for (const part of parts) {
      if (part.kind === 'toolResult') {
        const { text, images } = toolResultText(part.content);
        out.push({ role: 'tool', tool_call_id: part.callId, content: text });
        for (const image of images) addImage(image.mimeType, image.data);
      } else if (part.kind === 'text') {
        content.push({ type: 'text', text: part.text });
      } else if (part.kind === 'data') {
        if (part.mimeType.startsWith('image/')) addImage(part.mimeType, part.data);
        else if (isTextMime(part.mimeType)) content.push({ type: 'text', text: Buffer.from(part.data).toString('utf8') });
      }
    }
    if (content.length === 0) continue;
    const textOnly = content.every((p) => p.type === 'text');
    out.push({ role: 'user', content: textOnly ? content.map((p) => (p.type === 'text' ? p.text : '')).join('') : content });
  }
  return out;
}

/** The editor's tools as OpenAI function tools. */
export function toOpenRouterTools(tools: readonly ToolLike[] | undefined, toolMode: number | undefined): Pick<ChatRequest, 'tools' | 'tool_choice'> {
  if (!tools || tools.length === 0) return {};
  const converted = tools.map((tool) => ({
    type: 'function' as const,
    function: {
      name: tool.name,
      description: tool.description,
      // Several providers reject a function without a parameters object.
      parameters: (tool.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} },
    },
  }));
  return toolMode === ToolMode.Required ? { tools: converted, tool_choice: 'required' } : { tools: converted };
}

const PASSED_MODEL_OPTIONS = ['temperature', 'top_p', 'top_k', 'max_tokens', 'stop', 'seed', 'frequency_penalty', 'presence_penalty', 'repetition_penalty'] as const;

/** The caller's `modelOptions` that mean the same on OpenRouter; anything else is dropped. */
export function pickModelOptions(modelOptions: Readonly<Record<string, unknown>> | undefined): Partial<ChatRequest> {
  const picked: Record<string, unknown> = {};
  if (!modelOptions) return picked;
  for (const key of PASSED_MODEL_OPTIONS) {
    if (modelOptions[key] !== undefined) picked[key] = modelOptions[key];
  }
  return picked as Partial<ChatRequest>;
}

// Decides, from the request alone, what a chat completion answers: the same request always gets the
// same pieces, so tests can assert exact text, chunk counts and finish reasons.
import { planAgentStep } from './agentScenarios';
import { demoAnswer } from './demoAnswers';
import { planMiddle } from './fimMiddle';
import { specialModelIds } from './models';

export interface ToolCallPlan {
  id: string;
  name: string;
  argumentPieces: string[];
}

export interface AnswerPlan {
  reasoningPieces: string[];
  contentPieces: string[];
  /** Tool calls after the content, in order (one step of an agent scenario may make several). */
  toolCalls?: ToolCallPlan[];
  finishReason: 'stop' | 'length' | 'tool_calls';
  promptText: string;
}

export interface ChatMessageLike {
  role?: unknown;
  content?: unknown;
  tool_call_id?: unknown;
}

export interface ToolLike {
  function?: { name?: unknown; parameters?: unknown };
}

export interface ChatBodyLike {
  model?: unknown;
  messages?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  reasoning?: unknown;
  include_reasoning?: unknown;
  tools?: unknown;
}

const filler = 'the quick brown fox jumps over the lazy dog while the emulator keeps streaming steady words'.split(' ');
const defaultFillerWords = 8;
const longModelChunks = 2000;

export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => (part && typeof part === 'object' && (part as { type?: unknown }).type === 'text' ? String((part as { text?: unknown }).text ?? '') : ''))
      .join('');
  }
  return '';
}

function directive(text: string, name: string): number | undefined {
  const match = new RegExp(`\\[\\[${name}:(\\d+)\\]\\]`).exec(text);
  return match ? Number(match[1]) : undefined;
}

function stripDirectives(text: string): string {
  return text.replace(/\[\[[a-z]+(?::\d+)?\]\]/g, '').trim();
}

/** Splits into pieces of `size` code points so no piece ends inside a character. */
export function splitBy(text: string, size: number): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += Math.max(1, size)) pieces.push(chars.slice(i, i + Math.max(1, size)).join(''));
  return pieces;
}

/** Words with their trailing space, so joining the pieces gives the text back. */
export function wordPieces(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

function fillerPieces(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`${filler[i % filler.length]}${i === count - 1 ? '.' : ' '}`);
  return out;
}

export function toolArguments(parameters: unknown, userText: string): string {
  const props = parameters && typeof parameters === 'object' ? (parameters as { properties?: unknown }).properties : undefined;
  if (!props || typeof props !== 'object') return JSON.stringify({ input: userText });
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(props as Record<string, { type?: unknown }>)) {
    const type = schema?.type;
    args[name] = type === 'number' || type === 'integer' ? 1 : type === 'boolean' ? true : type === 'array' ? [] : type === 'object' ? {} : userText;
  }
  return JSON.stringify(args);
}

function wantsReasoning(body: ChatBodyLike, supportsReasoning: boolean): boolean {
  if (!supportsReasoning) return false;
  const reasoning = body.reasoning as { enabled?: unknown; effort?: unknown; exclude?: unknown; max_tokens?: unknown } | undefined;
  if (reasoning && typeof reasoning === 'object') {
    if (reasoning.exclude === true || reasoning.enabled === false || reasoning.effort === 'none') return false;
    return true;
  }
  return body.include_reasoning === true;
}

export function planAnswer(body: ChatBodyLike, supportsReasoning: boolean, toolCallSeq: number, demo = false): AnswerPlan {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as ChatMessageLike[];
  // Tool definitions are billed as prompt tokens, as providers do.
  const promptText = [...messages.map((m) => messageText(m.content)), ...(Array.isArray(body.tools) && body.tools.length ? [JSON.stringify(body.tools)] : [])].join('\n');
  const last = messages[messages.length - 1];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const userText = messageText(lastUser?.content);
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : undefined;
  const reasoningPieces = wantsReasoning(body, supportsReasoning) ? wordPieces(`Thinking about: ${stripDirectives(userText) || 'nothing'}. `) : [];
  const tools = (Array.isArray(body.tools) ? body.tools : []) as ToolLike[];

  const scripted = planAgentStep(messages, tools, toolCallSeq);
  if (scripted) return { reasoningPieces, ...scripted, promptText };
  if (tools.length > 0 && last?.role === 'user' && /use tool/i.test(userText)) {
    const tool = tools[0];
    const name = typeof tool?.function?.name === 'string' ? tool.function.name : 'tool';
    return {
      reasoningPieces,
      contentPieces: [],
      toolCalls: [{ id: `call_emu_${toolCallSeq}`, name, argumentPieces: splitBy(toolArguments(tool?.function?.parameters, stripDirectives(userText)), 8) }],
      finishReason: 'tool_calls',
      promptText,
    };
  }

  let contentPieces: string[];
  const echoAt = userText.indexOf('[[echo]]');
  if (last?.role === 'tool') {
    contentPieces = [...wordPieces(`Tool result: ${messageText(last.content)} `), ...fillerPieces(defaultFillerWords)];
  } else if (userText.includes('[[fim:')) {
    // A chat asked for the middle of a file: the same middle /completions would answer.
    contentPieces = splitBy(planMiddle(userText, undefined), 4);
  } else if (echoAt >= 0) {
    const size = directive(userText.slice(0, echoAt), 'chunksize') ?? 16;
    contentPieces = splitBy(userText.slice(echoAt + '[[echo]]'.length), size);
  } else if (demo && directive(userText, 'chunks') === undefined) {
    contentPieces = splitBy(demoAnswer(stripDirectives(userText)), 6);
  } else {
    const said = wordPieces(`You said: ${stripDirectives(userText)} `);
    const wanted = directive(userText, 'chunks') ?? (body.model === specialModelIds.long ? longModelChunks : said.length + defaultFillerWords);
    contentPieces = said.slice(0, wanted);
    if (contentPieces.length < wanted) contentPieces.push(...fillerPieces(wanted - contentPieces.length));
  }
  let finishReason: AnswerPlan['finishReason'] = 'stop';
  if (maxTokens !== undefined && maxTokens >= 0 && contentPieces.length > maxTokens) {
    contentPieces = contentPieces.slice(0, maxTokens);
    finishReason = 'length';
  }
  return { reasoningPieces, contentPieces, finishReason, promptText };
}

// Keeps a request inside the model's context before it is sent, so a long conversation or agent task never
// meets OpenRouter's 400: tool results are cut to a size first, then the older turns are replaced by a summary
// (condense.ts asks for it) or dropped. Pure: the chat and the agent loop (between steps) call the same plan.
import type { ChatMessage } from '../openrouter/types';
import { estimateMessageTokens, estimateMessagesTokens, estimateTextTokens } from '../models/tokenEstimate';

/** What the estimate may be off by: the request is fitted into this share of the model's budget. */
export const ESTIMATE_MARGIN = 0.9;
/** A tool result longer than this share of the budget is cut before it is sent. */
const TOOL_RESULT_SHARE = 0.25;
/** Room kept for the summary that replaces the older turns. */
export const SUMMARY_SHARE = 0.15;

export interface FitOptions {
  /** Prompt tokens the request may carry (models/modelLimits `promptBudget`). */
  budgetTokens: number;
  /** Most tokens one tool result keeps; a quarter of the budget unless given. */
  maxToolResultTokens?: number;
}

export interface FitPlan {
  /** Estimated prompt tokens of `messages`. */
  estimate: number;
  /** The budget the plan fits into (the model's, less the estimate's margin). */
  limit: number;
  /** True when `messages` (tool results already cut) fits as it is. */
  fits: boolean;
  messages: ChatMessage[];
  /** The system messages at the start, always kept. */
  head: ChatMessage[];
  /** Older messages to condense or drop (whole turns: a tool call stays with its results). */
  older: ChatMessage[];
  /** The recent messages kept as they are. */
  recent: ChatMessage[];
  /** Tool results that were cut. */
  cutToolResults: number;
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** Cuts `text` to about `maxTokens`, keeping its start and end, with a note saying how much was left out. */
export function cutText(text: string, maxTokens: number): string {
  const tokens = estimateTextTokens(text);
  if (tokens <= maxTokens) return text;
  const keepChars = Math.max(0, Math.floor((text.length * maxTokens) / tokens) - 200);
  const head = text.slice(0, Math.ceil(keepChars * 0.75));
  const tail = text.slice(text.length - Math.floor(keepChars * 0.25));
  const left = text.length - head.length - tail.length;
  return `${head}\n[… ${left.toLocaleString('en-US')} characters of this result were left out to fit the model's context …]\n${tail}`;
}

/** Tool results over `maxTokens` cut to that size (start and end kept, with a note to the model). */
export function capToolResults(messages: readonly ChatMessage[], maxTokens: number): { messages: ChatMessage[]; cut: number } {
  let cut = 0;
  const out = messages.map((message) => {
    if (message.role !== 'tool') return message;
    const text = textOf(message.content);
    const shorter = cutText(text, maxTokens);
    if (shorter === text) return message;
    cut++;
    return { ...message, content: shorter };
  });
  return { messages: out, cut };
}

/** Where a turn starts: a user message. Cutting only there keeps each tool call next to its result. */
function turnStarts(messages: readonly ChatMessage[], from: number): number[] {
  const starts: number[] = [];
  for (let i = from; i < messages.length; i++) if (messages[i]?.role === 'user') starts.push(i);
  return starts;
}

/**
 * How `messages` fits `budgetTokens`: tool results cut to size, then, when still too long, the split into the
 * older turns to condense or drop and the recent ones kept (as many as fit next to room for a summary; the
 * last question always). `fits` is false until the caller replaces `older`.
 */
export function planContextFit(messages: readonly ChatMessage[], options: FitOptions): FitPlan {
  const limit = Math.floor(options.budgetTokens * ESTIMATE_MARGIN);
  const capped = capToolResults(messages, options.maxToolResultTokens ?? Math.max(1000, Math.floor(limit * TOOL_RESULT_SHARE)));
  const all = capped.messages;
  const headEnd = all.findIndex((m) => m.role !== 'system');
  const head = headEnd < 0 ? all : all.slice(0, headEnd);
  const sizes = all.map((m) => estimateMessageTokens(m).tokens);
  const estimate = sizes.reduce((sum, n) => sum + n, 0);
  const base = { estimate, limit, messages: all, head, cutToolResults: capped.cut };
  if (estimate <= limit || headEnd < 0) return { ...base, fits: estimate <= limit, older: [], recent: all.slice(head.length) };

  const room = limit - sizes.slice(0, head.length).reduce((sum, n) => sum + n, 0) - Math.floor(limit * SUMMARY_SHARE);
  const starts = turnStarts(all, head.length);
  const startSet = new Set(starts);
  // The latest turn start whose tail fits; the last question is kept even when it alone is too long.
  let cut = starts.at(-1) ?? head.length;
  let tail = 0;
  for (let i = all.length - 1; i >= head.length; i--) {
    tail += sizes[i]!;
    if (tail > room) break;
    if (startSet.has(i)) cut = i;
  }
  return { ...base, fits: false, older: all.slice(head.length, cut), recent: all.slice(cut) };
}

/** The request with the older turns replaced by their summary. */
export function withSummary(plan: Pick<FitPlan, 'head' | 'recent'>, summary: string): ChatMessage[] {
  const note: ChatMessage = { role: 'user', content: `Summary of the earlier part of this conversation (condensed to fit the model's context):\n\n${summary}` };
  const ack: ChatMessage = { role: 'assistant', content: 'Understood; I will continue from that summary.' };
  return [...plan.head, note, ack, ...plan.recent];
}

/** The request with the older turns left out, and a note saying so. */
export function withoutOlder(plan: FitPlan): ChatMessage[] {
  if (plan.older.length === 0) return [...plan.head, ...plan.recent];
  const note: ChatMessage = { role: 'user', content: `[${plan.older.length} earlier messages of this conversation were left out to fit the model's context.]` };
  const ack: ChatMessage = { role: 'assistant', content: 'Understood.' };
  return [...plan.head, note, ack, ...plan.recent];
}

/** True when `messages` fits the plan's limit. */
export function fitsLimit(messages: readonly ChatMessage[], plan: Pick<FitPlan, 'limit'>): boolean {
  return estimateMessagesTokens(messages) <= plan.limit;
}

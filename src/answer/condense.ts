// Condenses the older turns of a conversation into a summary through the answer pipeline, so the summary is
// streamed, timed and billed (recorded in usage) like any answer, and the caller can show it with its cost.
// Falls back to dropping the older turns when condensing is off or fails. No vscode import.
import type { ChatMessage, ChatRequest } from '../openrouter/types';
import type { UsageSource } from '../usage/usageTypes';
import type { AnswerFigures } from './answerFigures';
import { runAnswer, type AnswerDeps, type AnswerObserver } from './answerRun';
import { cutText, fitsLimit, planContextFit, withoutOlder, withSummary, SUMMARY_SHARE, type FitOptions, type FitPlan } from './contextFit';

export type ContextStrategy = 'condense' | 'drop';

const instructions =
  'Summarise the conversation below so that it can replace it: keep the user\'s goals and decisions, facts, file names, code identifiers, ' +
  'tool results that still matter and open questions. Write plain, dense notes; do not answer anything in it.';

function messageText(message: ChatMessage): string {
  const text = typeof message.content === 'string' ? message.content : (message.content ?? []).map((p) => (p.type === 'text' ? p.text : '[image]')).join('\n');
  const calls = (message.tool_calls ?? []).map((c) => `[called ${c.function.name}(${c.function.arguments})]`).join('\n');
  const who = message.role === 'tool' ? 'Tool result' : message.role === 'assistant' ? 'Assistant' : message.role === 'user' ? 'User' : 'System';
  return `${who}: ${[text, calls].filter(Boolean).join('\n')}`;
}

/** The summary request for `older`: a transcript as plain text (no tool calls, no reasoning to send back), cut to fit. */
export function condenseRequest(model: string, older: readonly ChatMessage[], budgetTokens: number, extra: Partial<ChatRequest> = {}): ChatRequest {
  const transcript = cutText(older.map(messageText).join('\n\n'), Math.max(500, Math.floor(budgetTokens * 0.8)));
  return {
    ...extra,
    model,
    messages: [
      { role: 'system', content: instructions },
      { role: 'user', content: transcript },
    ],
    max_tokens: Math.max(256, Math.floor(budgetTokens * SUMMARY_SHARE * 0.9)),
  };
}

export interface FitRequest {
  source: UsageSource;
  model: string;
  messages: readonly ChatMessage[];
  fit: FitOptions;
  strategy: ContextStrategy;
  /** Routing fields for the summary request (provider, session); its messages and output limit are its own. */
  routing?: Partial<ChatRequest>;
  signal?: AbortSignal;
}

export type FitOutcome =
  | { action: 'as-is'; messages: ChatMessage[]; plan: FitPlan }
  | { action: 'cut-tool-results'; messages: ChatMessage[]; plan: FitPlan }
  | { action: 'condensed'; messages: ChatMessage[]; plan: FitPlan; summary: string; figures: AnswerFigures }
  | { action: 'dropped'; messages: ChatMessage[]; plan: FitPlan; reason: string; figures?: AnswerFigures }
  /** Even the latest question alone is longer than the model reads: nothing is sent. */
  | { action: 'too-long'; plan: FitPlan };

/**
 * Makes `messages` fit the model before it is sent: as it is, with long tool results cut, with the older turns
 * condensed into a summary (a request of its own, reported to `observer` and billed), or with them dropped
 * when condensing is off, fails or still does not fit. Never sends a request over the budget.
 */
export async function fitToContext(deps: AnswerDeps, request: FitRequest, observer: AnswerObserver = {}): Promise<FitOutcome> {
  const plan = planContextFit(request.messages, request.fit);
  if (plan.fits) return plan.cutToolResults > 0 ? { action: 'cut-tool-results', messages: plan.messages, plan } : { action: 'as-is', messages: plan.messages, plan };
  if (plan.older.length === 0 || !fitsLimit(withoutOlder(plan), plan)) return { action: 'too-long', plan };
  if (request.strategy === 'drop') return { action: 'dropped', messages: withoutOlder(plan), plan, reason: 'Condensing is off (openrouter.chat.contextOverflow).' };

  let summary = '';
  const run = runAnswer(
    deps,
    { source: request.source, request: condenseRequest(request.model, plan.older, request.fit.budgetTokens, request.routing), ...(request.signal ? { signal: request.signal } : {}) },
    { ...observer, onContent: (text) => ((summary += text), observer.onContent?.(text)) },
  );
  const figures = await run.ended;
  const condensed = withSummary(plan, summary.trim());
  if (figures.status !== 'done' || summary.trim() === '' || !fitsLimit(condensed, plan)) {
    const reason = figures.status === 'error' ? 'the summary request failed' : figures.status === 'stopped' ? 'the summary was stopped' : 'the summary was empty or too long';
    return { action: 'dropped', messages: withoutOlder(plan), plan, reason: `Condensing did not work (${reason}).`, figures };
  }
  return { action: 'condensed', messages: condensed, plan, summary: summary.trim(), figures };
}

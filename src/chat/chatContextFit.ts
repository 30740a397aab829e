// A chat request kept inside the model's context: the answer pipeline's context fit (src/answer/contextFit.ts)
// with the chat's budget (the model's limits less the answer's output limit), and its outcome shown on the
// turn (condensing as it runs, then the summary with its cost, or what was left out) and kept with the
// conversation so the next requests reuse the summary. No vscode import.
import { fitToContext, planContextFit, type FitOptions, type FitOutcome, type FitPlan } from '../answer';
import { promptBudget } from '../models/modelLimits';
import { pricePerToken } from '../models/modelPrice';
import type { ChatMessage, ChatRequest, Model } from '../openrouter/types';
import type { AnswerStats, AssistantTurn, ContextNotice, Conversation } from './conversation';
import { answerStats } from './answerStats';
import type { ChatSessionDeps } from './chatSessionDeps';

/** The budget of a request to a model the catalogue knows; undefined (sent as it is) for one it does not. */
export function chatFitOptions(deps: ChatSessionDeps, request: ChatRequest): FitOptions | undefined {
  const model = deps.catalogModel?.(request.model);
  return model ? { budgetTokens: promptBudget(model, request.max_tokens) } : undefined;
}

/** The plan for sending `messages` now; undefined when no budget is known. */
export function planChatFit(deps: ChatSessionDeps, request: ChatRequest): FitPlan | undefined {
  const options = chatFitOptions(deps, request);
  return options ? planContextFit(request.messages, options) : undefined;
}

function notice(plan: FitPlan, action: ContextNotice['action']): ContextNotice {
  const context: ContextNotice = { action, olderMessages: plan.older.length, estimateTokens: plan.estimate, limitTokens: plan.limit };
  if (plan.cutToolResults > 0) context.cutToolResults = plan.cutToolResults;
  return context;
}

export interface ChatFitContext {
  deps: ChatSessionDeps;
  conversation: Conversation;
  turn: AssistantTurn;
  /** The turn each request message came from (the summary's note and reply: the turn it summarised up to). */
  owners: ReadonlyArray<string | undefined>;
  signal: AbortSignal;
  answerDeps: Parameters<typeof fitToContext>[0];
  /** The conversation is shown: post the turn's notice. */
  post(context: ContextNotice): void;
}

/**
 * Condenses (or shortens) a request that does not fit, showing it on the turn; the messages to send, or
 * undefined when even the last question alone is too long (the turn then says so; nothing is sent).
 */
export async function fitChatRequest(fit: ChatFitContext, request: ChatRequest): Promise<ChatMessage[] | undefined> {
  const { deps, turn, conversation } = fit;
  const options = chatFitOptions(deps, request);
  if (!options) return request.messages;
  const first = planContextFit(request.messages, options);
  const strategy = deps.contextOverflow?.() ?? 'condense';
  if (!first.fits && first.older.length > 0 && strategy === 'condense') {
    turn.context = notice(first, 'condensing');
    fit.post(turn.context);
  }
  const { model: _model, messages: _messages, max_tokens: _max, ...routing } = request;
  const outcome: FitOutcome = await fitToContext(
    fit.answerDeps,
    { source: 'chat', model: request.model, messages: request.messages, fit: options, strategy, routing, signal: fit.signal },
    {
      // The summary's final bill (the usage chunk or /generation) replaces its first figures on the turn.
      onSettled: (figures) => {
        if (!turn.context) return;
        turn.context.stats = answerStats(figures);
        fit.post(turn.context);
      },
    },
  );
  // The chat sends no tool results, so nothing else is cut here; the agent loop shows its own cuts.
  if (outcome.action === 'as-is' || outcome.action === 'cut-tool-results') return outcome.messages;
  if (outcome.action === 'too-long') {
    turn.context = notice(outcome.plan, 'too-long');
    fit.post(turn.context);
    return undefined;
  }
  const context = notice(outcome.plan, outcome.action);
  if (outcome.figures && outcome.figures.source !== 'unavailable') context.stats = answerStats(outcome.figures);
  if (outcome.action === 'condensed') {
    context.summary = outcome.summary;
    const through = [...fit.owners.slice(outcome.plan.head.length, outcome.plan.head.length + outcome.plan.older.length)].reverse().find((id) => id !== undefined);
    if (through) conversation.condensed = { throughTurnId: through, summary: outcome.summary };
  } else {
    context.reason = outcome.reason;
  }
  turn.context = context;
  fit.post(context);
  return outcome.messages;
}

/** What the answer's reasoning tokens cost at the model's listed reasoning (else output) price, within its cost. */
export function reasoningCost(stats: AnswerStats, model: Model | undefined): number | undefined {
  if (!stats.reasoningTokens || stats.costUsd === undefined) return undefined;
  const reasoningPrice = pricePerToken(model?.pricing?.internal_reasoning);
  const price = reasoningPrice !== undefined && reasoningPrice > 0 ? reasoningPrice : pricePerToken(model?.pricing?.completion);
  if (price === undefined) return undefined;
  return Math.min(stats.costUsd, stats.reasoningTokens * price);
}

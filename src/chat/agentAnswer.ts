// One Agent mode answer streaming into a chat turn: the agent task (src/agent) with the chat's tools and limits,
// its text and reasoning as deltas, each tool call as it starts, asks and ends, the steps, tokens and cost so far
// under the answer, and a tool's question as a card the user answers in the conversation. No vscode import.
import { AgentTask, type AgentOutcome, type AgentProgress } from '../agent/agentTask';
import type { ToolConfirmation } from '../agent/agentTool';
import type { ToolCallOutcome } from '../agent/toolRunner';
import { errorNotice } from '../answer/errorNotice';
import { promptBudget } from '../models/modelLimits';
import type { ChatMessage } from '../openrouter/types';
import { newSessionId, parseRoutingOverrides } from '../routing';
import type { AgentTaskFigures, AssistantTurn, Conversation, ToolCallView } from './conversation';
import { agentInstructions, offeredTools, restrictedTaskNote } from './agentChoices';
import { answerStats } from './answerStats';
import type { AnswerTiming } from './answerTiming';
import { answerDeps, questionBefore, type ChatAnswerContext } from './chatAnswer';

/** The most characters of one tool result the model gets (about 10,000 tokens). */
export const MAX_TOOL_RESULT_CHARS = 40_000;
/** The most characters of a call's arguments kept with the chat for showing (a whole file's new text can be long). */
const MAX_SHOWN_ARGUMENTS_CHARS = 20_000;

export class AgentAnswer {
  private readonly task: AgentTask;
  readonly done: Promise<void>;
  private readonly questions = new Map<string, (accept: boolean) => void>();
  /** A new step's text starts a new paragraph. */
  private newStep = false;

  constructor(
    private readonly context: ChatAnswerContext,
    readonly conversation: Conversation,
    private readonly turn: AssistantTurn,
    messages: ChatMessage[],
    private readonly timing: AnswerTiming,
    private readonly onEnded: (answer: AgentAnswer) => void,
  ) {
    const { deps, chats } = context;
    const agent = deps.agent!;
    const sessionId = (conversation.sessionId ??= deps.newSessionId?.() ?? newSessionId());
    const overrides = parseRoutingOverrides(conversation.routing).value;
    const limits = agent.limits();
    const maxCostUsd = conversation.agent?.maxTaskCostUsd ?? limits.maxTaskCostUsd;
    turn.toolCalls = [];
    turn.agent = { steps: 0, maxSteps: limits.maxSteps, promptTokens: 0, completionTokens: 0, costUsd: 0, maxCostUsd, ...(agent.trusted() ? {} : { note: restrictedTaskNote }) };
    deps.post({ type: 'agentProgress', turnId: turn.id, agent: { ...turn.agent } });
    chats.hold(conversation);
    chats.track(chats.save(conversation));
    const prompt = questionBefore(conversation, turn);
    const request = { ...deps.routing?.(turn.model, sessionId, overrides), model: turn.model };
    // The task is kept within the model's context between steps, as a chat answer is (openrouter.chat.contextOverflow).
    const catalogued = deps.catalogModel?.(turn.model);
    const fit = catalogued ? { budgetTokens: promptBudget(catalogued, request.max_tokens), strategy: deps.contextOverflow?.() ?? ('condense' as const) } : undefined;
    this.task = new AgentTask(
      answerDeps(context),
      {
        source: 'chat',
        request,
        messages: withInstructions(messages),
        ...(fit ? { fit } : {}),
        tools: offeredTools(agent, conversation),
        model: agent.model(turn.model),
        limits: { maxSteps: limits.maxSteps, maxCostUsd, timeoutMs: limits.toolTimeoutSeconds * 1000, maxResultChars: MAX_TOOL_RESULT_CHARS },
        scope: { chatId: conversation.id, answerId: turn.id, autoApply: conversation.agent?.autoApply === true, confirm: (callId, question) => this.ask(callId, question) },
        ...(prompt !== undefined ? { prompt } : {}),
        ...(deps.confirmSend ? { mayContinue: () => deps.confirmSend!() } : {}),
      },
      {
        onStepStarted: (step) => (this.newStep = step > 1),
        onProcessing: () => deps.post({ type: 'answerProcessing', turnId: turn.id }),
        onRetry: ({ attempt, reason, waitMs }) => {
          turn.retry = { attempt, reason, retryAt: Date.now() + waitMs };
          deps.post({ type: 'answerRetry', turnId: turn.id, attempt, reason, waitMs });
        },
        onContent: (content) => this.delta({ content }),
        onReasoning: (reasoning) => this.delta({ reasoning }),
        onToolCallStarted: (call) => this.showCall({ callId: call.callId, name: call.name, arguments: shownArguments(call.arguments), status: 'running' }),
        onToolCallEnded: (outcome) => this.callEnded(outcome),
        onProgress: (progress) => this.progress(progress),
      },
    );
    this.done = this.task.done.then((outcome) => this.end(outcome));
  }

  /** Ends the task now: the step streaming stops, a running tool is told to stop, an open question is declined. */
  stop(): void {
    this.task.stop();
    for (const [callId, answer] of this.questions) this.answered(callId, answer, false);
  }

  /** The user's answer to a tool's question (from the card in the conversation). */
  confirmTool(turnId: string, callId: string, accept: boolean): void {
    const answer = this.questions.get(callId);
    if (turnId !== this.turn.id || !answer) return;
    this.answered(callId, answer, accept === true);
  }

  private answered(callId: string, answer: (accept: boolean) => void, accept: boolean): void {
    this.questions.delete(callId);
    const view = this.view(callId);
    if (view) {
      delete view.question;
      view.confirmed = accept;
      this.post(view);
    }
    answer(accept);
  }

  private ask(callId: string, question: ToolConfirmation): Promise<boolean> {
    const view = this.view(callId);
    if (!view || this.task.stopped) return Promise.resolve(false);
    view.question = { title: question.title, acceptLabel: question.acceptLabel, ...(question.code !== undefined ? { code: question.code } : {}), ...(question.detail !== undefined ? { detail: question.detail } : {}) };
    this.post(view);
    return new Promise<boolean>((resolve) => this.questions.set(callId, resolve));
  }

  private delta(piece: { content: string } | { reasoning: string }): void {
    const { turn } = this;
    delete turn.retry;
    if ('content' in piece) {
      // Each step's words start a paragraph of their own after the tool calls that came between.
      const text = this.newStep && turn.content !== '' && !turn.content.endsWith('\n\n') ? `\n\n${piece.content}` : piece.content;
      this.newStep = false;
      turn.content += text;
      this.context.deps.post({ type: 'answerDelta', turnId: turn.id, content: text });
    } else {
      turn.reasoning += piece.reasoning;
      this.context.deps.post({ type: 'answerDelta', turnId: turn.id, reasoning: piece.reasoning });
    }
  }

  private showCall(view: ToolCallView): void {
    this.turn.toolCalls!.push(view);
    this.post(view);
  }

  private callEnded(outcome: ToolCallOutcome): void {
    const view = this.view(outcome.callId);
    if (!view) return;
    this.questions.delete(outcome.callId);
    delete view.question;
    view.status = outcome.isError ? 'error' : 'done';
    view.summary = outcome.summary;
    view.durationMs = Math.round(outcome.durationMs);
    if (outcome.confirmed !== undefined) view.confirmed = outcome.confirmed;
    if (outcome.changedFiles) view.changedFiles = outcome.changedFiles;
    this.post(view);
    this.context.chats.track(this.context.chats.save(this.conversation));
  }

  private progress(progress: AgentProgress): void {
    const agent = this.turn.agent!;
    Object.assign(agent, progress);
    this.context.deps.post({ type: 'agentProgress', turnId: this.turn.id, agent: { ...agent } });
  }

  /** The newest call with this id (a model may reuse ids across steps). */
  private view(callId: string): ToolCallView | undefined {
    return this.turn.toolCalls?.findLast((call) => call.callId === callId);
  }

  private post(view: ToolCallView): void {
    this.context.deps.post({ type: 'toolCall', turnId: this.turn.id, call: structuredClone(view) });
  }

  private end(outcome: AgentOutcome): void {
    const { turn, context } = this;
    for (const [callId, answer] of this.questions) this.answered(callId, answer, false);
    const { end, progress, lastFigures } = outcome;
    delete turn.retry;
    const agent: AgentTaskFigures = { ...turn.agent!, ...progress };
    if (end.status === 'limit') agent.limitMessage = end.message;
    turn.agent = agent;
    turn.status = end.status === 'done' ? 'done' : end.status === 'error' ? 'error' : 'stopped';
    if (end.status === 'error') turn.error = errorNotice(end.error, context.deps.noticeContext?.(turn.model));
    if (lastFigures) {
      if (lastFigures.generationId) turn.generationId = lastFigures.generationId;
      // The figures under the answer are the whole task's: every step's tokens and cost.
      turn.stats = answerStats({ ...lastFigures, promptTokens: progress.promptTokens, completionTokens: progress.completionTokens, costUsd: progress.costUsd, source: lastFigures.source === 'pending' ? 'usage' : lastFigures.source });
    }
    context.deps.post({ type: 'agentProgress', turnId: turn.id, agent: { ...agent } });
    context.deps.post({ type: 'answerEnd', turnId: turn.id, status: turn.status, ...(turn.error ? { error: turn.error } : {}), ...(turn.stats ? { stats: turn.stats } : {}) });
    context.chats.track(context.chats.save(this.conversation).finally(() => context.chats.release(this.conversation)));
    const timingLine = this.timing.describe();
    if (timingLine) context.deps.log.info(timingLine);
    this.onEnded(this);
    context.deps.onAnswerFinished();
  }
}

function shownArguments(raw: string): string {
  return raw.length > MAX_SHOWN_ARGUMENTS_CHARS ? `${raw.slice(0, MAX_SHOWN_ARGUMENTS_CHARS)}… (${raw.length - MAX_SHOWN_ARGUMENTS_CHARS} more characters)` : raw;
}

/** Agent mode's instructions come first, then the user's own system prompt. */
function withInstructions(messages: ChatMessage[]): ChatMessage[] {
  const first = messages[0];
  if (first?.role === 'system' && typeof first.content === 'string') return [{ role: 'system', content: `${agentInstructions}\n\n${first.content}` }, ...messages.slice(1)];
  return [{ role: 'system', content: agentInstructions }, ...messages];
}

// One agent task: the model answers with tools on offer, each call is run (toolRunner.ts) and its result sent back,
// until the model answers without a call, the user stops it, or a limit ends it (steps, the task's cost cap, the
// daily/monthly budgets). Every step is one answer of the answer pipeline (src/answer): streaming, stop versus
// error, the bill and the usage record are its job, not this file's. No vscode import.
import { fitToContext, runAnswer, type AnswerDeps, type AnswerFigures, type AnswerObserver, type AnswerRun, type ContextStrategy } from '../answer';
import { ToolCallAssembler } from '../answer/toolCalls';
import type { ChatMessage, ChatRequest } from '../openrouter/types';
import type { UsageSource } from '../usage/usageTypes';
import { formatUsd } from '../util/usd';
import type { AgentTool } from './agentTool';
import { worstStepCost, type PricedModel } from './stepCost';
import { runToolCall, type ToolCallOutcome, type ToolCallScope, type ToolRunLimits } from './toolRunner';

export interface AgentLimits extends ToolRunLimits {
  /** Model requests one task may make. */
  maxSteps: number;
  /** USD one task may spend; the step that could cross it is not sent. */
  maxCostUsd: number;
}

export interface AgentTaskRequest {
  source: UsageSource;
  /** Everything the requests carry but the messages and the tools: model, routing, `max_tokens`. */
  request: Partial<ChatRequest> & { model: string };
  messages: ChatMessage[];
  tools: readonly AgentTool[];
  /** The catalogue's entry for the model: its prices bound each step's worst case. */
  model: PricedModel | undefined;
  limits: AgentLimits;
  scope: Omit<ToolCallScope, 'signal'>;
  /** Stops the task as the Stop button does. */
  signal?: AbortSignal;
  /** The user's words, for the usage record. */
  prompt?: string;
  /**
   * The model's prompt budget and what to do when the task outgrows it: before each step long tool results are cut
   * and older turns condensed or dropped (src/answer/condense.ts); a step that still cannot fit is not sent.
   */
  fit?: { budgetTokens: number; strategy: ContextStrategy };
  /** Asked before every step after the first (the budget guard): false sends nothing more. */
  mayContinue?(): Promise<boolean>;
}

export interface AgentProgress {
  steps: number;
  promptTokens: number;
  completionTokens: number;
  /** As billed, with a step whose bill is unknown counted at its worst case. */
  costUsd: number;
}

export type AgentLimitKind = 'steps' | 'cost' | 'budget' | 'price-unknown' | 'context';

export type AgentEnd = { status: 'done' } | { status: 'stopped' } | { status: 'error'; error: unknown } | { status: 'limit'; limit: AgentLimitKind; message: string };

export interface AgentOutcome {
  end: AgentEnd;
  progress: AgentProgress;
  /** The conversation as sent, with every assistant message and tool result of the task. */
  messages: ChatMessage[];
  /** The last step's figures (model, provider, timing). */
  lastFigures?: AnswerFigures;
}

export interface AgentObserver extends Pick<AnswerObserver, 'onProcessing' | 'onRetry' | 'onContent' | 'onReasoning'> {
  onStepStarted?(step: number): void;
  onToolCallStarted?(call: { callId: string; name: string; arguments: string }): void;
  onToolCallEnded?(outcome: ToolCallOutcome): void;
  /** After each step's answer and after each tool call. */
  onProgress?(progress: AgentProgress): void;
}

export class AgentTask {
  private readonly controller = new AbortController();
  private readonly signal: AbortSignal;
  private current: AnswerRun | undefined;
  private readonly progress: AgentProgress = { steps: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
  private readonly messages: ChatMessage[];
  private readonly tools: ReadonlyMap<string, AgentTool>;
  /** Resolves when the task has ended, however it ended. Never rejects. */
  readonly done: Promise<AgentOutcome>;

  constructor(
    private readonly deps: AnswerDeps,
    private readonly task: AgentTaskRequest,
    private readonly observer: AgentObserver = {},
  ) {
    this.signal = task.signal ? AbortSignal.any([this.controller.signal, task.signal]) : this.controller.signal;
    this.messages = [...task.messages];
    this.tools = new Map(task.tools.map((tool) => [tool.name, tool]));
    this.done = this.run().catch((error: unknown) => this.outcome({ status: 'error', error }));
  }

  /** Ends the task now: the streaming step stops, a running tool's signal aborts, an open question is declined. */
  stop(): void {
    this.controller.abort();
    this.current?.stop();
  }

  get stopped(): boolean {
    return this.signal.aborted;
  }

  private async run(): Promise<AgentOutcome> {
    const { limits } = this.task;
    const toolList = this.task.tools.map((tool) => ({ type: 'function' as const, function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } }));
    let lastFigures: AnswerFigures | undefined;
    for (;;) {
      if (this.stopped) return this.outcome({ status: 'stopped' }, lastFigures);
      const step = this.progress.steps + 1;
      if (step > limits.maxSteps) return this.outcome(limit('steps', `Stopped after ${limits.maxSteps} steps, the most one task may take (openrouter.agent.maxSteps). Send “continue” to go on.`), lastFigures);
      if (!(await this.fitMessages())) {
        return this.outcome(limit('context', `Stopped before step ${step}: the task no longer fits the model's context, even with long tool results cut. Start a new task with a narrower question, or choose a model with a longer context.`), lastFigures);
      }
      if (this.stopped) return this.outcome({ status: 'stopped' }, lastFigures);
      const request: ChatRequest = { ...this.task.request, messages: [...this.messages], ...(toolList.length ? { tools: toolList } : {}) };
      const worst = worstStepCost(this.task.model, request);
      if (worst === undefined) return this.outcome(limit('price-unknown', `Not sent: the price of ${request.model} is unknown, so the task's cost cap cannot be kept. Choose a model from the model list.`), lastFigures);
      if (this.progress.costUsd + worst > limits.maxCostUsd) {
        const spent = this.progress.costUsd;
        const message = `Stopped before step ${step}: it could cost up to ${formatUsd(worst)}, which would take this task from ${formatUsd(spent)} past its cost cap of ${formatUsd(limits.maxCostUsd)}. Raise the cap for this chat in the Agent options and send “continue” to go on.`;
        return this.outcome(limit('cost', message), lastFigures);
      }
      if (step > 1 && this.task.mayContinue && !(await this.task.mayContinue())) {
        return this.outcome(limit('budget', 'Stopped: your OpenRouter budget is used up and you chose not to go over it. Raise openrouter.budget.daily / openrouter.budget.monthly, or allow more when asked, and send “continue”.'), lastFigures);
      }
      if (this.stopped) return this.outcome({ status: 'stopped' }, lastFigures);
      this.progress.steps = step;
      this.observer.onStepStarted?.(step);
      const answer = await this.step(request);
      lastFigures = answer.figures;
      this.count(answer.figures, worst);
      if (answer.figures.status === 'stopped' || this.stopped) return this.outcome({ status: 'stopped' }, lastFigures);
      if (answer.figures.status === 'error') return this.outcome({ status: 'error', error: answer.figures.error }, lastFigures);
      this.messages.push(answer.message);
      if (!answer.message.tool_calls?.length) return this.outcome({ status: 'done' }, lastFigures);
      for (const call of answer.message.tool_calls) {
        const raw = { callId: call.id, name: call.function.name, arguments: call.function.arguments };
        this.observer.onToolCallStarted?.(raw);
        const outcome = await runToolCall(raw, this.tools, { ...this.task.scope, signal: this.signal }, limits);
        this.messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.content });
        this.observer.onToolCallEnded?.(outcome);
      }
    }
  }

  /** Makes the conversation fit the model before a step; false when even the latest question does not. */
  private async fitMessages(): Promise<boolean> {
    const fit = this.task.fit;
    if (!fit) return true;
    const fitted = await fitToContext(this.deps, { source: this.task.source, model: this.task.request.model, messages: this.messages, fit: { budgetTokens: fit.budgetTokens }, strategy: fit.strategy, routing: this.task.request, signal: this.signal });
    if (fitted.action === 'too-long') return false;
    // A summary request is part of the task: its bill counts against the task's cap.
    if ('figures' in fitted && fitted.figures) this.progress.costUsd += fitted.figures.costUsd ?? 0;
    if (fitted.action !== 'as-is') this.messages.splice(0, this.messages.length, ...fitted.messages);
    return true;
  }

  /** One answer with the tools on offer; the assistant message keeps its calls and reasoning as they came. */
  private async step(request: ChatRequest): Promise<{ figures: AnswerFigures; message: ChatMessage }> {
    const calls = new ToolCallAssembler();
    let content = '';
    let reasoning = '';
    const details: unknown[] = [];
    const { observer } = this;
    const run = runAnswer(this.deps, { source: this.task.source, request, signal: this.signal, ...(this.task.prompt !== undefined ? { prompt: this.task.prompt } : {}) }, {
      onProcessing: () => observer.onProcessing?.(),
      onRetry: (retry) => observer.onRetry?.(retry),
      onContent: (text) => {
        content += text;
        observer.onContent?.(text);
      },
      onReasoning: (text) => {
        reasoning += text;
        observer.onReasoning?.(text);
      },
      onReasoningDetails: (pieces) => void details.push(...pieces),
      onToolCalls: (deltas) => calls.push(deltas),
    });
    this.current = run;
    let figures = await run.ended;
    // The cap needs the bill: when the stream did not carry it, /generation is asked before the next step.
    if (figures.status === 'done' && figures.costUsd === undefined) figures = await run.settled;
    const message: ChatMessage = { role: 'assistant', content: content === '' ? null : content };
    const toolCalls = calls.finishRaw();
    if (toolCalls.length) message.tool_calls = toolCalls.map((call) => ({ id: call.callId, type: 'function', function: { name: call.name, arguments: call.arguments } }));
    if (reasoning) message.reasoning = reasoning;
    if (details.length) message.reasoning_details = details;
    return { figures, message };
  }

  private count(figures: AnswerFigures, worst: number): void {
    this.progress.promptTokens += figures.promptTokens ?? 0;
    this.progress.completionTokens += figures.completionTokens ?? 0;
    // A bill that never came counts at the step's worst case, so the cap still holds.
    this.progress.costUsd += figures.costUsd ?? (figures.generationId ? worst : 0);
    this.observer.onProgress?.({ ...this.progress });
  }

  private outcome(end: AgentEnd, lastFigures?: AnswerFigures): AgentOutcome {
    return { end, progress: { ...this.progress }, messages: this.messages, ...(lastFigures ? { lastFigures } : {}) };
  }
}

function limit(kind: AgentLimitKind, message: string): AgentEnd {
  return { status: 'limit', limit: kind, message };
}

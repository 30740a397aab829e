// The chat's Agent mode as both sides of the chat panel see it (part of the chat's protocol, protocol.ts).
// Imported with `import type` only, so nothing here may exist at run time except types.

/** Ask answers a question; Agent lets the model use tools until the task is done. */
export type ChatMode = 'ask' | 'agent';

/** One chat's Agent mode choices; each field absent means the default. */
export interface AgentChoices {
  /** Tools turned off for this chat, by name. */
  disabledTools?: string[];
  /** Edits are applied without review in this chat (commands are always confirmed). */
  autoApply?: boolean;
  /** The most one task of this chat may cost, USD (absent: `openrouter.agent.maxTaskCostUsd`). */
  maxTaskCostUsd?: number;
}

/** A tool as the chat lists it. */
export interface AgentToolEntry {
  name: string;
  description: string;
  source: 'openrouter' | 'extension' | 'mcp';
  writes?: boolean;
  runsCommands?: boolean;
  /** Why the model cannot use it here (Restricted Mode), when it cannot. */
  unavailable?: string;
}

/** What the Agent options show: the tools, whether the workspace is trusted, the limits from the settings. */
export interface AgentPanelState {
  tools: AgentToolEntry[];
  trusted: boolean;
  maxSteps: number;
  defaultMaxTaskCostUsd: number;
}

/** A question a tool asks before it acts, shown as a card in the conversation. */
export interface ToolQuestion {
  title: string;
  /** Shown verbatim in a code block, never as markdown. */
  code?: string;
  detail?: string;
  acceptLabel: string;
}

/** One tool call as the conversation shows it. */
export interface ToolCallView {
  callId: string;
  name: string;
  /** The arguments as the model sent them (shown collapsed). */
  arguments: string;
  status: 'running' | 'done' | 'error';
  summary?: string;
  durationMs?: number;
  /** Whether the user confirmed it (absent when nothing was asked). */
  confirmed?: boolean;
  /** The question waiting for the user's answer. */
  question?: ToolQuestion;
  changedFiles?: string[];
}

/** A task's figures so far, under the running answer and kept with it. */
export interface AgentTaskFigures {
  steps: number;
  maxSteps: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  maxCostUsd: number;
  /** What ended the task when a limit did (steps, cost cap, budget). */
  limitMessage?: string;
  /** Why some tools were not offered (Restricted Mode). */
  note?: string;
}

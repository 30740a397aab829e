// The chat's Agent mode as both sides of the chat panel see it (part of the chat's protocol, chat.ts); the
// choices a chat keeps and its tool calls are the chat's own (src/chat/conversation.ts).
// Imported with `import type` only, so nothing here may exist at run time except types.

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

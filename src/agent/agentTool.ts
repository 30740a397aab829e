// What the agent loop knows of a tool, whoever provides it: the extension's own workspace tools, a tool
// another extension registered with VS Code, or an MCP server's tool that VS Code offers. The loop
// validates the model's arguments against `inputSchema`, limits time and result size, and shows every
// call; the tool does the work and asks the user itself when it must. No vscode import.

/** Where a tool comes from, shown next to its name in the chat's tool list. */
export type AgentToolSource = 'openrouter' | 'extension' | 'mcp';

export interface AgentToolInfo {
  /** The name the model calls it by: letters, digits, `_` and `-`, at most 64 characters. */
  name: string;
  /** What the tool does, for the model. */
  description: string;
  /** JSON Schema of the arguments (an object schema). */
  inputSchema: Record<string, unknown>;
  source: AgentToolSource;
  /** Writes or creates files: left out in Restricted Mode and reviewed (unless auto-apply is on for the chat). */
  writes?: boolean;
  /** Runs commands: left out in Restricted Mode and always confirmed first. */
  runsCommands?: boolean;
}

/** What a tool gets for one call. */
export interface AgentToolCallContext {
  /** The model's id for this call (`tool_call_id`). */
  callId: string;
  /** The chat and the answer the call belongs to: edits are grouped per answer for Undo. */
  chatId: string;
  answerId: string;
  /** The user chose to apply this chat's edits without review (never skips a command's confirmation). */
  autoApply: boolean;
  /** Aborted when the user stops the task or the tool's time is up. */
  signal: AbortSignal;
  /**
   * Asks the user in the chat, next to the call (keyboard reachable), before anything is written or run;
   * resolves false when declined or when the task is stopped while it waits.
   */
  confirm(question: ToolConfirmation): Promise<boolean>;
}

/** A question shown in the conversation before a tool acts. */
export interface ToolConfirmation {
  /** One line: what will happen ("Run this command in the terminal?"). */
  title: string;
  /** Shown verbatim in a code block (the command line, the file path); never rendered as markdown. */
  code?: string;
  /** More context in plain text (the working folder, why it is asked). */
  detail?: string;
  /** The accept button's label ("Run", "Create file"). */
  acceptLabel: string;
}

/** A call's outcome: `content` goes back to the model, `summary` is the one line the chat shows. */
export interface AgentToolResult {
  content: string;
  summary: string;
  /** The tool failed or refused: the model reads why in `content`. */
  isError?: boolean;
  /** Whether the user confirmed the call (absent when no confirmation was asked). */
  confirmed?: boolean;
  /** Files the call changed (workspace-relative), for the answer's checkpoint and the chat's list. */
  changedFiles?: string[];
}

export interface AgentTool extends AgentToolInfo {
  /** `input` has already been checked against `inputSchema`. Throwing is allowed: the loop turns it into an error result. */
  invoke(input: Record<string, unknown>, context: AgentToolCallContext): Promise<AgentToolResult>;
}

// Calling the agent's tools from the VS Code suite as the agent loop would: by name, with the model's arguments
// and a scripted answer to any confirmation (an internal command of development and test runs).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AgentToolResult, AgentToolSource, ToolConfirmation } from '../../src/agent/agentTool';
import { internalCommandIds } from '../../src/commands/commandIds';

export interface ListedTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  source: AgentToolSource;
  writes: boolean;
  runsCommands: boolean;
}

export interface ToolCall {
  result?: AgentToolResult;
  thrown?: string;
  confirmations: ToolConfirmation[];
}

export async function listTools(): Promise<ListedTool[]> {
  return (await vscode.commands.executeCommand(internalCommandIds.agentTools)) as ListedTool[];
}

export async function callTool(name: string, input: Record<string, unknown>, options: { confirm?: boolean; autoApply?: boolean; answerId?: string; timeoutMs?: number } = {}): Promise<ToolCall> {
  return (await vscode.commands.executeCommand(internalCommandIds.invokeAgentTool, name, input, options)) as ToolCall;
}

/** The call's result, which must exist (the tool did not throw). */
export async function resultOf(name: string, input: Record<string, unknown>, options: Parameters<typeof callTool>[2] = {}): Promise<AgentToolResult> {
  const call = await callTool(name, input, options);
  assert.ok(call.result, `${name} threw: ${call.thrown}`);
  return call.result;
}

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, relative);
}

export async function writeWorkspaceFile(relative: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceUri(relative);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** The file's bytes on disk as text, or undefined when there is no file. */
export async function diskText(relative: string): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri(relative)));
  } catch {
    return undefined;
  }
}

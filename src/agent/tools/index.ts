// The agent's tools, built once in the composition root: the extension's own workspace tools and every tool VS Code
// knows (`vscode.lm.tools`: other extensions' and MCP servers'). `list()` is asked at the start of each task, so
// tools registered since then and a change of workspace trust count.
import * as vscode from 'vscode';
import type { Edits } from '../../edits';
import type { ContentGate } from '../../exclusion/contentGate';
import type { Log } from '../../log/logger';
import type { AgentTool } from '../agentTool';
import { createFileTool } from './createFileTool';
import { diagnosticsTool } from './diagnosticsTool';
import { listFilesTool } from './listFilesTool';
import { runAsProcess } from './processRun';
import { proposeEditTool } from './proposeEditTool';
import { readFileTool } from './readFileTool';
import { searchTextTool } from './searchTextTool';
import { AgentTerminals } from './terminalRun';
import { terminalTool } from './terminalTool';
import { registerAgentToolTestCommands } from './toolTestCommand';
import { allowedTools } from './trustFilter';
import { vscodeLmTools } from './vscodeLmTools';
import { WorkspaceAccess } from './workspaceAccess';

export interface AgentToolDeps {
  gate: ContentGate;
  edits: Pick<Edits, 'proposals' | 'checkpoints'>;
  log: Log;
  /** Registers the commands the VS Code suite lists and calls the tools with (development and test runs). */
  internalCommands: boolean;
}

export interface AgentToolset extends vscode.Disposable {
  /** The tools the model may be offered now. In Restricted Mode: no tool that writes, runs commands or comes from elsewhere. */
  list(): AgentTool[];
  /** One sentence for the chat when Restricted Mode leaves tools out, else undefined. */
  restrictedNote(): string | undefined;
  /**
   * Fires when the list may have changed: the workspace was trusted, or extensions came or went. (VS Code has no
   * event for MCP servers' tools: `list()` is read again at each task.)
   */
  onDidChange: vscode.Event<void>;
}

export const RESTRICTED_MODE_NOTE = 'This workspace is in Restricted Mode: the agent can read, list and search files and see diagnostics, but not edit or create files, run commands, or use other extensions\' and MCP servers\' tools. Trust the workspace to allow them.';

export function createAgentTools(deps: AgentToolDeps): AgentToolset {
  const access = new WorkspaceAccess(deps.gate);
  const terminals = new AgentTerminals();
  const own: AgentTool[] = [
    readFileTool(access),
    listFilesTool(access),
    searchTextTool(access),
    diagnosticsTool(access),
    proposeEditTool(access, deps),
    createFileTool(access, deps),
    terminalTool(access, terminals, runAsProcess),
  ];
  const ownNames = new Set(own.map((tool) => tool.name));
  const changed = new vscode.EventEmitter<void>();
  const disposables: vscode.Disposable[] = [terminals, changed, vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()), vscode.extensions.onDidChange(() => changed.fire())];
  const toolset: AgentToolset = {
    list() {
      const trusted = vscode.workspace.isTrusted;
      return allowedTools(trusted ? [...own, ...vscodeLmTools(access, ownNames)] : own, trusted);
    },
    restrictedNote: () => (vscode.workspace.isTrusted ? undefined : RESTRICTED_MODE_NOTE),
    onDidChange: changed.event,
    dispose: () => vscode.Disposable.from(...disposables).dispose(),
  };
  if (deps.internalCommands) disposables.push(registerAgentToolTestCommands(toolset));
  return toolset;
}

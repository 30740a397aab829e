// Which tools a workspace's trust allows, decided without VS Code (unit-tested): in Restricted Mode only the
// extension's own tools that neither write nor run anything; other extensions' and MCP servers' tools could do
// either, so they are left out too.
import type { AgentToolInfo } from '../agentTool';

export function allowedTools<T extends AgentToolInfo>(tools: readonly T[], trusted: boolean): T[] {
  return trusted ? [...tools] : tools.filter((tool) => tool.source === 'openrouter' && !tool.writes && !tool.runsCommands);
}

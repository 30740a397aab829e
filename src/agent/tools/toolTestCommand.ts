// Internal commands (development and test runs only) that let the VS Code suite list the agent's tools and call
// one by name with the model's arguments and a scripted answer to its confirmation, as the agent loop would.
import * as vscode from 'vscode';
import { internalCommandIds } from '../../commands/commandIds';
import { errorText } from '../../util/errorText';
import type { AgentToolResult, ToolConfirmation } from '../agentTool';
import type { AgentToolset } from './index';

export interface ToolTestCall {
  /** The answer to every confirmation the tool asks for. */
  confirm?: boolean;
  autoApply?: boolean;
  chatId?: string;
  answerId?: string;
  /** Aborts the call after this long, as the loop's time limit would. */
  timeoutMs?: number;
}

export interface ToolTestOutcome {
  result?: AgentToolResult;
  /** What the tool threw (the loop turns it into an error result). */
  thrown?: string;
  confirmations: ToolConfirmation[];
}

export function registerAgentToolTestCommands(tools: AgentToolset): vscode.Disposable {
  let calls = 0;
  return vscode.Disposable.from(
    vscode.commands.registerCommand(internalCommandIds.agentTools, () => tools.list().map(({ name, description, inputSchema, source, writes, runsCommands }) => ({ name, description, inputSchema, source, writes: !!writes, runsCommands: !!runsCommands }))),
    vscode.commands.registerCommand(internalCommandIds.invokeAgentTool, async (name: string, input: Record<string, unknown>, options: ToolTestCall = {}): Promise<ToolTestOutcome> => {
      const tool = tools.list().find((candidate) => candidate.name === name);
      const confirmations: ToolConfirmation[] = [];
      if (!tool) return { thrown: `No tool named ${name}`, confirmations };
      const controller = new AbortController();
      const timer = options.timeoutMs ? setTimeout(() => controller.abort(), options.timeoutMs) : undefined;
      try {
        const result = await tool.invoke(input ?? {}, {
          callId: `test-call-${++calls}`,
          chatId: options.chatId ?? 'test-chat',
          answerId: options.answerId ?? `test-answer-${calls}`,
          autoApply: options.autoApply === true,
          signal: controller.signal,
          confirm: (question) => {
            confirmations.push(question);
            return Promise.resolve(options.confirm === true);
          },
        });
        return { result, confirmations };
      } catch (error) {
        return { thrown: errorText(error), confirmations };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

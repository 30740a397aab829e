// run_terminal_command: a shell command in the workspace, ALWAYS confirmed by the user first (auto-apply never
// skips this), then run in a VS Code terminal through shell integration with its output captured, cut to a size
// and stopped at a time limit. Without shell integration the confirmed command runs as a child process instead.
import type { AgentTool } from '../agentTool';
import type { CommandRun } from './commandRun';
import { toolLimits } from './toolLimits';
import { boundedInt, done, failed, optionalString } from './toolResult';
import type { AgentTerminals } from './terminalRun';
import type { WorkspaceAccess } from './workspaceAccess';

/** The child-process fallback (Node only); absent in a build without processes. */
export type ProcessRunner = (command: string, cwd: string, timeoutMs: number, maxChars: number, signal: AbortSignal) => Promise<CommandRun>;

export function terminalTool(access: WorkspaceAccess, terminals: AgentTerminals, runProcess: ProcessRunner | undefined): AgentTool {
  return {
    name: 'run_terminal_command',
    source: 'openrouter',
    runsCommands: true,
    description: `Run a shell command in a terminal in the workspace folder (or a subfolder) and get its output and exit code. The user sees the command and must approve it every time; they may decline. Output is cut to ${toolLimits.maxCommandOutputChars} characters (start and end kept); the command is stopped (Ctrl+C) after timeoutSeconds. Do not start servers or watchers that never end.`,
    inputSchema: {
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The command line, as typed in a shell.' },
        cwd: { type: 'string', description: 'Folder to run it in, relative to the workspace folder. Default: the workspace folder.' },
        timeoutSeconds: { type: 'integer', minimum: 1, maximum: toolLimits.commandMaxSeconds, description: `Stop the command after this long (default ${toolLimits.commandDefaultSeconds}).` },
      },
      required: ['command'],
      additionalProperties: false,
    },
    async invoke(input, context) {
      const command = (optionalString(input, 'command') ?? '').trim();
      if (!command) return failed('command is empty: give the command line to run.');
      const where = await access.resolve(optionalString(input, 'cwd') ?? '');
      if (!where.ok) return failed(where.reason);
      const seconds = boundedInt(input, 'timeoutSeconds', toolLimits.commandDefaultSeconds, 1, toolLimits.commandMaxSeconds);
      const folder = where.file.relative || 'the workspace folder';
      const confirmed = await context.confirm({
        title: 'Run this command in the terminal?',
        code: command,
        detail: `In ${folder}, stopped after ${seconds} s. The model asked for it; it sees the output. Check it does only what you want.`,
        acceptLabel: 'Run',
      });
      if (!confirmed) return failed('The user declined to run this command; it was not run. Do not run it another way; ask the user or continue without it.', `Declined: ${command}`, { confirmed: false });
      if (context.signal.aborted) return failed('The task was stopped before the command ran; it was not run.', `Not run: ${command}`, { confirmed: true });
      let run = await terminals.run(command, where.file.uri, seconds * 1000, toolLimits.maxCommandOutputChars, context.signal);
      let note = '';
      if (!run) {
        if (context.signal.aborted) return failed('The task was stopped before the command ran; it was not run.', `Not run: ${command}`, { confirmed: true });
        if (!runProcess || where.file.uri.scheme !== 'file') return failed('The terminal did not report shell integration, so the command output could not be captured; the command was not run.', `Not run (no shell integration): ${command}`, { confirmed: true });
        note = '(VS Code\'s terminal shell integration is off or unavailable, so the command ran as a background process in the same folder.)\n';
        run = await runProcess(command, where.file.uri.fsPath, seconds * 1000, toolLimits.maxCommandOutputChars, context.signal);
      }
      const status = run.stopped === 'time limit' ? `stopped after the ${seconds} s time limit` : run.stopped === 'task stopped' ? 'stopped before it finished: the task was stopped or the call ran out of time' : run.exitCode === undefined ? 'finished (exit code not reported)' : `exit code ${run.exitCode}`;
      const output = await access.withoutSecrets(run.output, 'run_terminal_command');
      const content = `${note}$ ${command}\n${output || '(no output)'}${output.endsWith('\n') || !output ? '' : '\n'}[${status}]`;
      const summary = `Ran ${command.length > 60 ? `${command.slice(0, 57)}…` : command} (${status})`;
      return run.stopped || (run.exitCode ?? 0) !== 0 ? failed(content, summary, { confirmed: true }) : done(content, summary, { confirmed: true });
    },
  };
}

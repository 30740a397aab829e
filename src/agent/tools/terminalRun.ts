// Runs a command in a VS Code terminal through its shell integration: the user sees it run in the terminal, the
// output is read from the execution (`execution.read()`) and the exit code from the end event. One terminal is
// reused while it is idle in the same folder.
import * as vscode from 'vscode';
import { sleep } from '../../openrouter/retry';
import { OutputCollector } from './outputCollector';
import { SHELL_INTEGRATION_WAIT_MS, STOP_GRACE_MS, type CommandRun } from './commandRun';

export const AGENT_TERMINAL_NAME = 'OpenRouter Agent';

export class AgentTerminals implements vscode.Disposable {
  private idle: vscode.Terminal | undefined;
  /** A terminal already failed to report shell integration in this window: later commands do not wait for it again. */
  private integrationMissing = false;

  /** Runs `command` in `cwd`; undefined when no terminal with shell integration could be had (nothing was run). */
  async run(command: string, cwd: vscode.Uri, timeoutMs: number, maxChars: number, signal: AbortSignal): Promise<CommandRun | undefined> {
    if (this.integrationMissing || vscode.workspace.getConfiguration('terminal.integrated').get('shellIntegration.enabled') === false) return undefined;
    const terminal = this.takeIdle(cwd) ?? vscode.window.createTerminal({ name: AGENT_TERMINAL_NAME, cwd, isTransient: true });
    this.idle = undefined;
    terminal.show(true);
    const integration = terminal.shellIntegration ?? (await shellIntegrationOf(terminal, signal));
    if (!integration) {
      terminal.dispose();
      this.integrationMissing = !signal.aborted;
      return undefined;
    }
    const collector = new OutputCollector(maxChars);
    const execution = integration.executeCommand(command);
    let exitCode: number | undefined;
    let ended = false;
    const endSeen = new Promise<void>((resolve) => {
      const listener = vscode.window.onDidEndTerminalShellExecution((event) => {
        if (event.execution !== execution) return;
        exitCode = event.exitCode;
        ended = true;
        listener.dispose();
        resolve();
      });
    });
    const reading = (async () => {
      for await (const chunk of execution.read()) collector.add(chunk);
    })();
    const stopped = await untilDone(Promise.all([reading, endSeen]), timeoutMs, signal);
    if (stopped) {
      terminal.sendText('\x03', false);
      await Promise.race([endSeen, sleep(STOP_GRACE_MS)]);
    }
    if (ended && !stopped && terminal.exitStatus === undefined) this.idle = terminal;
    return { output: collector.text(), exitCode: ended ? exitCode : undefined, stopped, via: 'terminal' };
  }

  dispose(): void {
    this.idle = undefined;
  }

  private takeIdle(cwd: vscode.Uri): vscode.Terminal | undefined {
    const terminal = this.idle;
    if (!terminal || terminal.exitStatus !== undefined || !vscode.window.terminals.includes(terminal)) return undefined;
    return terminal.shellIntegration?.cwd?.toString() === cwd.toString() ? terminal : undefined;
  }
}

/** The terminal's shell integration once its shell reports it; undefined after the wait or if the terminal closes. */
function shellIntegrationOf(terminal: vscode.Terminal, signal: AbortSignal): Promise<vscode.TerminalShellIntegration | undefined> {
  return new Promise((resolve) => {
    const finish = (value: vscode.TerminalShellIntegration | undefined): void => {
      changed.dispose();
      closed.dispose();
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = (): void => finish(undefined);
    const changed = vscode.window.onDidChangeTerminalShellIntegration((event) => (event.terminal === terminal ? finish(event.shellIntegration) : undefined));
    const closed = vscode.window.onDidCloseTerminal((gone) => (gone === terminal ? finish(undefined) : undefined));
    const timer = setTimeout(() => finish(terminal.shellIntegration), SHELL_INTEGRATION_WAIT_MS);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for `work`, the time limit or the signal; says which stopped it (undefined: it finished). */
export async function untilDone(work: Promise<unknown>, timeoutMs: number, signal: AbortSignal): Promise<CommandRun['stopped']> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: () => void = () => undefined;
  const limits = new Promise<CommandRun['stopped']>((resolve) => {
    timer = setTimeout(() => resolve('time limit'), timeoutMs);
    onAbort = () => resolve('task stopped');
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work.then(() => undefined), limits]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

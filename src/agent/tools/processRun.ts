// The fallback when no terminal reports shell integration (a shell VS Code cannot integrate with): the command,
// already confirmed by the user, runs as a child process in the workspace folder with the user's shell, its
// output captured the same way. Node only: a browser build leaves this out and reports the command as not run.
import { spawn } from 'node:child_process';
import { sleep } from '../../openrouter/retry';
import { OutputCollector } from './outputCollector';
import { STOP_GRACE_MS, type CommandRun } from './commandRun';
import { untilDone } from './terminalRun';

export async function runAsProcess(command: string, cwd: string, timeoutMs: number, maxChars: number, signal: AbortSignal): Promise<CommandRun> {
  const collector = new OutputCollector(maxChars);
  // Its own process group, so a stop ends what the command started too.
  const child = spawn(command, { cwd, shell: true, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => collector.add(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => collector.add(chunk));
  let exitCode: number | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      collector.add(`\n${error.message}\n`);
      resolve();
    });
    child.once('close', (code) => {
      exitCode = code ?? undefined;
      resolve();
    });
  });
  const stopped = await untilDone(exited, timeoutMs, signal);
  if (stopped && child.pid !== undefined) {
    try {
      if (process.platform === 'win32') child.kill();
      else process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    await Promise.race([exited, sleep(STOP_GRACE_MS)]);
  }
  return { output: collector.text(), exitCode: stopped ? undefined : exitCode, stopped, via: 'process' };
}

// What running a command produced, whichever way it ran.
export interface CommandRun {
  output: string;
  /** Undefined when the shell did not report it (or the command was stopped). */
  exitCode?: number;
  /** Stopped at the time limit, or because the task was stopped. */
  stopped?: 'time limit' | 'task stopped';
  via: 'terminal' | 'process';
}

/** How long a new terminal may take to start its shell and report shell integration. */
export const SHELL_INTEGRATION_WAIT_MS = 15_000;
/** After Ctrl+C (or a kill), how long to wait for the command to end before answering anyway. */
export const STOP_GRACE_MS = 3000;

import type * as vscode from 'vscode';
import { redactSecrets } from '../openrouter/redact';
import type { LogLevelSetting } from '../config/settingsValidation';

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** What a feature logs through: one component's view of the one channel. */
export interface Log {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

export interface LogLine {
  level: LogLevelName;
  component: string;
  message: string;
}

// Mirrors vscode.LogLevel's numbering so this module needs no runtime vscode import (unit tests).
const LEVEL_RANK: Record<LogLevelName, number> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5 };
const SETTING_RANK: Record<LogLevelSetting, number> = { inherit: 0, trace: 1, debug: 2, info: 3, warning: 4, error: 5, off: 6 };

/** The part of a LogOutputChannel the logger writes to. */
export type LogSink = Pick<vscode.LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'logLevel' | 'show' | 'dispose'>;

const TAIL_SIZE = 2000;

/**
 * One logger over one LogOutputChannel: a component tag per line, secrets redacted, and a bounded
 * in-memory tail of what was written (read by the integration tests through an internal command).
 */
export class Logger implements vscode.Disposable {
  private readonly secrets = new Set<string>();
  private readonly tailLines: LogLine[] = [];
  private minimum: LogLevelSetting = 'inherit';

  constructor(private readonly sink: LogSink | undefined) {}

  /** A level from the `openrouter.logLevel` setting, applied on top of the channel's own level. */
  setLevel(level: LogLevelSetting): void {
    this.minimum = level;
  }

  /** A value that must never appear in the log (the current API key). */
  addSecret(secret: string | undefined): void {
    if (secret) this.secrets.add(secret);
  }

  forComponent(component: string): Log {
    return {
      trace: (message) => this.write('trace', component, message),
      debug: (message) => this.write('debug', component, message),
      info: (message) => this.write('info', component, message),
      warn: (message) => this.write('warn', component, message),
      error: (message) => this.write('error', component, message instanceof Error ? describeError(message) : message),
    };
  }

  tail(): readonly LogLine[] {
    return this.tailLines;
  }

  show(): void {
    this.sink?.show(true);
  }

  dispose(): void {
    this.sink?.dispose();
  }

  private write(level: LogLevelName, component: string, raw: string): void {
    if (!this.enabled(level)) return;
    const message = redactSecrets(raw, [...this.secrets]);
    this.tailLines.push({ level, component, message });
    if (this.tailLines.length > TAIL_SIZE) this.tailLines.splice(0, this.tailLines.length - TAIL_SIZE);
    this.sink?.[level](`[${component}] ${message}`);
  }

  private enabled(level: LogLevelName): boolean {
    const rank = LEVEL_RANK[level];
    if (this.minimum !== 'inherit' && rank < SETTING_RANK[this.minimum]) return false;
    // vscode.LogLevel: Off = 0, Trace = 1 … Error = 5; the channel drops lower levels itself.
    const channelLevel = this.sink?.logLevel as number | undefined;
    if (channelLevel === undefined) return true;
    return channelLevel !== 0 && rank >= channelLevel;
  }
}

function describeError(error: Error): string {
  const status = (error as { status?: unknown }).status;
  return status === undefined ? `${error.name}: ${error.message}` : `${error.name} (${String(status)}): ${error.message}`;
}

/** A logger that keeps lines in memory only, for unit tests. */
export function createRecordingLogger(): Logger {
  return new Logger(undefined);
}

/** Discards everything. */
export const nullLog: Log = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

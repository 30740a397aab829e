// The processes a benchmark runner starts: the emulator in a process of its own (emulatorProcess.ts), asked over
// IPC for its counters and the requests it saw, and one measured job in a fresh process that answers with
// `{ ok, result | error }` and exits.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import tls from 'node:tls';
import type { EmulatorCounters } from '../emulator/types';
import type { EmulatorReady, EmulatorRequest, TimedRequest } from './emulatorProcess';

export interface ProcessOptions {
  env?: NodeJS.ProcessEnv;
  /** Node flags, e.g. `['--import', 'tsx']` for a TypeScript entry. */
  execArgv?: string[];
}

export class EmulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: EmulatorReady,
  ) {}

  /** `entry` is emulatorProcess.ts (with `--import tsx`) or its bundle; `BENCH_*` variables in `env` set its delays. */
  static async start(entry: string, options: ProcessOptions = {}): Promise<EmulatorProcess> {
    const child = fork(entry, [], { env: { ...process.env, ...options.env }, execArgv: options.execArgv ?? [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [ready] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => Promise.reject(new Error('the emulator process exited')))])) as [EmulatorReady];
    return new EmulatorProcess(child, ready);
  }

  private async ask<T>(request: EmulatorRequest): Promise<T> {
    const answer = once(this.child, 'message') as Promise<[T]>;
    this.child.send(request);
    return (await answer)[0];
  }

  counters(): Promise<EmulatorCounters> {
    return this.ask<{ counters: EmulatorCounters }>({ type: 'counters' }).then((m) => m.counters);
  }

  /** The requests seen since the last reset, with the emulator's own time for each. */
  requests(): Promise<TimedRequest[]> {
    return this.ask<{ requests: TimedRequest[] }>({ type: 'requests' }).then((m) => m.requests);
  }

  /** Round trips the emulator's TLS handshake costs a client: 1 for TLS 1.3, 2 for TLS 1.2. */
  async tlsRoundTrips(): Promise<number> {
    const socket = tls.connect({ host: '127.0.0.1', port: this.ready.port, ca: this.ready.ca, ALPNProtocols: ['http/1.1'] });
    await once(socket, 'secureConnect');
    const protocol = socket.getProtocol();
    socket.destroy();
    return protocol === 'TLSv1.3' ? 1 : 2;
  }

  async reset(): Promise<void> {
    await this.ask({ type: 'reset' });
  }

  async close(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'close' });
    await exited;
  }
}

/** Runs one job in a fresh process and waits for its answer and its exit. `label` names it in errors. */
export async function runJob<Job, Result>(entry: string, job: Job, label: string, options: ProcessOptions = {}): Promise<Result> {
  const child = fork(entry, [], { env: { ...process.env, ...options.env }, execArgv: options.execArgv ?? [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const answer = Promise.race([
    once(child, 'message') as Promise<[{ ok: true; result: Result } | { ok: false; error: string }]>,
    exited.then(([code]) => Promise.reject(new Error(`${label} exited with ${String(code)} before answering`))),
  ]);
  child.send(job as object);
  const [message] = await answer;
  await exited;
  if (!message.ok) throw new Error(`${label} failed: ${message.error}`);
  return message.result;
}

import * as vscode from 'vscode';
import { toAbortSignal } from '../util/cancellation';
import { commandIds } from '../commands/commandIds';
import { Disposable } from '../util/dispose';
import type { Log } from '../log/logger';
import { AbortError, OpenRouterProvider } from '../openrouter';
import type { ProviderOptions } from '../openrouter/types';
import type { ProviderHost } from '../host/providerHost';
import type { Settings } from '../config/settings';
import { runReuseComparison } from './reuseRun';
import type { MeasuredProvider } from './reuseRun';
import { formatReuseNotification, formatReuseReport, summariseReuse } from './reuseStats';
import type { ReuseSummary } from './reuseStats';
import { errorText } from '../util/errorText';

export const DEFAULT_MEASURE_CALLS = 4;
export const DEFAULT_MEASURE_ROUNDS = 5;
const MAX_MEASURE_CALLS = 100;
const MAX_MEASURE_ROUNDS = 20;

export interface MeasureDeps {
  host: Pick<ProviderHost, 'provider' | 'currentOptions'>;
  settings: Pick<Settings, 'values'>;
  log: Log;
}

/**
 * The fresh side's provider: the pooled one's options exactly (origin, proxy, HTTP/2, trusted CA,
 * timeouts, retries), with one connection and no key (GET /models needs none, so none is sent).
 */
export function freshProviderOptions(shared: ProviderOptions): ProviderOptions {
  return { ...shared, apiKey: () => undefined, poolSize: 1 };
}

function countFrom(args: unknown, name: 'calls' | 'rounds', fallback: number, max: number): number {
  const value = (args as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? Math.min(value, max) : fallback;
}

/**
 * `OpenRouter: Measure Connection Reuse`: in each of several rounds, N sequential GET /models through
 * the shared pool versus the same calls each on a fresh connection; the median ratio and its range over
 * the rounds. Takes `{ calls, rounds }` as an optional argument; returns the summary (undefined when
 * cancelled or failed).
 */
export class MeasureConnectionReuseCommand extends Disposable {
  constructor(private readonly deps: MeasureDeps) {
    super();
    this._register(vscode.commands.registerCommand(commandIds.measureConnectionReuse, (args?: unknown) =>
        this.run(countFrom(args, 'calls', DEFAULT_MEASURE_CALLS, MAX_MEASURE_CALLS), countFrom(args, 'rounds', DEFAULT_MEASURE_ROUNDS, MAX_MEASURE_ROUNDS)),));
  }

  async run(calls: number, rounds = DEFAULT_MEASURE_ROUNDS): Promise<ReuseSummary | undefined> {
    const { host, settings, log } = this.deps;
    const target = settings.values.baseUrl;
    const createFresh = (): MeasuredProvider => new OpenRouterProvider(freshProviderOptions(host.currentOptions()));
    log.info(`Measuring connection reuse: ${rounds} round(s) of ${calls} GET /models calls pooled, then ${calls} each on a fresh connection, to ${target}.`);
    try {
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'OpenRouter: measuring connection reuse', cancellable: true },
        async (progress, token) => {
          const cancel = toAbortSignal(token);
          try {
            return await runReuseComparison(host.provider, createFresh, {
              calls,
              rounds,
              signal: cancel.signal,
              onProgress: (phase, done, total) => progress.report({ increment: 50 / total, message: `${phase === 'pooled' ? 'pooled' : 'fresh connections'} ${done}/${total}` }),
            });
          } finally {
            cancel.dispose();
          }
        },
      );
      const summary = summariseReuse(run.rounds);
      for (const line of formatReuseReport(summary, target)) log.info(line);
      void vscode.window.showInformationMessage(formatReuseNotification(summary));
      return summary;
    } catch (error) {
      if (error instanceof AbortError || (error instanceof Error && error.name === 'AbortError')) {
        log.info('Connection reuse measurement cancelled.');
        return undefined;
      }
      const message = errorText(error);
      log.warn(`Connection reuse measurement failed: ${message}`);
      void vscode.window.showErrorMessage(`OpenRouter: measuring connection reuse failed: ${message}`);
      return undefined;
    }
  }
}

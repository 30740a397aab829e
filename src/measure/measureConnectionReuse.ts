import * as vscode from 'vscode';
import { toAbortSignal } from '../cancellation';
import { commandIds } from '../commandIds';
import { Disposable } from '../dispose';
import type { Log } from '../logger';
import { AbortError, OpenRouterProvider } from '../openrouter';
import type { ProviderOptions } from '../openrouter/types';
import type { ProviderEnvironment, ProviderHost } from '../providerHost';
import type { Settings } from '../settings';
import type { SettingsValues } from '../settingsValidation';
import { runReuseComparison } from './reuseRun';
import type { MeasuredProvider } from './reuseRun';
import { formatReuseNotification, formatReuseReport, summariseReuse } from './reuseStats';
import type { ReuseSummary } from './reuseStats';

export const DEFAULT_MEASURE_CALLS = 10;
const MAX_MEASURE_CALLS = 100;

export interface MeasureDeps {
  host: Pick<ProviderHost, 'provider'>;
  settings: Pick<Settings, 'values'>;
  environment: ProviderEnvironment;
  log: Log;
}

/** The fresh side's provider: the pooled one's settings, one connection, closed after its one call. */
export function freshProviderOptions(values: Readonly<SettingsValues>, environment: ProviderEnvironment): ProviderOptions {
  return {
    // GET /models needs no key, and a measurement has no reason to send it.
    apiKey: () => undefined,
    baseUrl: values.baseUrl,
    poolSize: 1,
    maxRetries: values.maxRetries,
    timeouts: { connectMs: values.connectTimeoutSeconds * 1000, headersMs: values.headersTimeoutSeconds * 1000, idleMs: values.idleTimeoutSeconds * 1000 },
    ca: environment.ca,
    appUrl: environment.appUrl,
    appTitle: environment.appTitle,
  };
}

function callsFrom(args: unknown): number {
  const calls = (args as { calls?: unknown } | undefined)?.calls;
  return typeof calls === 'number' && Number.isInteger(calls) && calls >= 1 ? Math.min(calls, MAX_MEASURE_CALLS) : DEFAULT_MEASURE_CALLS;
}

/**
 * `OpenRouter: Measure Connection Reuse`: N sequential GET /models through the shared pool versus the
 * same calls each on a fresh connection. Takes `{ calls }` as an optional argument; returns the summary
 * (undefined when cancelled or failed).
 */
export class MeasureConnectionReuseCommand extends Disposable {
  constructor(private readonly deps: MeasureDeps) {
    super();
    this._register(vscode.commands.registerCommand(commandIds.measureConnectionReuse, (args?: unknown) => this.run(callsFrom(args))));
  }

  async run(calls: number): Promise<ReuseSummary | undefined> {
    const { host, settings, environment, log } = this.deps;
    const target = settings.values.baseUrl;
    const createFresh = (): MeasuredProvider => new OpenRouterProvider(freshProviderOptions(settings.values, environment));
    log.info(`Measuring connection reuse: ${calls} GET /models calls pooled, then ${calls} each on a fresh connection, to ${target}.`);
    try {
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'OpenRouter: measuring connection reuse', cancellable: true },
        async (progress, token) => {
          const cancel = toAbortSignal(token);
          try {
            return await runReuseComparison(host.provider, createFresh, {
              calls,
              signal: cancel.signal,
              onProgress: (phase, done, total) => progress.report({ increment: 50 / total, message: `${phase === 'pooled' ? 'pooled' : 'fresh connections'} ${done}/${total}` }),
            });
          } finally {
            cancel.dispose();
          }
        },
      );
      const summary = summariseReuse(run.pooled, run.fresh);
      for (const line of formatReuseReport(summary, target)) log.info(line);
      void vscode.window.showInformationMessage(formatReuseNotification(summary));
      return summary;
    } catch (error) {
      if (error instanceof AbortError || (error instanceof Error && error.name === 'AbortError')) {
        log.info('Connection reuse measurement cancelled.');
        return undefined;
      }
      const message = error instanceof Error ? error.message : String(error);
      log.warn(`Connection reuse measurement failed: ${message}`);
      void vscode.window.showErrorMessage(`OpenRouter: measuring connection reuse failed: ${message}`);
      return undefined;
    }
  }
}

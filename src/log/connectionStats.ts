import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { Disposable } from '../util/dispose';
import type { Log, Logger } from './logger';
import type { ProviderHost } from '../host/providerHost';
import type { LatencyWindow } from './latencyWindow';
import { buildReport, formatReport } from './statsReport';

/** `OpenRouter: Show Connection Stats`: prints the provider's counters into the log and shows it. */
export class ConnectionStatsCommand extends Disposable {
  constructor(host: ProviderHost, latencies: LatencyWindow, logger: Logger, log: Log) {
    super();
    this._register(
      vscode.commands.registerCommand(commandIds.showConnectionStats, () => {
        const report = buildReport(host.provider.stats(), latencies);
        log.info('Connection stats (current pool):');
        for (const line of formatReport(report)) log.info(`  ${line}`);
        logger.show();
        return report;
      }),
    );
  }
}

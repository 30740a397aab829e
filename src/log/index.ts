// The log's commands: Show Log, Show Connection Stats (from the network log's latencies), and the log's tail for tests.
import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from '../commands/commandIds';
import { featureHandle, type FeatureHandle, type Services } from '../host/services';
import { ConnectionStatsCommand } from './connectionStats';
import { NetworkLog } from './networkLog';

export function register(services: Services): FeatureHandle {
  const { host, logger } = services;
  const networkLog = new NetworkLog(host.onRequest, logger.forComponent('net'));
  const registrations = [
    networkLog,
    new ConnectionStatsCommand(host, networkLog.latencies, logger, logger.forComponent('stats')),
    vscode.commands.registerCommand(commandIds.showLog, () => logger.show()),
  ];
  if (services.internalCommands) registrations.push(vscode.commands.registerCommand(internalCommandIds.logTail, () => logger.tail().slice()));
  return featureHandle(vscode.Disposable.from(...registrations), {});
}

// The credits status bar item and its commands: what the key can still spend, and the budgets' level.
import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { featureHandle, type FeatureHandle, type Services } from '../host/services';
import { CreditsStatusItem, type CreditsSnapshot } from './creditsStatusItem';

export type { CreditsSnapshot } from './creditsStatusItem';

/** The item offers its snapshot (the test state reads it). */
export function register(services: Services): FeatureHandle<{ snapshot(): CreditsSnapshot }> {
  const { balance, settings, usage, logger } = services;
  const item = new CreditsStatusItem(balance, settings, logger.forComponent('credits'), services.emulatorNote);
  const registrations = vscode.Disposable.from(
    item,
    item.attachBudget(usage.guard),
    vscode.commands.registerCommand(commandIds.refreshCredits, () => balance.refresh().then(() => item.snapshot)),
    vscode.commands.registerCommand(commandIds.showCredits, () => item.showDetails()),
  );
  return featureHandle(registrations, { snapshot: () => item.snapshot });
}

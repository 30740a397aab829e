// The settings' command: Open Settings, on the extension's own section.
import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { featureHandle, type FeatureHandle, type Services } from '../host/services';
import { Settings } from './settings';

export function register(_services: Services): FeatureHandle {
  return featureHandle(vscode.commands.registerCommand(commandIds.openSettings, () => Settings.open()), {});
}

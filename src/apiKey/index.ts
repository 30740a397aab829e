// The key's commands: set, validate and clear it, and sign in or out through OpenRouter's browser flow.
import * as vscode from 'vscode';
import { featureHandle, type FeatureHandle, type Services } from '../host/services';
import { ApiKeyCommands } from './apiKeyCommands';
import { listenForCallback } from './loopbackCallback';
import { SignInCommands } from './signInCommands';

export function register(services: Services): FeatureHandle {
  const { keys, host, settings, logger } = services;
  return featureHandle(
    vscode.Disposable.from(
      // Only a development or test run takes a key as a command argument: another extension or a `command:` link must not swap the account.
      new ApiKeyCommands(keys, host, logger.forComponent('key'), services.internalCommands),
      new SignInCommands({ keys, host, settings, logger, log: logger.forComponent('sign-in'), listen: listenForCallback }),
    ),
    {},
  );
}

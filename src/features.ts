import * as vscode from 'vscode';
import { createAgentTools } from './agent/tools';
import * as apiKey from './apiKey';
import { ApiKeyStore } from './apiKey/apiKeyStore';
import { AccountBalance } from './balance/accountBalance';
import * as chat from './chat';
import * as internal from './commands/internalCommands';
import * as compare from './compare';
import * as completions from './completions';
import * as config from './config';
import { Settings } from './config/settings';
import { WorkspaceConsent } from './config/workspaceConsent';
import { WorkspaceSettingsGuard } from './config/workspaceSettingsGuard';
import * as credits from './credits';
import { registerEdits } from './edits';
import { ContentGate } from './exclusion/contentGate';
import { readNodeEnvironment, type NodeEnvironment } from './host/nodeEnvironment';
import { ProviderHost, type ProviderEnvironment } from './host/providerHost';
import type { Services } from './host/services';
import * as lm from './lm';
import * as log from './log';
import { Logger } from './log/logger';
import * as measure from './measure';
import * as models from './models';
import { ModelCatalog } from './models/modelCatalog';
import { OpenRouterProvider } from './openrouter';
import { RoutingSettingsReader } from './routing/routingSettingsReader';
import { nodeFileStore } from './storage/nodeFileStore';
import { PanelAssets } from './util/panelAssets';
import { registerUsage } from './usage';

/** What the start-up code (src/extension.ts) hands the editor on the features' behalf. */
export interface Features {
  chatView: vscode.WebviewViewProvider;
  languageModels: vscode.LanguageModelChatProvider & { onDidChangeLanguageModelChatInformation: vscode.Event<void> };
  /** Closes every connection (deactivation). */
  closeConnections(): Promise<void>;
}

/**
 * The composition root of everything but start-up: builds the services once, then registers each feature
 * with them, in one shape (`register(services)`, a handle to dispose and what the feature offers the others),
 * pushing every handle onto the context's subscriptions. Loaded on first use.
 */
export function activateFeatures(context: vscode.ExtensionContext): Features {
  const push = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };
  const services = buildServices(context, push);

  push(log.register(services));
  push(apiKey.register(services));
  push(models.register(services));
  const creditsItem = push(credits.register(services));
  push(config.register(services));
  const languageModels = push(lm.register(services));
  const chatFeature = push(chat.register(services));
  push(compare.register(services, chatFeature));
  push(measure.register(services));
  push(completions.register(services));
  push(internal.register(services, { credits: creditsItem, chat: chatFeature }));

  // Nothing above waits for the network: the first credits check runs in the background, once the window has focus.
  services.balance.refreshWhenFocused();
  services.logger.forComponent('main').info(`Features loaded (${services.settings.values.baseUrl}).`);
  return { chatView: chatFeature.view, languageModels: languageModels.provider, closeConnections: () => services.host.closeConnections() };
}

/** The services every feature is handed, each built once; their disposables go to `push`. */
function buildServices(context: vscode.ExtensionContext, push: <T extends vscode.Disposable>(disposable: T) => T): Services {
  const internalCommands = context.extensionMode !== vscode.ExtensionMode.Production;
  const logger = push(new Logger(vscode.window.createOutputChannel('OpenRouter', { log: true })));
  const main = logger.forComponent('main');
  // The emulator's variables (where the key goes, which CA is trusted) count in a development or test run only.
  const environment = readNodeEnvironment(internalCommands, main);
  const consent = push(new WorkspaceConsent(context.workspaceState, logger.forComponent('settings')));
  const settings = push(new Settings(logger.forComponent('settings'), consent, environment.development));
  logger.setLevel(settings.values.logLevel);
  push(settings.onDidChange((change) => (change.affects('logLevel') ? logger.setLevel(settings.values.logLevel) : undefined)));
  const workspaceGuard = push(new WorkspaceSettingsGuard(context.workspaceState, logger.forComponent('settings')));
  const keys = push(new ApiKeyStore(context.secrets, logger, logger.forComponent('key'), environment.variables));
  const host = push(new ProviderHost(settings, keys, logger.forComponent('provider'), (options) => new OpenRouterProvider(options), providerEnvironment(context, environment, main)));
  const catalog = push(new ModelCatalog(host, settings, context.globalState, context.globalStorageUri, logger.forComponent('models')));
  consent.usePrices(catalog);
  const emulatorNote = environment.emulator ? `Offline demo: talking to the local OpenRouter emulator at ${settings.values.baseUrl}` : undefined;
  if (emulatorNote) main.info(emulatorNote);

  const balance = push(new AccountBalance(host, keys, settings, logger.forComponent('credits')));
  const extension = { uri: context.extensionUri, globalStorageUri: context.globalStorageUri, globalState: context.globalState };
  // The records' files, on Node's file system (a browser build hands them another store).
  const storage = nodeFileStore;
  const pages = new PanelAssets(vscode.Uri.joinPath(context.extensionUri, 'media'));
  const { disposable: usageRegistrations, ...usage } = registerUsage({ pages, globalStorageUri: extension.globalStorageUri, globalState: extension.globalState, store: storage, settings, balance, log: logger.forComponent('usage'), internalCommands });
  push(usageRegistrations);
  const gate = push(new ContentGate(logger.forComponent('exclusion')));
  const routing = push(
    new RoutingSettingsReader(logger.forComponent('routing'), consent, {
      maxOutputTokens: () => settings.values['chat.maxOutputTokens'],
      onDidChange: (listener) => settings.onDidChange((change) => (change.affects('chat.maxOutputTokens') ? listener(change) : undefined)),
    }),
  );
  const { disposable: editRegistrations, ...edits } = registerEdits({ globalStorageUri: extension.globalStorageUri, log: logger.forComponent('apply'), internalCommands });
  push(editRegistrations);
  const agentTools = push(createAgentTools({ gate, edits, log: logger.forComponent('tools'), internalCommands }));
  return { logger, settings, consent, workspaceGuard, keys, host, catalog, balance, storage, pages, usage, gate, routing, edits, agentTools, extension, internalCommands, emulatorNote };
}

/** A trusted CA for a local HTTPS emulator (`OPENROUTER_CA_FILE`, development and test runs only), and the attribution headers. */
function providerEnvironment(context: vscode.ExtensionContext, environment: NodeEnvironment, warnings: { warn(message: string): void }): ProviderEnvironment {
  const ca = environment.trustedCa(warnings);
  return {
    appUrl: 'https://github.com/openrouter-community/openrouter-vscode',
    appTitle: `OpenRouter for VS Code ${String(context.extension.packageJSON.version ?? '')}`.trim(),
    ...(ca === undefined ? {} : { ca }),
  };
}

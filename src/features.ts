import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { ApiKeyCommands } from './apiKey/apiKeyCommands';
import { ApiKeyStore } from './apiKey/apiKeyStore';
import { listenForCallback } from './apiKey/loopbackCallback';
import { SignInCommands } from './apiKey/signInCommands';
import { registerChat } from './chat';
import { commandIds, internalCommandIds } from './commands/commandIds';
import { CompletionsFeature } from './completions';
import { registerCompare } from './compare';
import { AccountBalance } from './balance/accountBalance';
import { CreditsStatusItem } from './credits/creditsStatusItem';
import { registerInternalCommands } from './commands/internalCommands';
import { registerLanguageModels } from './lm';
import { ConnectionStatsCommand } from './log/connectionStats';
import { NetworkLog } from './log/networkLog';
import { Logger } from './log/logger';
import { MeasureConnectionReuseCommand } from './measure/measureConnectionReuse';
import { ModelCatalog } from './models/modelCatalog';
import { ModelPicker } from './models/modelPicker';
import { ModelStatusItem } from './models/modelStatusItem';
import { OpenRouterProvider } from './openrouter';
import { ProviderHost } from './host/providerHost';
import type { ProviderEnvironment } from './host/providerHost';
import { RoutingSettingsReader } from './routing/routingSettingsReader';
import { Settings } from './config/settings';
import { developmentEnvironment, type DevelopmentEnvironment } from './config/developmentEnvironment';
import { WorkspaceConsent } from './config/workspaceConsent';
import { WorkspaceSettingsGuard } from './config/workspaceSettingsGuard';
import { errorText } from './util/errorText';
import { ContentGate } from './exclusion/contentGate';
import { registerUsage } from './usage';
import { registerEdits } from './edits';
import { createAgentTools } from './agent/tools';
import { registerAgentToolTestCommands } from './agent/tools/toolTestCommand';

/** What the start-up code (src/extension.ts) hands the editor on the features' behalf. */
export interface Features {
  chatView: vscode.WebviewViewProvider;
  languageModels: vscode.LanguageModelChatProvider & { onDidChangeLanguageModelChatInformation: vscode.Event<void> };
  /** Closes every connection (deactivation). */
  closeConnections(): Promise<void>;
}

/**
 * The composition root of everything but start-up: builds the one provider host and the services, hands
 * them to each feature, and pushes every disposable onto the context's subscriptions. Loaded on first use.
 */
export function activateFeatures(context: vscode.ExtensionContext): Features {
  const push = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };

  const logger = push(new Logger(vscode.window.createOutputChannel('OpenRouter', { log: true })));
  const log = logger.forComponent('main');
  // The emulator's variables (where the key goes, which CA is trusted) count in a development or test run only.
  const development = developmentEnvironment(context.extensionMode !== vscode.ExtensionMode.Production, process.env, log);
  const consent = push(new WorkspaceConsent(context.workspaceState, logger.forComponent('settings')));
  const settings = push(new Settings(logger.forComponent('settings'), consent, development));
  logger.setLevel(settings.values.logLevel);
  push(settings.onDidChange((change) => (change.affects('logLevel') ? logger.setLevel(settings.values.logLevel) : undefined)));
  const guard = push(new WorkspaceSettingsGuard(context.workspaceState, logger.forComponent('settings')));
  const keys = push(new ApiKeyStore(context.secrets, logger, logger.forComponent('key')));
  const providerHost = push(new ProviderHost(settings, keys, logger.forComponent('provider'), (options) => new OpenRouterProvider(options), providerEnvironment(context, development, log)));
  const catalog = push(new ModelCatalog(providerHost, settings, context.globalState, context.globalStorageUri, logger.forComponent('models')));
  consent.usePrices(catalog);
  const emulatorNote = process.env.OPENROUTER_EMULATOR === '1' ? `Offline demo: talking to the local OpenRouter emulator at ${settings.values.baseUrl}` : undefined;
  if (emulatorNote) log.info(emulatorNote);

  const networkLog = push(new NetworkLog(providerHost.onRequest, logger.forComponent('net')));
  push(new ConnectionStatsCommand(providerHost, networkLog.latencies, logger, logger.forComponent('stats')));
  // Only a development or test run takes a key as a command argument: another extension or a `command:` link must not swap the account.
  push(new ApiKeyCommands(keys, providerHost, logger.forComponent('key'), context.extensionMode !== vscode.ExtensionMode.Production));
  push(new SignInCommands({ keys, host: providerHost, settings, logger, log: logger.forComponent('sign-in'), listen: listenForCallback }));
  const picker = push(new ModelPicker(catalog, logger.forComponent('models')));
  push(new ModelStatusItem(catalog, emulatorNote));
  const balance = push(new AccountBalance(providerHost, keys, settings, logger.forComponent('credits')));
  const credits = push(new CreditsStatusItem(balance, settings, logger.forComponent('credits'), emulatorNote));
  push(vscode.commands.registerCommand(commandIds.refreshCredits, () => balance.refresh().then(() => credits.snapshot)));
  push(vscode.commands.registerCommand(commandIds.showCredits, () => credits.showDetails()));
  const usage = registerUsage({ extensionUri: context.extensionUri, globalStorageUri: context.globalStorageUri, globalState: context.globalState, settings, balance, credits, log: logger.forComponent('usage'), internalCommands: context.extensionMode !== vscode.ExtensionMode.Production });
  push(usage.disposable);
  push(vscode.commands.registerCommand(commandIds.showLog, () => logger.show()));
  push(vscode.commands.registerCommand(commandIds.openSettings, () => Settings.open()));

  // Features built on the services above register here, one line each.
  const gate = push(new ContentGate(logger.forComponent('exclusion')));
  const routing = push(
    new RoutingSettingsReader(logger.forComponent('routing'), consent, {
      maxOutputTokens: () => settings.values['chat.maxOutputTokens'],
      onDidChange: (listener) => settings.onDidChange((change) => (change.affects('chat.maxOutputTokens') ? listener(change) : undefined)),
    }),
  );
  const languageModels = registerLanguageModels({ host: providerHost, catalog, keys, routing, usage, log: logger.forComponent('lm') });
  push(languageModels.disposable);
  const edits = registerEdits({ globalStorageUri: context.globalStorageUri, log: logger.forComponent('apply') });
  push(edits.disposable);
  const agentTools = push(createAgentTools({ gate, edits, log: logger.forComponent('tools') }));
  const chat = registerChat({ edits, extensionUri: context.extensionUri, globalStorageUri: context.globalStorageUri, providerHost, keys, settings, catalog, balance, routing: routing.requestRouting((id) => catalog.find(id)), routingSettings: routing, usage, gate, agentTools, log: logger.forComponent('chat') });
  push(chat.disposable);
  push(registerCompare({ extensionUri: context.extensionUri, globalState: context.globalState, providerHost, keys, catalog, routing: routing.requestRouting((id) => catalog.find(id)), usage: usage.recorder, budget: usage.guard, continueInChat: chat.continueWith, chatComposer: chat.composer, gate, onFinished: () => void balance.refresh(), log: logger.forComponent('compare'), internalCommands: context.extensionMode !== vscode.ExtensionMode.Production }));
  push(new MeasureConnectionReuseCommand({ host: providerHost, settings, log: logger.forComponent('measure') }));
  push(new CompletionsFeature({ host: providerHost, catalog, balance, consent, usage: { recorder: usage.recorder, guard: usage.guard }, log: logger.forComponent('completions'), gate, internalCommands: context.extensionMode !== vscode.ExtensionMode.Production }));

  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    push(registerInternalCommands({ logger, keys, settings, providerHost, catalog, credits, picker, guard, consent, chatComposer: chat.composer }));
    push(vscode.commands.registerCommand(internalCommandIds.pendingProposals, () => edits.proposals.pending));
    push(vscode.commands.registerCommand(internalCommandIds.lastCheckpoint, async () => (await edits.checkpoints.list())[0]?.turnId));
    push(registerAgentToolTestCommands(agentTools));
  }

  // Nothing above waits for the network: the first credits check runs in the background, once the window has focus.
  balance.refreshWhenFocused();
  log.info(`Features loaded (${settings.values.baseUrl}).`);
  return { chatView: chat.view, languageModels: languageModels.provider, closeConnections: () => providerHost.closeConnections() };
}

/** A trusted CA for a local HTTPS emulator (`OPENROUTER_CA_FILE`, development and test runs only), and the attribution headers. */
function providerEnvironment(context: vscode.ExtensionContext, development: DevelopmentEnvironment, log: { warn(message: string): void }): ProviderEnvironment {
  const environment: ProviderEnvironment = {
    appUrl: 'https://github.com/openrouter-community/openrouter-vscode',
    appTitle: `OpenRouter for VS Code ${String(context.extension.packageJSON.version ?? '')}`.trim(),
  };
  const caFile = development.OPENROUTER_CA_FILE;
  if (caFile) {
    try {
      environment.ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      log.warn(`OPENROUTER_CA_FILE could not be read: ${errorText(error)}`);
    }
  }
  return environment;
}

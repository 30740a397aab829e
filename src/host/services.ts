// The services every feature is handed, built once by the composition root (src/features.ts), and the one shape
// in which a feature registers: `register(services)` returns a handle, a Disposable plus whatever the feature
// offers the others (the chat its view and its composer, VS Code's chat its model provider, …).
import type * as vscode from 'vscode';
import type { AgentToolset } from '../agent/tools';
import type { ApiKeyStore } from '../apiKey/apiKeyStore';
import type { AccountBalance } from '../balance/accountBalance';
import type { Settings } from '../config/settings';
import type { WorkspaceConsent } from '../config/workspaceConsent';
import type { WorkspaceSettingsGuard } from '../config/workspaceSettingsGuard';
import type { Edits } from '../edits';
import type { ContentGate } from '../exclusion/contentGate';
import type { Logger } from '../log/logger';
import type { ModelCatalog } from '../models/modelCatalog';
import type { RoutingSettingsReader } from '../routing/routingSettingsReader';
import type { FileStore } from '../storage/fileStore';
import type { PanelAssets } from '../util/panelAssets';
import type { UsageServices } from '../usage';
import type { ProviderHost } from './providerHost';

export interface Services {
  /** The one logger; each feature logs under its own component. */
  logger: Logger;
  settings: Settings;
  /** What the workspace's settings may decide only with the user's yes. */
  consent: WorkspaceConsent;
  /** The workspace settings that were ignored (read by the test state). */
  workspaceGuard: WorkspaceSettingsGuard;
  keys: ApiKeyStore;
  /** The one provider, rebuilt when its settings or the key change. */
  host: ProviderHost;
  catalog: ModelCatalog;
  /** What the key can still spend. */
  balance: AccountBalance;
  /** Where the extension's own records (the chat history, the usage record) keep their files: Node's file system here, another store in a browser build. */
  storage: FileStore;
  /** The panels' scripts and style sheets, read once, written into each page they open. */
  pages: PanelAssets;
  /** The usage record, the budget guard every send asks first, and the Usage view. */
  usage: Omit<UsageServices, 'disposable'>;
  /** What is never sent to a model. */
  gate: ContentGate;
  /** The `openrouter.routing.*` settings, and the routing fields of a request. */
  routing: RoutingSettingsReader;
  /** Apply code blocks as reviewed changes, checkpoints, Undo. */
  edits: Omit<Edits, 'disposable'>;
  agentTools: AgentToolset;
  extension: {
    uri: vscode.Uri;
    globalStorageUri: vscode.Uri;
    globalState: vscode.Memento;
  };
  /** A development or test run: the internal commands the VS Code suite reads are registered, and a key may come as a command argument. */
  internalCommands: boolean;
  /** "Offline demo: …" when talking to the local emulator, for the status bar items' tooltips. */
  emulatorNote: string | undefined;
}

/** What a feature's `register` returns: its registrations to dispose, and what it offers the other features. */
export type FeatureHandle<Offers extends object = object> = vscode.Disposable & Offers;

/** `registrations` as a handle offering `offers`. */
export function featureHandle<Offers extends object>(registrations: vscode.Disposable, offers: Offers): FeatureHandle<Offers> {
  return { ...offers, dispose: () => registrations.dispose() };
}

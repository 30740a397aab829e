// The sidebar chat feature: its view and its commands, registered from the composition root in one call.
import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { featureHandle, type FeatureHandle, type Services } from '../host/services';
import { ChatViewProvider, type ChatViewDeps } from './chatViewProvider';
import { quoteSelection } from './selectionQuote';

export { chatViewType } from './chatViewProvider';

/** What the chat offers the other features. */
export interface ChatOffers {
  /** The view provider, for the start-up code to register (src/extension.ts). */
  view: vscode.WebviewViewProvider;
  continueWith: ChatViewProvider['continueWith'];
  /** The composer's draft and attachments, handed to Compare Models. */
  composer: () => ReturnType<ChatViewProvider['context']['handOver']>;
}

/** The chat's view and its commands. */
export function register(services: Services): FeatureHandle<ChatOffers> {
  const { logger, host, keys, settings, catalog, balance, routing, usage, gate, agentTools, edits, extension, storage } = services;
  const view = new ChatViewProvider({
    edits,
    pages: services.pages,
    globalStorageUri: extension.globalStorageUri,
    storage,
    providerHost: host,
    keys,
    settings,
    catalog,
    balance,
    routing: routing.requestRouting((id) => catalog.find(id)),
    routingSettings: routing,
    usage,
    gate,
    agentTools,
    log: logger.forComponent('chat'),
  });
  const registrations = vscode.Disposable.from(
    view,
    vscode.commands.registerCommand(commandIds.openChat, () => view.reveal()),
    vscode.commands.registerCommand(commandIds.newChat, async () => {
      await view.reveal();
      await view.session.newChat();
    }),
    vscode.commands.registerCommand(commandIds.chatHistory, () => view.togglePanel('history')),
    vscode.commands.registerCommand(commandIds.chatRouting, () => view.togglePanel('routing')),
    vscode.commands.registerCommand(commandIds.chatSystemPrompt, () => view.togglePanel('system')),
    vscode.commands.registerCommand(commandIds.askAboutSelection, () => askAboutSelection(view, gate)),
    vscode.commands.registerCommand(commandIds.attachToChat, () => view.context.attach('command')),
  );
  return featureHandle(registrations, { view, continueWith: (seed) => view.continueWith(seed), composer: () => view.context.handOver() });
}

async function askAboutSelection(view: ChatViewProvider, gate: ChatViewDeps['gate']): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selections.every((s) => s.isEmpty)) {
    void vscode.window.showInformationMessage('Select some code in an editor first, then run “OpenRouter: Ask About Selection”.');
    return;
  }
  const selection = editor.selections.find((s) => !s.isEmpty)!;
  const document = editor.document;
  // The quote goes into the draft, and from there to a model: excluded files are not quoted, secrets are cut.
  const exclusion = await gate.checkFile(document.uri);
  if (exclusion) {
    void vscode.window.showWarningMessage(`${gate.explain(document.uri.path.split('/').pop() ?? 'This file', exclusion)} Nothing was quoted.`);
    return;
  }
  const text = quoteSelection({
    path: document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri),
    languageId: document.languageId,
    text: (await gate.stripSecrets(document.getText(selection), 'quoted selection')).text,
    startLine: selection.start.line + 1,
    endLine: selection.end.line + (selection.end.character === 0 && selection.end.line > selection.start.line ? 0 : 1),
  });
  await view.showWithDraft(text);
}

// Start-up: registers what the editor must know at once (the commands, the chat view, the language model
// vendor) and loads the features (src/features.ts, a file of its own in the build) on first use: a
// command, the chat view shown, the editor's chat asking for models, or a focused window (the credits
// check). A window in the background loads nothing and makes no request until it is focused.
import * as vscode from 'vscode';
import { chatViewType } from './chat/chatViewType';
import { commandIds, internalCommandIds } from './commands/commandIds';
import type { Features } from './features';
import { LM_VENDOR } from './lm/vendor';
import { errorText } from './util/errorText';

// deactivate() receives no context: it needs this one reference to close the sockets.
let features: Features | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const stubs: vscode.Disposable[] = [];
  const lmChanged = new vscode.EventEmitter<void>();
  const load = (): Features => {
    if (features) return features;
    // The features register the real commands under the same ids: the stand-ins go first.
    for (const stub of stubs.splice(0)) stub.dispose();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deferred require is the point
    const { activateFeatures } = require('./features') as { activateFeatures(context: vscode.ExtensionContext): Features };
    features = activateFeatures(context);
    context.subscriptions.push(features.languageModels.onDidChangeLanguageModelChatInformation(() => lmChanged.fire()));
    return features;
  };

  const ids: string[] = Object.values(commandIds);
  if (context.extensionMode !== vscode.ExtensionMode.Production) ids.push(...Object.values(internalCommandIds));
  for (const id of ids) {
    stubs.push(
      vscode.commands.registerCommand(id, (...args: unknown[]) => {
        load();
        return vscode.commands.executeCommand(id, ...args);
      }),
    );
  }
  context.subscriptions.push(
    { dispose: () => stubs.splice(0).forEach((stub) => stub.dispose()) },
    vscode.window.registerWebviewViewProvider(chatViewType, {
      resolveWebviewView: (view, resolveContext, token) => load().chatView.resolveWebviewView(view, resolveContext, token),
    }),
    lmChanged,
    vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, {
      onDidChangeLanguageModelChatInformation: lmChanged.event,
      provideLanguageModelChatInformation: (options, token) => load().languageModels.provideLanguageModelChatInformation(options, token),
      provideLanguageModelChatResponse: (model, messages, options, progress, token) => load().languageModels.provideLanguageModelChatResponse(model, messages, options, progress, token),
      provideTokenCount: (model, text, token) => load().languageModels.provideTokenCount(model, text, token),
    }),
  );

  // The status bar's credits and model name are the first use in a focused window: they load once
  // activate() has returned. A background window waits for focus.
  const loadInBackground = (): void => {
    try {
      load();
    } catch (error) {
      void vscode.window.showErrorMessage(`OpenRouter could not start: ${errorText(error)}`);
    }
  };
  if (vscode.window.state.focused) {
    setTimeout(loadInBackground, 0);
  } else {
    const focus = vscode.window.onDidChangeWindowState((state) => {
      if (!state.focused) return;
      focus.dispose();
      loadInBackground();
    });
    context.subscriptions.push(focus);
  }
}

export async function deactivate(): Promise<void> {
  await features?.closeConnections();
  features = undefined;
}

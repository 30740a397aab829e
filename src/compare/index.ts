// Compare Models: one prompt streamed to 2–4 models side by side in an editor panel. Registered from the
// composition root in one call.
import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from '../commands/commandIds';
import { featureHandle, type FeatureHandle, type Services } from '../host/services';
import type { CompareDeps, ContinueInChat } from './compareDeps';
import { pickModelSet } from './compareModelPick';
import { ComparePanel } from './comparePanel';
import { cleanAttachments } from './compareRequest';
import { screenAttachments } from './compareScreen';
import { cleanSet, ModelSets } from './modelSets';

export type { BudgetGate, ContinueInChat, UsageSink } from './compareDeps';

/** What Compare Models needs of the chat: a conversation started from a column, and the composer's draft. */
export interface ChatPeer {
  continueWith: ContinueInChat;
  composer: NonNullable<CompareDeps['chatComposer']>;
}

/** Compare Models' command (and its test state): one panel at a time. */
export function register(services: Services, chat: ChatPeer): FeatureHandle {
  const { logger, host, keys, catalog, routing, usage, gate, balance, extension } = services;
  return featureHandle(
    openCompare({
      pages: services.pages,
      globalState: extension.globalState,
      providerHost: host,
      keys,
      catalog,
      routing: routing.requestRouting((id) => catalog.find(id)),
      usage: usage.recorder,
      budget: usage.guard,
      continueInChat: chat.continueWith,
      chatComposer: chat.composer,
      gate,
      onFinished: () => void balance.refresh(),
      log: logger.forComponent('compare'),
      internalCommands: services.internalCommands,
    }),
    {},
  );
}

/**
 * `openrouter.compareModels` takes an optional `{ prompt?, attachments?, models? }`; without one it starts from
 * the chat composer's draft and attachments. Nothing is sent until the user presses Send in the panel, with the estimate shown.
 */
function openCompare(deps: CompareDeps): vscode.Disposable {
  const sets = new ModelSets(deps.globalState);
  let panel: ComparePanel | undefined;

  const open = async (arg?: unknown): Promise<void> => {
    // What the argument leaves out (from the palette or the chat's title bar: everything) comes from the chat
    // composer: its draft and its attachments, if any.
    const given = arg && typeof arg === 'object' ? (arg as Record<string, unknown>) : {};
    const composer = deps.chatComposer?.();
    const options: Record<string, unknown> = { prompt: given.prompt ?? composer?.prompt, attachments: given.attachments ?? composer?.attachments, models: given.models };
    const prompt = typeof options.prompt === 'string' && options.prompt.trim() ? options.prompt : undefined;
    const models = cleanSet(options.models) ?? (await pickModelSet(deps.catalog, sets, deps.log));
    if (!models) return;
    if (panel) {
      panel.useModels(models, prompt);
      panel.reveal();
      return;
    }
    const screened = await screenAttachments(deps.gate, cleanAttachments(options.attachments));
    for (const reason of screened.dropped) {
      deps.log.warn(reason);
      void vscode.window.showWarningMessage(reason);
    }
    const created = new ComparePanel(deps, sets, models, prompt ?? '', screened.attachments);
    panel = created;
    created.onDidDispose(() => {
      if (panel === created) panel = undefined;
    });
  };

  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand(commandIds.compareModels, open),
    { dispose: () => panel?.dispose() },
  ];
  if (deps.internalCommands) {
    disposables.push(vscode.commands.registerCommand(internalCommandIds.compareState, () => panel?.snapshot()));
  }
  return vscode.Disposable.from(...disposables);
}

// Where the money goes: the local usage record, the budget guard every send asks first, and the Usage view.
import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from '../commands/commandIds';
import type { Settings } from '../config/settings';
import type { Log } from '../log/logger';
import type { FileStore } from '../storage/fileStore';
import type { PanelAssets } from '../util/panelAssets';
import { BudgetGuard } from './budgetGuard';
import type { KeyUsageSource } from './budgetGuard';
import { UsageFolder } from './usageFolder';
import { UsagePanel } from './usagePanel';
import { UsageRecorder } from './usageRecorder';

export type { BudgetGuard } from './budgetGuard';
export type { UsageRecorder } from './usageRecorder';
export type { GenerationRecord, UsageSource } from './usageTypes';

export interface UsageDeps {
  /** The panels' scripts and sheets (media/). */
  pages: PanelAssets;
  globalStorageUri: vscode.Uri;
  globalState: vscode.Memento;
  /** The extension's one store, where the record's files live. */
  store: FileStore;
  settings: Settings;
  /** The key's own usage from its last `/key`, and a refresh of it (the view shows it current). */
  balance: KeyUsageSource & { refresh(): Promise<void> };
  log: Log;
  /** Registers the test-only commands (outside production). */
  internalCommands: boolean;
}

export interface UsageServices {
  recorder: UsageRecorder;
  guard: BudgetGuard;
  panel: UsagePanel;
  disposable: vscode.Disposable;
}

/** The record lives in the extension's global storage, shared by every window of the profile. */
export function registerUsage(deps: UsageDeps): UsageServices {
  const folder = new UsageFolder(deps.store, vscode.Uri.joinPath(deps.globalStorageUri, 'usage').fsPath);
  const recorder = new UsageRecorder({ folder, keepPrompts: () => deps.settings.values['usage.recordPrompts'], log: deps.log });
  const guard = new BudgetGuard({ recorder, settings: deps.settings, keyUsage: deps.balance, memento: deps.globalState, log: deps.log });
  const panel = new UsagePanel({ pages: deps.pages, recorder, guard, settings: deps.settings, keyUsage: deps.balance, log: deps.log });
  const disposables: vscode.Disposable[] = [
    guard,
    panel,
    vscode.commands.registerCommand(commandIds.showUsage, () => panel.show()),
    vscode.commands.registerCommand(commandIds.exportUsage, () => panel.exportCsv()),
  ];
  if (deps.internalCommands) {
    disposables.push(
      // `{ forgetRaises: true }` forgets what was allowed past the budgets, so a test can see the question again.
      vscode.commands.registerCommand(internalCommandIds.usageState, async (options?: { forgetRaises?: boolean }) => {
        if (options?.forgetRaises) await guard.forgetRaises();
        return {
          report: await panel.update(),
          panelOpen: panel.isOpen,
          budget: await guard.refresh(),
          entries: await recorder.entries(),
          folder: folder.path,
        };
      }),
      vscode.commands.registerCommand(internalCommandIds.exportUsageTo, (path: unknown) => {
        if (typeof path !== 'string') throw new Error('exportUsageTo takes a file path.');
        return panel.exportCsvTo(path);
      }),
    );
  }
  void guard.refresh();
  return { recorder, guard, panel, disposable: vscode.Disposable.from(...disposables) };
}

// Where the money goes: the local usage record, the budget guard every send asks first, and the Usage view.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Settings } from '../config/settings';
import type { Log } from '../log/logger';
import { BudgetGuard } from './budgetGuard';
import type { KeyUsageSource } from './budgetGuard';
import { UsageFolder } from './usageFolder';
import { UsageRecorder } from './usageRecorder';

export type { BudgetGuard } from './budgetGuard';
export type { UsageRecorder } from './usageRecorder';
export type { GenerationRecord, UsageSource } from './usageTypes';

export interface UsageDeps {
  globalStorageUri: vscode.Uri;
  globalState: vscode.Memento;
  settings: Settings;
  keyUsage: KeyUsageSource;
  log: Log;
}

export interface UsageServices {
  recorder: UsageRecorder;
  guard: BudgetGuard;
  disposable: vscode.Disposable;
}

/** The record lives in the extension's global storage, shared by every window of the profile. */
export function createUsageServices(deps: UsageDeps): UsageServices {
  const folder = new UsageFolder(join(deps.globalStorageUri.fsPath, 'usage'));
  const recorder = new UsageRecorder({ folder, keepPrompts: () => deps.settings.values['usage.recordPrompts'], log: deps.log });
  const guard = new BudgetGuard({ recorder, settings: deps.settings, keyUsage: deps.keyUsage, memento: deps.globalState, log: deps.log });
  return { recorder, guard, disposable: guard };
}

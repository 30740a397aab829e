// How long answers' checkpoints are kept (`openrouter.checkpoints.*`): user settings only, since the record is
// shared by every workspace of this profile and a workspace should not decide how much Undo history it keeps.
import * as vscode from 'vscode';
import type { Retention } from './retentionRule';

export const checkpointSettings = { keep: 'checkpoints.keep', maxAgeDays: 'checkpoints.maxAgeDays' } as const;
const defaults: Retention = { keep: 100, maxAgeDays: 30 };

function userNumber(key: string, fallback: number, minimum: number, maximum: number): number {
  const value = vscode.workspace.getConfiguration('openrouter').inspect<unknown>(key)?.globalValue;
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(maximum, Math.max(minimum, Math.floor(value))) : fallback;
}

export function checkpointRetention(): Retention {
  return { keep: userNumber(checkpointSettings.keep, defaults.keep, 1, 10_000), maxAgeDays: userNumber(checkpointSettings.maxAgeDays, defaults.maxAgeDays, 1, 3650) };
}

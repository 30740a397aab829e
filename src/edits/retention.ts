// How long answers' checkpoints are kept (`openrouter.checkpoints.*`): user settings only, since the record is
// shared by every workspace of this profile and a workspace should not decide how much Undo history it keeps.
import * as vscode from 'vscode';
import { retentionSettings, type Retention } from './retentionRule';

function userNumber(spec: (typeof retentionSettings)[keyof typeof retentionSettings]): number {
  const value = vscode.workspace.getConfiguration('openrouter').inspect<unknown>(spec.key)?.globalValue;
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(spec.maximum, Math.max(spec.minimum, Math.floor(value))) : spec.default;
}

export function checkpointRetention(): Retention {
  return { keep: userNumber(retentionSettings.keep), maxAgeDays: userNumber(retentionSettings.maxAgeDays) };
}

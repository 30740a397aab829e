// Which `openrouter.*` settings only the user may set, and finding them in a workspace's settings text.
// No vscode import: unit-tested under plain Node.
import type * as JsoncParser from 'jsonc-parser';
import type { ParseError } from 'jsonc-parser';
import { providerSettingKeys } from './settingsValidation';
import type { SettingKey } from './settingsValidation';

/** Settings that turn on spending without a question (inline completions send requests as the user types), and its caps. */
const spendingSettingKeys = ['completions.enabled', 'completions.maxRequestsPerMinute', 'chat.maxOutputTokens', 'chat.contextOverflow', 'agent.maxSteps', 'agent.maxTaskCostUsd'];

/** Settings that decide what is never sent to a model: a workspace may add exclusions (another setting), never lift them. */
const exclusionSettingKeys = ['exclusion.patterns', 'exclusion.allowOutsideWorkspace', 'exclusion.untitled'];

/**
 * Settings that decide where the key is sent or how requests connect (the origin, the pool, retries,
 * timeouts), how often the key is used unattended, the budgets and the low-balance warning (a repository
 * must not lift or silence them), keeping prompts in the usage record (only the user opts in), keeping the chat
 * history (only the user decides what stays on disk) and the log level (a repository must not hide what happened).
 * They are `application`-scoped in package.json, so VS Code ignores their workspace and folder values: a
 * cloned repository cannot redirect the key.
 */
export const userOnlySettingKeys: readonly string[] = [
  ...providerSettingKeys,
  ...(['creditsRefreshIntervalSeconds', 'budget.daily', 'budget.monthly', 'lowBalanceThreshold', 'usage.recordPrompts', 'chat.keepHistory', 'logLevel'] satisfies SettingKey[]),
  ...spendingSettingKeys,
  ...exclusionSettingKeys,
  // How much Undo history the shared checkpoint record keeps: the user's, for every workspace.
  'checkpoints.keep',
  'checkpoints.maxAgeDays',
];

let jsonc: typeof JsoncParser | undefined;

/** jsonc-parser, required the first time a workspace has settings to check (a file of its own in the build). */
function loadJsonc(): typeof JsoncParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deferred require is the point
  jsonc ??= require('jsonc-parser') as typeof JsoncParser;
  return jsonc;
}

export interface WorkspaceSettingsScan {
  /** Full names (`openrouter.baseUrl`) of user-only settings the text sets, in the order of userOnlySettingKeys. */
  found: string[];
  /** A sentence when the text could not be read as JSON with comments (VS Code ignores such a file too). */
  problem?: string;
}

/**
 * Scans a settings file (`.vscode/settings.json`) or, with `section: 'settings'`, a `.code-workspace` file.
 * Both the flat (`"openrouter.baseUrl"`) and the nested (`"openrouter": { "baseUrl" }`) spellings count.
 */
export function scanWorkspaceSettings(text: string, section?: 'settings'): WorkspaceSettingsScan {
  const { parse, printParseErrorCode } = loadJsonc();
  const errors: ParseError[] = [];
  const parsed: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const root = section && isRecord(parsed) ? parsed[section] : parsed;
  const found = isRecord(root) ? userOnlySettingKeys.filter((key) => setsKey(root, key)).map((key) => `openrouter.${key}`) : [];
  const firstError = errors[0];
  return firstError && found.length === 0 ? { found, problem: `it is not valid JSON (${printParseErrorCode(firstError.error)} at offset ${firstError.offset})` } : { found };
}

/** The flat spelling, or any nesting of its dotted parts (`"openrouter": { "completions": { "enabled": … } }`). */
function setsKey(root: Record<string, unknown>, key: string): boolean {
  const parts = ['openrouter', ...key.split('.')];
  const walk = (node: Record<string, unknown>, rest: string[]): boolean => {
    for (let i = 1; i <= rest.length; i++) {
      const value = node[rest.slice(0, i).join('.')];
      if (i === rest.length ? value != null : isRecord(value) && walk(value, rest.slice(i))) return true;
    }
    return false;
  };
  return walk(root, parts);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

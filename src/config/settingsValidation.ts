// Pure validation of the `openrouter.*` settings: no vscode import, so it is unit-tested under plain Node.

// The one default endpoint is the client's; settings fall back to it.
import { DEFAULT_BASE_URL } from '../openrouter/provider';
import { isModelId } from '../openrouter/modelId';

export { DEFAULT_BASE_URL };

/** Setting names below the `openrouter.` section, declared once. */
export const settingKeys = {
  baseUrl: 'baseUrl',
  poolSize: 'poolSize',
  http2: 'http2',
  maxRetries: 'maxRetries',
  connectTimeoutSeconds: 'connectTimeoutSeconds',
  headersTimeoutSeconds: 'headersTimeoutSeconds',
  idleTimeoutSeconds: 'idleTimeoutSeconds',
  defaultModel: 'defaultModel',
  creditsRefreshIntervalSeconds: 'creditsRefreshIntervalSeconds',
  lowBalanceThreshold: 'lowBalanceThreshold',
  logLevel: 'logLevel',
  budgetDaily: 'budget.daily',
  budgetMonthly: 'budget.monthly',
  usageRecordPrompts: 'usage.recordPrompts',
  chatKeepHistory: 'chat.keepHistory',
  chatMaxOutputTokens: 'chat.maxOutputTokens',
  chatContextOverflow: 'chat.contextOverflow',
  agentMaxSteps: 'agent.maxSteps',
  agentMaxTaskCostUsd: 'agent.maxTaskCostUsd',
  agentToolTimeoutSeconds: 'agent.toolTimeoutSeconds',
} as const;

export type SettingKey = (typeof settingKeys)[keyof typeof settingKeys];

export const logLevels = ['inherit', 'trace', 'debug', 'info', 'warning', 'error', 'off'] as const;
export type LogLevelSetting = (typeof logLevels)[number];

/** What a chat does with its older turns before a request would exceed the model's context. */
export const contextOverflowChoices = ['condense', 'drop'] as const;
export type ContextOverflowSetting = (typeof contextOverflowChoices)[number];

export interface SettingsValues {
  baseUrl: string;
  poolSize: number;
  http2: boolean;
  maxRetries: number;
  connectTimeoutSeconds: number;
  headersTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  defaultModel: string;
  creditsRefreshIntervalSeconds: number;
  lowBalanceThreshold: number;
  logLevel: LogLevelSetting;
  /** USD per UTC day; 0 = off. */
  'budget.daily': number;
  /** USD per UTC month; 0 = off. */
  'budget.monthly': number;
  /** Keep the prompt's first 500 characters in the local usage record. */
  'usage.recordPrompts': boolean;
  /** Save chats (prompts, attached text, images) on disk; off: nothing new is written. */
  'chat.keepHistory': boolean;
  /** `max_tokens` of a chat answer, capped at the model's own limit; 0 = the model's limit. */
  'chat.maxOutputTokens': number;
  /** Older turns that no longer fit the model's context: summarised by the model (billed) or left out. */
  'chat.contextOverflow': ContextOverflowSetting;
  /** Model requests one Agent mode task may make. */
  'agent.maxSteps': number;
  /** USD one Agent mode task may spend (a chat may choose its own cap). */
  'agent.maxTaskCostUsd': number;
  /** How long one tool call may take. */
  'agent.toolTimeoutSeconds': number;
}

export interface NumberSpec {
  default: number;
  minimum: number;
  maximum: number;
  integer: boolean;
  /** What the number means, for messages ("seconds", "connections"). */
  unit: string;
}

export const numberSpecs = {
  poolSize: { default: 10, minimum: 1, maximum: 128, integer: true, unit: 'connections' },
  maxRetries: { default: 3, minimum: 0, maximum: 10, integer: true, unit: 'retries' },
  connectTimeoutSeconds: { default: 10, minimum: 1, maximum: 300, integer: false, unit: 'seconds' },
  headersTimeoutSeconds: { default: 120, minimum: 1, maximum: 3600, integer: false, unit: 'seconds' },
  idleTimeoutSeconds: { default: 60, minimum: 1, maximum: 3600, integer: false, unit: 'seconds' },
  creditsRefreshIntervalSeconds: { default: 300, minimum: 0, maximum: 86400, integer: true, unit: 'seconds (0 turns it off)' },
  lowBalanceThreshold: { default: 1, minimum: 0, maximum: 1_000_000, integer: false, unit: 'USD' },
  'budget.daily': { default: 0, minimum: 0, maximum: 1_000_000, integer: false, unit: 'USD (0 turns it off)' },
  'budget.monthly': { default: 0, minimum: 0, maximum: 1_000_000, integer: false, unit: 'USD (0 turns it off)' },
  'chat.maxOutputTokens': { default: 4096, minimum: 0, maximum: 10_000_000, integer: true, unit: "tokens (0: the model's maximum)" },
  'agent.maxSteps': { default: 25, minimum: 1, maximum: 500, integer: true, unit: 'steps' },
  'agent.maxTaskCostUsd': { default: 1, minimum: 0, maximum: 1000, integer: false, unit: 'USD' },
  'agent.toolTimeoutSeconds': { default: 120, minimum: 1, maximum: 3600, integer: false, unit: 'seconds' },
} satisfies Record<string, NumberSpec>;

export type NumberSettingKey = keyof typeof numberSpecs;

export const defaultSettings: SettingsValues = {
  baseUrl: DEFAULT_BASE_URL,
  poolSize: numberSpecs.poolSize.default,
  http2: true,
  maxRetries: numberSpecs.maxRetries.default,
  connectTimeoutSeconds: numberSpecs.connectTimeoutSeconds.default,
  headersTimeoutSeconds: numberSpecs.headersTimeoutSeconds.default,
  idleTimeoutSeconds: numberSpecs.idleTimeoutSeconds.default,
  defaultModel: 'openai/gpt-4o-mini',
  creditsRefreshIntervalSeconds: numberSpecs.creditsRefreshIntervalSeconds.default,
  lowBalanceThreshold: numberSpecs.lowBalanceThreshold.default,
  logLevel: 'inherit',
  'budget.daily': 0,
  'budget.monthly': 0,
  'usage.recordPrompts': false,
  'chat.keepHistory': true,
  'chat.maxOutputTokens': numberSpecs['chat.maxOutputTokens'].default,
  'chat.contextOverflow': 'condense',
  'agent.maxSteps': numberSpecs['agent.maxSteps'].default,
  'agent.maxTaskCostUsd': numberSpecs['agent.maxTaskCostUsd'].default,
  'agent.toolTimeoutSeconds': numberSpecs['agent.toolTimeoutSeconds'].default,
};

export interface Checked<T> {
  value: T;
  /** A sentence for the user when the raw value was unusable and `value` is a fallback. */
  problem?: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Text that may be a credential: an OpenRouter key, a bearer token, or a long unbroken run of letters and digits. */
export function looksLikeSecret(text: string): boolean {
  return /sk-or-/i.test(text) || /\bbearer\b/i.test(text) || /[A-Za-z0-9]{20,}/.test(text);
}

/** ` "value"` for a message when it is short, printable and cannot be a secret; otherwise nothing. */
export function safeEcho(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > 40 || /[^\x20-\x7e]/.test(raw) || looksLikeSecret(raw)) return '';
  return ` "${raw}"`;
}

/** How a value that is not a number looks, without quoting it (it may be a pasted secret). */
function describeNonNumber(raw: unknown): string {
  if (typeof raw === 'number') return String(raw);
  if (typeof raw === 'string') return raw.trim() === '' ? 'empty text' : 'text that is not a plain decimal number';
  if (typeof raw === 'boolean') return String(raw);
  return Array.isArray(raw) ? 'a list' : `a${typeof raw === 'object' ? 'n object' : ` ${typeof raw}`}`;
}

/**
 * https anywhere; plain http only to this machine (a local proxy or the emulator). Messages never quote
 * the value: a URL can carry a token, and a key pasted into the wrong box must not reach a notification.
 */
export function checkBaseUrl(raw: unknown, fallbackUrl = DEFAULT_BASE_URL): Checked<string> {
  if (raw === undefined || raw === null || raw === '') return { value: fallbackUrl };
  const fallback = (why: string): Checked<string> => ({
    value: fallbackUrl,
    problem: `openrouter.baseUrl ${why}; using ${fallbackUrl} instead.`,
  });
  if (typeof raw !== 'string') return fallback('must be a URL string');
  const text = raw.trim();
  if (/sk-or-/i.test(text)) return fallback('contains what looks like an API key (keys belong in the secret store: run "OpenRouter: Set API Key")');
  // The URL parser silently drops CR, LF and tabs, so "…/v1\r\nX: 1" would otherwise become a different path.
  if (/[\s\p{Cc}\p{Cf}]/u.test(text)) return fallback('contains a space, line break or control character');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fallback('is not a valid URL (expected something like https://openrouter.ai/api/v1)');
  }
  if (url.username || url.password) return fallback('must not contain a user name or password (the key is kept in the secret store)');
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) return fallback('must use https (plain http is only allowed for localhost)');
  } else if (url.protocol !== 'https:') {
    return fallback('must be an https URL');
  }
  if (url.search || url.hash) return fallback('must not contain a query or fragment');
  return { value: url.toString().replace(/\/+$/, '') };
}

export function checkNumber(key: NumberSettingKey, raw: unknown): Checked<number> {
  const spec: NumberSpec = numberSpecs[key];
  if (raw === undefined || raw === null) return { value: spec.default };
  // settings.json may hold "30" by hand; only plain decimals count, not "0x10", "1e3" or "12abc".
  const n = typeof raw === 'string' && /^\s*[+-]?\d+(?:\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    return { value: spec.default, problem: `openrouter.${key} must be a number of ${spec.unit}, not ${describeNonNumber(raw)}; using the default ${spec.default}.` };
  }
  if (spec.integer && !Number.isInteger(n)) {
    const rounded = checkNumber(key, Math.round(n));
    return { value: rounded.value, problem: rounded.problem ?? `openrouter.${key} must be a whole number; using ${rounded.value}.` };
  }
  if (n < spec.minimum) {
    return { value: spec.minimum, problem: `openrouter.${key} is ${n}, below the minimum ${spec.minimum} ${spec.unit}; using ${spec.minimum}.` };
  }
  if (n > spec.maximum) {
    return { value: spec.maximum, problem: `openrouter.${key} is ${n}, above the maximum ${spec.maximum} ${spec.unit}; using ${spec.maximum}.` };
  }
  // -0 would print as "0" but compare oddly; settle on plain 0.
  return { value: n === 0 ? 0 : n };
}

export function checkModelId(raw: unknown): Checked<string> {
  if (raw === undefined || raw === null || raw === '') return { value: defaultSettings.defaultModel };
  const fallback = defaultSettings.defaultModel;
  if (typeof raw === 'string' && /sk-or-/i.test(raw)) {
    return { value: fallback, problem: `openrouter.defaultModel looks like an API key, not a model id (keys belong in the secret store: run "OpenRouter: Set API Key"); using ${fallback}.` };
  }
  if (typeof raw !== 'string' || !isModelId(raw.trim())) {
    return { value: fallback, problem: `openrouter.defaultModel${safeEcho(raw)} is not a model id (like "openai/gpt-4o-mini"); using ${fallback}.` };
  }
  return { value: raw.trim() };
}

/** An on/off setting: anything but true or false (a string "true" from a hand-edited file, say) is reported. */
export function checkSwitch(key: SettingKey, raw: unknown, fallback: boolean): Checked<boolean> {
  if (raw === undefined || raw === null) return { value: fallback };
  if (typeof raw === 'boolean') return { value: raw };
  return { value: fallback, problem: `openrouter.${key}${safeEcho(raw)} must be true or false; using ${String(fallback)}.` };
}

export function checkLogLevel(raw: unknown): Checked<LogLevelSetting> {
  if (raw === undefined || raw === null || raw === '') return { value: 'inherit' };
  if (typeof raw === 'string' && (logLevels as readonly string[]).includes(raw)) return { value: raw as LogLevelSetting };
  return { value: 'inherit', problem: `openrouter.logLevel must be one of ${logLevels.join(', ')}; using "inherit".` };
}

export function checkContextOverflow(raw: unknown): Checked<ContextOverflowSetting> {
  if (raw === undefined || raw === null || raw === '') return { value: defaultSettings['chat.contextOverflow'] };
  if (typeof raw === 'string' && (contextOverflowChoices as readonly string[]).includes(raw)) return { value: raw as ContextOverflowSetting };
  return { value: defaultSettings['chat.contextOverflow'], problem: `openrouter.chat.contextOverflow must be one of ${contextOverflowChoices.join(', ')}; using "condense".` };
}

/**
 * Reads every setting through `get` (a configuration section), returning usable values and the problems
 * found. An unusable base URL falls back to `fallbackBaseUrl` (the default, or the emulator in a demo).
 */
export function readSettings(get: (key: SettingKey) => unknown, fallbackBaseUrl = DEFAULT_BASE_URL): { values: SettingsValues; problems: string[] } {
  const problems: string[] = [];
  const take = <T>(checked: Checked<T>): T => {
    if (checked.problem) problems.push(checked.problem);
    return checked.value;
  };
  const values: SettingsValues = {
    baseUrl: take(checkBaseUrl(get('baseUrl'), fallbackBaseUrl)),
    poolSize: take(checkNumber('poolSize', get('poolSize'))),
    http2: take(checkSwitch('http2', get('http2'), defaultSettings.http2)),
    maxRetries: take(checkNumber('maxRetries', get('maxRetries'))),
    connectTimeoutSeconds: take(checkNumber('connectTimeoutSeconds', get('connectTimeoutSeconds'))),
    headersTimeoutSeconds: take(checkNumber('headersTimeoutSeconds', get('headersTimeoutSeconds'))),
    idleTimeoutSeconds: take(checkNumber('idleTimeoutSeconds', get('idleTimeoutSeconds'))),
    defaultModel: take(checkModelId(get('defaultModel'))),
    creditsRefreshIntervalSeconds: take(checkNumber('creditsRefreshIntervalSeconds', get('creditsRefreshIntervalSeconds'))),
    lowBalanceThreshold: take(checkNumber('lowBalanceThreshold', get('lowBalanceThreshold'))),
    logLevel: take(checkLogLevel(get('logLevel'))),
    // A budget left empty (null) in settings.json means no budget, like 0.
    'budget.daily': take(checkNumber('budget.daily', get('budget.daily'))),
    'budget.monthly': take(checkNumber('budget.monthly', get('budget.monthly'))),
    'usage.recordPrompts': take(checkSwitch('usage.recordPrompts', get('usage.recordPrompts'), defaultSettings['usage.recordPrompts'])),
    'chat.keepHistory': take(checkSwitch('chat.keepHistory', get('chat.keepHistory'), defaultSettings['chat.keepHistory'])),
    'chat.maxOutputTokens': take(checkNumber('chat.maxOutputTokens', get('chat.maxOutputTokens'))),
    'chat.contextOverflow': take(checkContextOverflow(get('chat.contextOverflow'))),
    'agent.maxSteps': take(checkNumber('agent.maxSteps', get('agent.maxSteps'))),
    'agent.maxTaskCostUsd': take(checkNumber('agent.maxTaskCostUsd', get('agent.maxTaskCostUsd'))),
    'agent.toolTimeoutSeconds': take(checkNumber('agent.toolTimeoutSeconds', get('agent.toolTimeoutSeconds'))),
  };
  return { values, problems };
}

/** The settings whose change needs a new provider (pool, sockets, retry policy, origin). */
export const providerSettingKeys: readonly SettingKey[] = [
  'baseUrl',
  'poolSize',
  'http2',
  'maxRetries',
  'connectTimeoutSeconds',
  'headersTimeoutSeconds',
  'idleTimeoutSeconds',
];

/** Which keys differ between two snapshots. */
export function changedKeys(before: SettingsValues, after: SettingsValues): SettingKey[] {
  return (Object.keys(after) as SettingKey[]).filter((key) => before[key] !== after[key]);
}

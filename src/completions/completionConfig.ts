// The `openrouter.completions.*` settings, validated (no vscode import: unit-tested under Node).

export const COMPLETIONS_SECTION = 'openrouter.completions';

export const completionSettingKeys = {
  enabled: 'enabled',
  model: 'model',
  languages: 'languages',
  debounceMs: 'debounceMs',
  maxRequestsPerMinute: 'maxRequestsPerMinute',
} as const;

export interface CompletionSettings {
  enabled: boolean;
  model: string;
  /** Language id → on/off; `*` for every language not listed. */
  languages: Readonly<Record<string, boolean>>;
  debounceMs: number;
  maxRequestsPerMinute: number;
}

export const DEFAULT_COMPLETION_MODEL = 'mistralai/codestral-2508';

export const defaultCompletionSettings: CompletionSettings = {
  enabled: false,
  model: DEFAULT_COMPLETION_MODEL,
  languages: { '*': true, plaintext: false, markdown: false, scminput: false },
  debounceMs: 200,
  maxRequestsPerMinute: 30,
};

/** Tokens of text around the cursor sent with each request (three quarters before it). */
export const CONTEXT_TOKENS = 2048;
/** Longest completion asked for. */
export const MAX_COMPLETION_TOKENS = 128;

function integerIn(name: string, raw: unknown, min: number, max: number, fallback: number, problems: string[]): number {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    problems.push(`${COMPLETIONS_SECTION}.${name} must be a whole number from ${min} to ${max}; using ${fallback}.`);
    return fallback;
  }
  return raw;
}

export function parseCompletionSettings(raw: Partial<Record<keyof CompletionSettings, unknown>>): { value: CompletionSettings; problems: string[] } {
  const problems: string[] = [];
  const d = defaultCompletionSettings;
  let model = d.model;
  if (typeof raw.model === 'string' && /^[\w.:/@-]{1,200}$/.test(raw.model.trim())) model = raw.model.trim();
  else if (raw.model !== undefined && raw.model !== null && raw.model !== '') problems.push(`${COMPLETIONS_SECTION}.model must be an OpenRouter model id such as ${d.model}; using ${d.model}.`);
  let languages: Record<string, boolean> = { ...d.languages };
  if (raw.languages && typeof raw.languages === 'object' && !Array.isArray(raw.languages)) {
    languages = {};
    for (const [language, on] of Object.entries(raw.languages as Record<string, unknown>)) {
      if (typeof on === 'boolean') languages[language] = on;
      else problems.push(`${COMPLETIONS_SECTION}.languages: "${language.slice(0, 40)}" must be true or false; ignored.`);
    }
  } else if (raw.languages !== undefined && raw.languages !== null) {
    problems.push(`${COMPLETIONS_SECTION}.languages must be an object such as { "*": true, "markdown": false }; using the default.`);
  }
  return {
    value: {
      enabled: raw.enabled === true,
      model,
      languages,
      debounceMs: integerIn('debounceMs', raw.debounceMs, 0, 2000, d.debounceMs, problems),
      maxRequestsPerMinute: integerIn('maxRequestsPerMinute', raw.maxRequestsPerMinute, 1, 600, d.maxRequestsPerMinute, problems),
    },
    problems,
  };
}

export { languageEnabled } from '../config/completionLanguages';

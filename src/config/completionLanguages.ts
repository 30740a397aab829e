// `openrouter.completions.languages`: on or off per language id, `*` for the rest.

/** The language's own entry, else `*`, else on. */
export function languageEnabled(languages: Readonly<Record<string, boolean>>, languageId: string): boolean {
  return languages[languageId] ?? languages['*'] ?? true;
}

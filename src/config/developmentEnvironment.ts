// The environment variables that point the extension at the local OpenRouter emulator. They decide where the
// key goes and which certificate authority is trusted, so only a development or test run (VS Code's
// ExtensionMode.Development / Test) honours them; an installed extension ignores them and says so in the log.
// The installed extension's own ways to the same ends are the `openrouter.baseUrl` setting (loopback http is
// allowed) and the operating system's certificate store. OPENROUTER_EMULATOR, a label for the status bar and
// the log ("offline demo"), changes neither and is read as before.

/** Variables honoured only in a development or test run. */
export const developmentVariables = ['OPENROUTER_BASE_URL', 'OPENROUTER_CA_FILE'] as const;

export type DevelopmentVariable = (typeof developmentVariables)[number];
export type DevelopmentEnvironment = Partial<Record<DevelopmentVariable, string>>;

/**
 * The development variables set in `env` when `development` is true; none otherwise, with a log line naming
 * each one that was set and ignored (never its value: a URL may carry credentials).
 */
export function developmentEnvironment(development: boolean, env: NodeJS.ProcessEnv, log: { info(message: string): void }): DevelopmentEnvironment {
  const set = developmentVariables.filter((name) => env[name]?.trim());
  if (!development) {
    for (const name of set) log.info(`${name} is set but ignored: only a development or test run of the extension honours it.${name === 'OPENROUTER_BASE_URL' ? ' Set openrouter.baseUrl in your user settings instead.' : ''}`);
    return {};
  }
  const out: DevelopmentEnvironment = {};
  for (const name of set) out[name] = env[name]?.trim();
  return out;
}

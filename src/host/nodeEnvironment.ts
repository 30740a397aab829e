// The composition root's Node-only inputs, read in one place: the process's environment variables (the local
// emulator's, in a development or test run) and the certificate authority file a local HTTPS emulator is
// trusted by. A browser build replaces this file with one that has no variables and reads no file.
import { readFileSync } from 'node:fs';
import { errorText } from '../util/errorText';
import { developmentEnvironment, type DevelopmentEnvironment } from '../config/developmentEnvironment';

export interface NodeEnvironment {
  /** The development variables honoured (none outside a development or test run). */
  development: DevelopmentEnvironment;
  /** `OPENROUTER_EMULATOR=1`: the offline demo, talking to the local emulator (a label only). */
  emulator: boolean;
  /** The process's variables (`OPENROUTER_API_KEY`). */
  variables: NodeJS.ProcessEnv;
  /** The CA named by `OPENROUTER_CA_FILE` (development and test runs only); undefined, with a warning, when it cannot be read. */
  trustedCa(log: { warn(message: string): void }): string | undefined;
}

/** Logs, at once, each development variable that is set and ignored because this is an installed extension. */
export function readNodeEnvironment(development: boolean, log: { info(message: string): void }): NodeEnvironment {
  const honoured = developmentEnvironment(development, process.env, log);
  return {
    development: honoured,
    emulator: process.env.OPENROUTER_EMULATOR === '1',
    variables: process.env,
    trustedCa(warnings) {
      const caFile = honoured.OPENROUTER_CA_FILE;
      if (!caFile) return undefined;
      try {
        return readFileSync(caFile, 'utf8');
      } catch (error) {
        warnings.warn(`OPENROUTER_CA_FILE could not be read: ${errorText(error)}`);
        return undefined;
      }
    },
  };
}

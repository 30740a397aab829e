// undici is most of the bundle: it is loaded when the first connection is made, not when the extension starts.
import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

/** undici, evaluated on first use (a bundled `require` inside a function stays lazy; a top-level import would not). */
export function loadUndici(): typeof Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deferred require is the point
  loaded ??= require('undici') as typeof Undici;
  return loaded;
}

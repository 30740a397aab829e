// p-retry and eventsource-parser are required with the first call, not when the extension loads: the
// build puts each into a file of its own (esbuild.mjs, `lazyPackages`), as it does undici (./undici.ts).
import type * as EventSourceParser from 'eventsource-parser';
import type PRetry from 'p-retry';

let pRetry: typeof PRetry | undefined;
let eventSourceParser: typeof EventSourceParser | undefined;

/* eslint-disable @typescript-eslint/no-require-imports -- a require inside a function stays lazy in the bundle */

/** p-retry's default export (an ES module: its CommonJS form keeps it under `default`). */
export function loadPRetry(): typeof PRetry {
  pRetry ??= (require('p-retry') as { default: typeof PRetry }).default;
  return pRetry;
}

export function loadEventSourceParser(): typeof EventSourceParser {
  eventSourceParser ??= require('eventsource-parser') as typeof EventSourceParser;
  return eventSourceParser;
}

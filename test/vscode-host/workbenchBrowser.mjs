// The headless Chromium that opens the VS Code workbench for the suite, the benches and the screenshots: Debian's
// `chromium` (never a downloaded one), a profile in the run's folder, and nothing but loopback let through.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { runEnvironment } from './server.mjs';

export const CHROMIUM = process.env.VSCODE_TEST_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Throws the command that installs Chromium when it is missing. */
export function requireChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set VSCODE_TEST_CHROMIUM)`);
}

/** Aborts every request that would leave the machine; `onBlocked` hears of each origin once. */
export async function loopbackOnly(context, onBlocked = (/** @type {string} */ _origin) => {}) {
  const blocked = new Set();
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    if (!blocked.has(url.origin)) onBlocked(url.origin);
    blocked.add(url.origin);
    return route.abort('blockedbyclient');
  });
}

/**
 * A browser whose profile lives in `runDir/browser-profile` (so the run's scan for keys reads its storage too) and
 * whose processes carry the run's tag (so they are found and ended with the run), limited to loopback. Other options
 * go to Playwright's `launchPersistentContext`.
 * @param {{ runDir: string, tag: string, onBlocked?: (origin: string) => void } & import('playwright-core').BrowserContextOptions} options
 */
export async function launchWorkbenchBrowser({ runDir, tag, onBlocked, ...options }) {
  requireChromium();
  const context = await chromium.launchPersistentContext(join(runDir, 'browser-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: runEnvironment(runDir, tag),
    timeout: 120_000,
    viewport: { width: 1400, height: 900 },
    ...options,
  });
  await loopbackOnly(context, onBlocked);
  return context;
}

/** The address that opens the workbench of `server` on `folder`, with the payload given (e.g. the extension to develop). */
export function workbenchUrl(server, folder, payload) {
  return `${server.origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

// The browser actions a test can ask for (see browser.ts): each takes the Playwright page and the
// action's arguments and returns a JSON-serialisable result. They act as a user would: keys and clicks.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { watchOpenedPages } from './openedPages.mjs';
import { quickInputActions } from './quickInputActions.mjs';
import { webviewActions } from './webviewActions.mjs';
import { workbenchActions } from './workbenchActions.mjs';

export function createActions({ page, screenshotDir }) {
  mkdirSync(screenshotDir, { recursive: true });
  const { openedPages } = watchOpenedPages(page);
  return {
    openedPages,

    async screenshot({ name }) {
      if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name must be a plain file name: ${name}`);
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path });
      return { path };
    },

    ...quickInputActions(page),
    ...webviewActions(page),
    ...workbenchActions(page),
  };
}

// Inside a webview (the chat view, an editor panel): wait for, read, click, fill, press, evaluate.
import { webviewWith } from './workbenchLocators.mjs';

/** @param {import('playwright-core').Page} page */
export function webviewActions(page) {
  return {
    /** @param {{ selector: string, text?: string, timeoutMs?: number, within?: string }} options */
    async webviewWaitFor({ selector, text, timeoutMs = 20_000, within }) {
      const view = await webviewWith(page, within);
      const target = text ? view.locator(selector).filter({ hasText: text }).first() : view.locator(selector).first();
      await target.waitFor({ state: 'visible', timeout: timeoutMs });
      return { text: (await target.innerText()).trim() };
    },

    async webviewText({ selector, within }) {
      return { texts: await (await webviewWith(page, within)).locator(selector).allInnerTexts() };
    },

    async webviewClick({ selector, within, button, modifiers }) {
      await (await webviewWith(page, within)).locator(selector).first().click({ ...(button ? { button } : {}), ...(modifiers ? { modifiers } : {}) });
      return null;
    },

    /** @param {{ selector: string, text: string, within?: string }} options */
    async webviewFill({ selector, text, within }) {
      await (await webviewWith(page, within)).locator(selector).first().fill(text);
      return null;
    },

    /** @param {{ selector: string, key: string, within?: string }} options */
    async webviewPress({ selector, key, within }) {
      await (await webviewWith(page, within)).locator(selector).first().press(key);
      return null;
    },

    async webviewEvaluate({ expression, within }) {
      return (await webviewWith(page, within)).locator('html').evaluate((_, source) => (0, eval)(source), expression);
    },
  };
}

// The command palette and quick inputs, driven by keys and clicks as a user does.
import { QUICK_INPUT, QUICK_INPUT_BOX, QUICK_ROWS, dismissHovers, escapeRegExp, openPalette, quickInputVisible, readRows } from './workbenchLocators.mjs';

/** @param {import('playwright-core').Page} page */
export function quickInputActions(page) {
  return {
    async openCommandPalette({ focus } = /** @type {{ focus?: 'editor' }} */ ({})) {
      await openPalette(page, { focus });
      return null;
    },

    /** @param {{ title: string, focus?: 'editor' }} options */
    async runCommandFromPalette({ title, focus }) {
      const focusedBefore = await page.evaluate(() => document.activeElement?.className || document.activeElement?.tagName || '');
      await openPalette(page, { focus });
      // One value for the whole box: '>' keeps it in command mode whatever mode or text the palette opened with.
      await page.locator(QUICK_INPUT_BOX).fill(`>${title}`);
      // The row whose label is the title itself (a row's whole text runs on into its keybinding and 'recently used').
      const label = page.locator('.label-name, .monaco-icon-label-container', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`, 'i') });
      const row = page.locator(QUICK_ROWS).filter({ has: label }).first();
      try {
        await row.waitFor({ state: 'visible', timeout: 20_000 });
      } catch {
        const shown = (await readRows(page)).map((r) => r.label || r.ariaLabel);
        throw new Error(`the palette lists no command "${title}" (rows: ${JSON.stringify(shown)}; the focus was on "${focusedBefore}")`);
      }
      const ran = (await row.getAttribute('aria-label')) ?? title;
      await dismissHovers(page);
      await row.click();
      // The hand leaves the row: resting there, the pointer would be over the box of a quick input the command opens.
      await page.mouse.move(0, 0);
      return { ran };
    },

    async typeInQuickInput({ text, replace = false }) {
      await quickInputVisible(page);
      const box = page.locator(QUICK_INPUT_BOX);
      // One input event for the whole text (as a paste): key by key, each keystroke refilters the list.
      if (replace) await box.fill(text);
      else {
        await box.focus();
        await page.keyboard.insertText(text);
      }
      return null;
    },

    async quickInputValue() {
      const visible = await page.locator(QUICK_INPUT).isVisible();
      return { value: visible ? await page.locator(QUICK_INPUT_BOX).inputValue() : '', visible };
    },

    async quickInputTitle() {
      await quickInputVisible(page);
      return page.locator(QUICK_INPUT).evaluate((el) => ({
        title: el.querySelector('.quick-input-title')?.textContent?.trim() ?? '',
        message: el.querySelector('.quick-input-message')?.textContent?.trim() ?? '',
        busy: Boolean(el.querySelector('.quick-input-progress.active, .quick-input-progress .active, .monaco-progress-container.active')),
      }));
    },

    async quickPickItems({ waitFor, timeoutMs = 20_000 } = /** @type {{ waitFor?: string, timeoutMs?: number }} */ ({})) {
      await quickInputVisible(page, timeoutMs);
      if (waitFor) await page.locator(QUICK_ROWS).filter({ hasText: waitFor }).first().waitFor({ state: 'visible', timeout: timeoutMs });
      else await page.locator(QUICK_ROWS).first().waitFor({ state: 'visible', timeout: timeoutMs });
      return readRows(page);
    },

    async pickQuickPickItem({ label, exact = false }) {
      await quickInputVisible(page);
      const rows = page.locator(QUICK_ROWS);
      const row = exact
        ? rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) }).first()
        : rows.filter({ hasText: label }).first();
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      const picked = (await row.getAttribute('aria-label')) ?? label;
      await dismissHovers(page);
      await row.click();
      await page.mouse.move(0, 0);
      return { picked };
    },

    async clickQuickInputButton({ title }) {
      await quickInputVisible(page);
      const button = page.locator(`${QUICK_INPUT} .action-label[aria-label*="${title}" i], ${QUICK_INPUT} .action-label[title*="${title}" i]`).first();
      await dismissHovers(page);
      await button.click();
      return null;
    },

    async clickQuickPickItemButton({ label, button }) {
      await quickInputVisible(page);
      const row = page.locator(QUICK_ROWS).filter({ hasText: label }).first();
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      // A row's buttons show when the pointer is over it, as for a user.
      await dismissHovers(page);
      await row.hover();
      await row.locator(`.action-label[aria-label*="${button}" i], .action-label[title*="${button}" i]`).first().click();
      return null;
    },

    async closeQuickInput() {
      if (await page.locator(QUICK_INPUT).isVisible()) {
        await page.keyboard.press('Escape');
        await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5_000 });
      }
      return null;
    },

    async pressKey({ key }) {
      await page.keyboard.press(key);
      return null;
    },
  };
}

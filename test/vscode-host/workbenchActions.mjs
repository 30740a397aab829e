// The rest of the workbench: status bar, notifications, editor menus and ghost text, the activity and side bars,
// and pages the workbench opens in new browser tabs.
import { ACTIVE_EDITOR, closeOpenQuickInput, describeStatusItem, dismissHovers, escapeRegExp, statusItem } from './workbenchLocators.mjs';

/** @param {import('playwright-core').Page} page */
export function workbenchActions(page) {
  return {
    /**
     * A page the workbench opened in a new browser tab (`vscode.env.openExternal`) whose address contains
     * `urlIncludes`: clicks the button named `button` there and returns where the tab ends up and what it says.
     */
    async clickInBrowserTab({ urlIncludes, button, timeoutMs = 20_000 }) {
      const context = page.context();
      const matches = (candidate) => candidate !== page && candidate.url().includes(urlIncludes);
      const tab = context.pages().find(matches) ?? (await context.waitForEvent('page', { predicate: matches, timeout: timeoutMs }));
      await tab.waitForLoadState('load', { timeout: timeoutMs });
      const target = tab.getByRole('button', { name: button, exact: true });
      await target.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async (error) => {
        const text = await tab.locator('body').innerText().catch(() => '(no body)');
        throw new Error(`${error.message}\nthe tab at ${tab.url()} shows: ${text.slice(0, 500)}`);
      });
      await target.click({ timeout: timeoutMs });
      await tab.waitForURL((url) => !url.href.includes(urlIncludes), { timeout: timeoutMs });
      await tab.waitForLoadState('load', { timeout: timeoutMs });
      const result = { url: tab.url(), text: (await tab.locator('body').innerText({ timeout: timeoutMs })).trim() };
      await tab.close();
      return result;
    },

    async readStatusBarItem({ id, text, timeoutMs = 20_000 }) {
      const item = statusItem(page, { id, text });
      await item.waitFor({ state: 'visible', timeout: timeoutMs });
      return describeStatusItem(item);
    },

    async waitForStatusBarText({ id, text, pattern, timeoutMs = 20_000 }) {
      const item = statusItem(page, { id, text });
      try {
        await item.filter({ hasText: new RegExp(pattern) }).waitFor({ state: 'visible', timeout: timeoutMs });
      } catch {
        const shown = (await item.isVisible()) ? (await describeStatusItem(item)).text : '(not shown)';
        throw new Error(`status bar item ${id ?? text} shows "${shown}", not /${pattern}/`);
      }
      return describeStatusItem(item);
    },

    async clickStatusBarItem({ id, text }) {
      await statusItem(page, { id, text }).locator('a').first().click();
      return null;
    },

    async hoverStatusBarItem({ id, text }) {
      const hovers = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .workbench-hover .hover-contents');
      // A hover left by an earlier step (an editor tab's, say) would be read instead: dismiss it first.
      await page.mouse.move(0, 0);
      await page.keyboard.press('Escape');
      await hovers.first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
      await statusItem(page, { id, text }).hover();
      const hover = hovers.last();
      await hover.waitFor({ state: 'visible', timeout: 20_000 });
      return { tooltip: (await hover.innerText()).trim() };
    },

    async notifications() {
      return page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
    },

    /** Clicks a button of the notification (a toast, or a row of the open notification center) whose text contains `message`, expanding it first when its buttons are folded away. */
    async clickNotificationButton({ message, button, timeoutMs = 20_000 }) {
      const item = page.locator('.notification-list-item').filter({ hasText: message }).last();
      await item.waitFor({ state: 'visible', timeout: timeoutMs });
      const target = item.locator('.notification-list-item-buttons-container .monaco-button', { hasText: button }).first();
      if (!(await target.isVisible())) await item.locator('.codicon-notifications-expand').first().click();
      await dismissHovers(page);
      await target.click({ timeout: timeoutMs });
      return null;
    },

    /** Every notification in the notification center (toasts hide after a while; the center keeps them). Open it first with the `notifications.showList` command. */
    async notificationCenter({ timeoutMs = 20_000 }) {
      const center = page.locator('.notifications-center');
      await center.waitFor({ state: 'visible', timeout: timeoutMs });
      // The list draws only the rows in view (a few of a whole suite's notifications): scroll through it and
      // keep every row once, by its index, until all were seen. A row drawn earlier keeps its old aria-setsize
      // when notifications come and go, so the count comes from the list itself: the row whose bottom is the
      // bottom of all rows is the last one.
      const readRows = () =>
        center.evaluate((element) => {
          const height = Number.parseFloat(/** @type {HTMLElement | null} */ (element.querySelector('.monaco-list-rows'))?.style.height ?? '') || 0;
          return [.../** @type {NodeListOf<HTMLElement>} */ (element.querySelectorAll('.monaco-list-row'))].map((row) => ({
            index: Number(row.getAttribute('data-index')),
            setSize: Number(row.getAttribute('aria-setsize')),
            last: Math.abs(Number.parseFloat(row.style.top) + row.offsetHeight - height) < 1,
            text: row.querySelector('.notification-list-item-message')?.textContent?.trim() ?? '',
          }));
        });
      const seen = new Map();
      let total = 0;
      let totalKnown = false;
      const collect = async () => {
        const rows = await readRows();
        for (const row of rows) seen.set(row.index, row.text);
        const last = rows.find((row) => row.last);
        if (last) {
          total = last.index + 1;
          totalKnown = true;
        } else if (!totalKnown) {
          total = Math.max(total, ...rows.map((row) => row.setSize || 0));
        }
      };
      const missing = () => !totalKnown || [...Array(total).keys()].some((index) => !seen.has(index));
      const nextFrame = () => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      await collect();
      if (missing()) {
        // Scroll with the wheel, as a mouse user would: to the top, then down one row's height at a time.
        const rowHeight = (await center.locator('.monaco-list-row').first().boundingBox())?.height || 20;
        await center.locator('.monaco-list').first().hover();
        await page.mouse.wheel(0, -rowHeight * (total + 1));
        await nextFrame();
        await collect();
        for (let step = 0; step <= total * 2 && missing(); step++) {
          await page.mouse.wheel(0, rowHeight);
          await nextFrame();
          await collect();
        }
      }
      if (missing()) throw new Error(`read ${seen.size} of the notification center's ${total} notifications (rows ${[...seen.keys()].sort((x, y) => x - y).join(', ')})`);
      for (const index of [...seen.keys()]) if (index >= total) seen.delete(index);
      return [...new Set([...seen.entries()].sort(([a], [b]) => a - b).map(([, text]) => text))];
    },

    /**
     * Right-clicks the active text editor, as a user opens its context menu: on its selection (`on: 'selection'`, the
     * default) or on its first line (`on: 'first-line'`). Returns the menu's entries; with `pick`, clicks the entry
     * with that exact label (the menu then closes), else closes the menu with Escape.
     */
    async editorContextMenu({ pick, on = 'selection' } = /** @type {{ pick?: string, on?: 'selection' | 'first-line' }} */ ({})) {
      await closeOpenQuickInput(page);
      const target = page.locator(on === 'selection' ? `${ACTIVE_EDITOR} .view-overlays .selected-text` : `${ACTIVE_EDITOR} .view-line`).first();
      await target.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {
        throw new Error(on === 'selection' ? 'the active editor shows no selection to right-click' : 'the active editor shows no line');
      });
      // The text drawn over the selection takes the click, as it does for a user: click where the selection is.
      const box = await target.boundingBox();
      if (!box) throw new Error('the editor target has no size');
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
      const menu = page.locator('.context-view .monaco-menu');
      await menu.first().waitFor({ state: 'visible', timeout: 10_000 });
      const items = (await menu.locator('.action-item:not(.disabled) .action-label').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
      if (pick) {
        if (!items.includes(pick)) {
          await page.keyboard.press('Escape');
          throw new Error(`the editor's context menu has no "${pick}" (entries: ${JSON.stringify(items)})`);
        }
        const entry = menu.locator('.action-item .action-label', { hasText: new RegExp(`^\\s*${escapeRegExp(pick)}\\s*$`) }).first();
        // A busy workbench can still be laying the menu out when it first shows: the entry takes the click once the
        // menu answers the pointer (it marks the entry under it focused), as a user's eye would wait for it.
        await entry.hover();
        await menu.locator('.action-item.focused .action-label', { hasText: new RegExp(`^\\s*${escapeRegExp(pick)}\\s*$`) }).first().waitFor({ state: 'visible', timeout: 10_000 });
        await entry.click();
      } else {
        await page.keyboard.press('Escape');
      }
      await menu.first().waitFor({ state: 'hidden', timeout: 5_000 });
      return { items };
    },

    /** Clicks the activity bar entry with this label (e.g. `OpenRouter`), as a user opens a view container. */
    async clickActivityBarItem({ label }) {
      const item = page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${label}" i]`).first();
      try {
        await item.waitFor({ state: 'visible', timeout: 10_000 });
      } catch {
        const shown = await page.locator('.part.activitybar .action-item a.action-label').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
        throw new Error(`the activity bar has no "${label}" (entries: ${JSON.stringify(shown)})`);
      }
      await item.click();
      return null;
    },

    /**
     * Runs a command from the side bar's title bar, as a user clicks it: its icon when it is shown there, else the
     * entry of the "..." menu. Returns where it was found and the labels the title bar shows as icons.
     */
    async clickViewTitleAction({ title }) {
      const bar = page.locator('.part.sidebar .composite.title .title-actions, .part.sidebar .pane-header .actions').first();
      await bar.waitFor({ state: 'attached', timeout: 10_000 });
      const icons = (await page.locator('.part.sidebar .composite.title .title-actions .action-label[aria-label], .part.sidebar .pane-header .actions .action-label[aria-label]').evaluateAll((els) => els.filter((el) => el.getClientRects().length > 0).map((el) => el.getAttribute('aria-label')))).filter(Boolean);
      const direct = page.locator(`.part.sidebar .composite.title .title-actions .action-label[aria-label^="${title}" i], .part.sidebar .pane-header .actions .action-label[aria-label^="${title}" i]`).first();
      if (await direct.isVisible().catch(() => false)) {
        await direct.click();
        return { where: 'icon', icons };
      }
      const more = page.locator('.part.sidebar .composite.title .title-actions .action-label[aria-label*="More Actions" i], .part.sidebar .pane-header .actions .action-label[aria-label*="More Actions" i]').first();
      await more.click({ timeout: 10_000 });
      const menu = page.locator('.context-view .monaco-menu');
      await menu.first().waitFor({ state: 'visible', timeout: 10_000 });
      const items = (await menu.locator('.action-item:not(.disabled) .action-label').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
      const entry = menu.locator('.action-item:not(.disabled) .action-label', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`, 'i') }).first();
      if (!(await entry.count())) {
        await page.keyboard.press('Escape');
        throw new Error(`the view's title bar has no "${title}" (icons: ${JSON.stringify(icons)}, menu: ${JSON.stringify(items)})`);
      }
      await entry.click();
      await menu.first().waitFor({ state: 'hidden', timeout: 5_000 });
      return { where: 'menu', icons, menu: items };
    },

    /**
     * Sets the side bar's width by dragging its edge (the sash), as a user resizes it. Returns the width it then has.
     */
    async setSideBarWidth({ width }) {
      const sidebar = page.locator('.part.sidebar').first();
      const box = await sidebar.boundingBox();
      if (!box) throw new Error('the side bar is not shown');
      const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((els) => els.map((el) => { const r = el.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2, h: r.height }; }));
      const edge = box.x + box.width;
      const sash = sashes.filter((s) => s.h > 100).sort((a, b) => Math.abs(a.x - edge) - Math.abs(b.x - edge))[0];
      if (!sash || Math.abs(sash.x - edge) > 8) throw new Error(`no sash on the side bar's edge at ${edge} (sashes: ${JSON.stringify(sashes)})`);
      await page.mouse.move(sash.x, sash.y);
      await page.mouse.down();
      await page.mouse.move(box.x + width, sash.y, { steps: 8 });
      await page.mouse.up();
      const after = await sidebar.boundingBox();
      return { width: after?.width ?? 0 };
    },

    /** For writing tests: the outer HTML of what a selector matches in the workbench (bounded). */
    /** Waits for ghost text (an inline suggestion) holding `text` in the focused editor; returns all it shows. */
    async editorGhostText({ text, timeoutMs = 20_000 }) {
      // The suggestion is drawn as syntax-highlighted pieces, one element per token: read them together.
      const handle = await page.waitForFunction(
        (wanted) => {
          const pieces = document.querySelectorAll('.monaco-editor.focused .ghost-text-decoration, .monaco-editor.focused .ghost-text-decoration-preview, .monaco-editor.focused .ghost-text .view-line');
          const shown = [...pieces].map((el) => el.textContent ?? '').join('').replace(/\u00a0/g, ' ');
          return shown.includes(wanted) ? shown : false;
        },
        text,
        { timeout: timeoutMs },
      );
      return { text: String(await handle.jsonValue()) };
    },

    async dom({ selector, max = 20_000 }) {
      const html = await page.locator(selector).evaluateAll((els) => els.map((el) => el.outerHTML).join('\n'));
      return { html: html.slice(0, max) };
    },
  };
}

// The browser actions a test can ask for (see browser.ts): each takes the Playwright page and the
// action's arguments and returns a JSON-serialisable result. They act as a user would: keys and clicks.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { watchOpenedPages } from './openedPages.mjs';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_ROWS = `${QUICK_INPUT} .monaco-list-row`;
const STATUS_ITEMS = '#workbench\\.parts\\.statusbar .statusbar-item';

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function quickInputVisible(page, timeout = 20_000) {
  await page.locator(QUICK_INPUT).waitFor({ state: 'visible', timeout });
}

/** The rows the quick pick shows now (virtualised: only those rendered). */
async function readRows(page) {
  return page.locator(QUICK_ROWS).evaluateAll((rows) =>
    rows.map((row) => {
      const text = (selector) => row.querySelector(selector)?.textContent?.trim() ?? '';
      const checkbox = row.querySelector('input[type=checkbox]');
      return {
        label: text('.label-name') || text('.monaco-icon-label-container'),
        description: text('.label-description'),
        detail: text('.quick-input-list-label-meta') || text('.quick-input-tree-label-meta'),
        ariaLabel: row.getAttribute('aria-label') ?? '',
        // A section's title (a separator with a label) is drawn on the first row of the section.
        separator: text('.quick-input-list-separator'),
        ...(checkbox ? { checked: checkbox.checked } : {}),
      };
    }),
  );
}

const ACTIVE_EDITOR = '.editor-group-container.active .monaco-editor';
const HOVERS = '.context-view .hover-contents, .workbench-hover, .monaco-hover:not(.hidden)';

/**
 * Moves the pointer off whatever it rests on and waits for the hover it raised to go, as a user's hand moving
 * does. After a click on a palette row the pointer rests where the next quick input's box opens (a title bar
 * moves it down), and the hover of that box's placeholder then covers the title bar's buttons: Playwright would
 * move onto the hover, which then stays, and wait there until its timeout.
 */
async function dismissHovers(page) {
  await page.mouse.move(0, 0);
  // Until no hover is visible (hidden hover elements stay in the page and match too).
  await page.locator(HOVERS).filter({ visible: true }).first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
}

/** Closes a quick input a previous step left open, so F1 opens a fresh palette rather than typing into the old one. */
async function closeOpenQuickInput(page) {
  for (let attempt = 0; attempt < 3 && (await page.locator(QUICK_INPUT).isVisible()); attempt++) {
    await page.keyboard.press('Escape');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => {});
  }
  if (await page.locator(QUICK_INPUT).isVisible()) throw new Error('a quick input stays open after Escape');
}

/** Whether the keyboard focus is inside a webview (an iframe): there the palette opens with the webview's context. */
function focusInFrame(page) {
  return page.evaluate(() => document.activeElement instanceof HTMLIFrameElement);
}

/** Moves the keyboard focus into the active text editor, as a click would, without moving its selection. */
async function focusActiveEditor(page) {
  const focused = page.locator(`${ACTIVE_EDITOR}.focused`);
  if (await focused.isVisible()) return;
  const found = await page.evaluate((selector) => {
    const input = document.querySelector(selector)?.querySelector('.native-edit-context, textarea.inputarea, textarea');
    if (!(input instanceof HTMLElement)) return false;
    input.focus();
    return true;
  }, ACTIVE_EDITOR);
  if (!found) throw new Error('no active text editor to focus');
  await focused.waitFor({ state: 'visible', timeout: 5_000 });
}

/**
 * F1, as a user would, with the keyboard focus in the workbench: the palette lists the commands whose `when` holds for the
 * focused part, so F1 pressed inside a webview both can be kept by it and hides editor commands (editorHasSelection).
 */
async function openPalette(page, { focus } = {}) {
  await closeOpenQuickInput(page);
  for (let attempt = 1; ; attempt++) {
    if (focus === 'editor') await focusActiveEditor(page);
    else if (await focusInFrame(page)) await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
    await page.keyboard.press('F1');
    try {
      await quickInputVisible(page, attempt < 3 ? 10_000 : 20_000);
      return;
    } catch (error) {
      if (attempt >= 3) throw new Error(`the command palette did not open after F1 (${attempt} tries): ${error.message}`);
    }
  }
}

function statusItem(page, { id, text }) {
  if (id) return page.locator(`${STATUS_ITEMS}[id$="${id}" i]`).first();
  if (text) return page.locator(STATUS_ITEMS).filter({ hasText: text }).first();
  throw new Error('give the status bar item an id (its suffix) or a text it shows');
}

async function describeStatusItem(locator) {
  return locator.evaluate((el) => ({
    id: el.id,
    text: el.textContent?.trim() ?? '',
    ariaLabel: el.querySelector('a')?.getAttribute('aria-label') ?? el.getAttribute('aria-label') ?? '',
    kind: [...el.classList].filter((name) => name.endsWith('-kind')).join(' '),
  }));
}

function webview(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/**
 * The webview whose page holds an element matching `within` (e.g. `#compare-app`), when several are open (the
 * chat view and an editor panel); without it, the first webview, as before. Waits up to 20 s for it to appear.
 */
async function webviewWith(page, within) {
  if (!within) return webview(page);
  const frames = page.frameLocator('iframe.webview.ready');
  const deadline = Date.now() + 20_000;
  for (;;) {
    const count = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const inner = frames.nth(i).frameLocator('#active-frame');
      if ((await inner.locator(within).count()) > 0) return inner;
    }
    if (Date.now() > deadline) throw new Error(`no open webview holds ${within} (${count} webviews open)`);
    await page.waitForTimeout(50);
  }
}

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

    async openCommandPalette({ focus } = {}) {
      await openPalette(page, { focus });
      return null;
    },

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

    async quickPickItems({ waitFor, timeoutMs = 20_000 } = {}) {
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
          const height = Number.parseFloat(element.querySelector('.monaco-list-rows')?.style.height ?? '') || 0;
          return [...element.querySelectorAll('.monaco-list-row')].map((row) => ({
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

    async webviewFill({ selector, text, within }) {
      await (await webviewWith(page, within)).locator(selector).first().fill(text);
      return null;
    },

    async webviewPress({ selector, key, within }) {
      await (await webviewWith(page, within)).locator(selector).first().press(key);
      return null;
    },

    async webviewEvaluate({ expression, within }) {
      return (await webviewWith(page, within)).locator('html').evaluate((_, source) => (0, eval)(source), expression);
    },

    /**
     * Right-clicks the active text editor, as a user opens its context menu: on its selection (`on: 'selection'`, the
     * default) or on its first line (`on: 'first-line'`). Returns the menu's entries; with `pick`, clicks the entry
     * with that exact label (the menu then closes), else closes the menu with Escape.
     */
    async editorContextMenu({ pick, on = 'selection' } = {}) {
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

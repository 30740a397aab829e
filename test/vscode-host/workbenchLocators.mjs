// What the browser actions find in the workbench page (VS Code's own class names) and the small moves they share:
// waiting for the quick input, reading its rows, moving the pointer off a hover, opening the palette with F1.
export const QUICK_INPUT = '.quick-input-widget';
export const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
export const QUICK_ROWS = `${QUICK_INPUT} .monaco-list-row`;
export const STATUS_ITEMS = '#workbench\\.parts\\.statusbar .statusbar-item';

export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function quickInputVisible(page, timeout = 20_000) {
  await page.locator(QUICK_INPUT).waitFor({ state: 'visible', timeout });
}

/** The rows the quick pick shows now (virtualised: only those rendered). */
export async function readRows(page) {
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

export const ACTIVE_EDITOR = '.editor-group-container.active .monaco-editor';
export const HOVERS = '.context-view .hover-contents, .workbench-hover, .monaco-hover:not(.hidden)';

/**
 * Moves the pointer off whatever it rests on and waits for the hover it raised to go, as a user's hand moving
 * does. After a click on a palette row the pointer rests where the next quick input's box opens (a title bar
 * moves it down), and the hover of that box's placeholder then covers the title bar's buttons: Playwright would
 * move onto the hover, which then stays, and wait there until its timeout.
 */
export async function dismissHovers(page) {
  await page.mouse.move(0, 0);
  // Until no hover is visible (hidden hover elements stay in the page and match too).
  await page.locator(HOVERS).filter({ visible: true }).first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
}

/** Closes a quick input a previous step left open, so F1 opens a fresh palette rather than typing into the old one. */
export async function closeOpenQuickInput(page) {
  for (let attempt = 0; attempt < 3 && (await page.locator(QUICK_INPUT).isVisible()); attempt++) {
    await page.keyboard.press('Escape');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => {});
  }
  if (await page.locator(QUICK_INPUT).isVisible()) throw new Error('a quick input stays open after Escape');
}

/** Whether the keyboard focus is inside a webview (an iframe): there the palette opens with the webview's context. */
export function focusInFrame(page) {
  return page.evaluate(() => document.activeElement instanceof HTMLIFrameElement);
}

/** Moves the keyboard focus into the active text editor, as a click would, without moving its selection. */
export async function focusActiveEditor(page) {
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
export async function openPalette(page, { focus } = /** @type {{ focus?: 'editor' }} */ ({})) {
  await closeOpenQuickInput(page);
  for (let attempt = 1; ; attempt++) {
    if (focus === 'editor') await focusActiveEditor(page);
    else if (await focusInFrame(page)) await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
    await page.keyboard.press('F1');
    try {
      await quickInputVisible(page, attempt < 3 ? 10_000 : 20_000);
      return;
    } catch (error) {
      if (attempt >= 3) throw new Error(`the command palette did not open after F1 (${attempt} tries): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

export function statusItem(page, { id, text }) {
  if (id) return page.locator(`${STATUS_ITEMS}[id$="${id}" i]`).first();
  if (text) return page.locator(STATUS_ITEMS).filter({ hasText: text }).first();
  throw new Error('give the status bar item an id (its suffix) or a text it shows');
}

export async function describeStatusItem(locator) {
  return locator.evaluate((el) => ({
    id: el.id,
    text: el.textContent?.trim() ?? '',
    ariaLabel: el.querySelector('a')?.getAttribute('aria-label') ?? el.getAttribute('aria-label') ?? '',
    kind: [...el.classList].filter((name) => name.endsWith('-kind')).join(' '),
  }));
}

export function webview(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/**
 * The webview whose page holds an element matching `within` (e.g. `#compare-app`), when several are open (the
 * chat view and an editor panel); without it, the first webview, as before. Waits up to 20 s for it to appear.
 */
export async function webviewWith(page, within) {
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


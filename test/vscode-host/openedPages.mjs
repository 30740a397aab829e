// Every page the workbench opens outside itself, as a user sees a new browser tab: VS Code in the browser opens
// an external link (its webview link handling, the extension's `vscode.env.openExternal`) with `window.open`,
// and each such tab is a new page of the browser context. Its address is the first navigation it asks for (the
// harness aborts it: loopback only); the tab is closed once read. Counting these counts what VS Code opened.

/** Watches `page`'s browser context for new pages from the start of the run. */
export function watchOpenedPages(page) {
  const context = page.context();
  /** In the order they opened: the address, once known. */
  const opened = [];
  const listeners = new Set();
  const changed = () => listeners.forEach((listener) => listener());
  // A new tab's first navigation is issued before its frame exists (Playwright then cannot name its page): those
  // addresses are handed, in order, to the tabs that open.
  const addresses = [];
  const assign = () => {
    for (const entry of opened) if (entry.url === undefined && addresses.length) entry.url = addresses.shift();
    changed();
  };

  context.on('request', (request) => {
    if (!request.isNavigationRequest()) return;
    try {
      request.frame();
      return;
    } catch {
      addresses.push(request.url());
      assign();
    }
  });
  context.on('page', (tab) => {
    if (tab === page) return;
    opened.push({ page: tab, url: undefined });
    assign();
  });

  /** The addresses opened so far, once at least `count` pages opened and each has its address (or `timeoutMs` passed). */
  async function openedPages({ count = 0, timeoutMs = 20_000 } = {}) {
    const ready = () => opened.length >= count && opened.every((e) => e.url !== undefined);
    if (!ready()) {
      await /** @type {Promise<void>} */ (new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for ${count} opened page(s); ${opened.length} opened: ${JSON.stringify(opened.map((e) => e.url ?? '(no address yet)'))}`));
        }, timeoutMs);
        const check = () => {
          if (!ready()) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
      }));
    }
    await Promise.all(opened.map((e) => (e.page.isClosed() ? undefined : e.page.close().catch(() => undefined))));
    return opened.map((e) => e.url);
  }

  return { openedPages };
}

// What every panel's page must be, read from the page itself: a CSP that allows nothing unless named, one script of
// its own (a module written into the page with its nonce), no inline event handlers.
import assert from 'node:assert/strict';

export interface PageLockdown {
  csp: string;
  /** The page's own scripts: VS Code adds an inline host script of its own to every webview, a classic script without a nonce. */
  scripts: Array<{ nonce: boolean; fetched: boolean; bytes: number }>;
  inlineHandlers: number;
}

/** Evaluated in the panel's page, gives its `PageLockdown`. */
export const pageLockdownExpression = `(() => ({
  csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
  scripts: [...document.scripts].filter((s) => s.type === 'module').map((s) => ({ nonce: s.nonce.length > 0, fetched: !!s.src, bytes: s.textContent.length })),
  inlineHandlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
}))()`;

export function assertLockedDown(page: PageLockdown): void {
  assert.match(page.csp, /default-src 'none'/);
  assert.match(page.csp, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'(;|$)/);
  assert.doesNotMatch(page.csp, /unsafe-inline|unsafe-eval/);
  assert.equal(page.scripts.length, 1, JSON.stringify(page.scripts));
  assert.ok(page.scripts[0]!.nonce && !page.scripts[0]!.fetched && page.scripts[0]!.bytes > 1000, `one module script, written into the page with the nonce: ${JSON.stringify(page.scripts)}`);
  assert.equal(page.inlineHandlers, 0);
}

// Links in model output leave VS Code only through the extension, which shows the address and asks first.
// VS Code's webview host follows a clicked link by itself: its own listeners on the page's window (`click`, and
// `auxclick` for the middle button) send the address to the workbench, which opens it whatever the page's
// handlers did, `preventDefault()` included. So every activation of a link is taken here, in the capture phase
// on the window, before any other listener sees it: plain, Ctrl/Shift/Meta and middle clicks, and Enter on a
// focused link (the browser turns that into a click). Nothing else is opened by the page itself.

/** What a page does with a link the user activated: hand its address to the extension, which asks. */
export type OpenLink = (href: string) => void;

/** Takes every link activation in `view` (the page's window) and passes the address to `open`, once. */
export function guardLinks(view: Window, open: OpenLink): void {
  const onActivate = (event: MouseEvent): void => {
    const link = linkOf(event);
    if (!link) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    // The right button's auxclick opens the context menu, not the link.
    if (event.type === 'auxclick' && event.button !== 1) return;
    const href = link.getAttribute('href');
    if (href) open(href);
  };
  view.addEventListener('click', onActivate, { capture: true });
  view.addEventListener('auxclick', onActivate, { capture: true });
}

/** The link the event went through, as VS Code's own handler finds it (any `<a>`, HTML or SVG). */
function linkOf(event: Event): Element | undefined {
  for (const node of event.composedPath()) {
    if (node instanceof Element && node.tagName.toLowerCase() === 'a') return node;
  }
  return undefined;
}

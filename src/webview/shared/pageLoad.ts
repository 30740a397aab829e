// VS Code shows a webview's page at its `load` event (or 200 ms after writing it, whichever comes first), and
// delivers the messages posted to it only then. Anything fetched before `load` (a font, a chunk) holds that up:
// what the page does not need to take input waits for this.

/** Runs `run` in a task of its own once the page has loaded. */
export function afterPageLoad(run: () => void): void {
  if (document.readyState === 'complete') setTimeout(run);
  else window.addEventListener('load', () => setTimeout(run), { once: true });
}

// The chat view's page (src/util/webviewPage.ts): its script, its style sheets and the icon font from media/.
import { newNonce, webviewPage, type WebviewPageParts } from '../util/webviewPage';

export { contentSecurityPolicy, newNonce } from '../util/webviewPage';
export type ChatHtmlParts = WebviewPageParts;

/** The page's style sheets in media/: one, joined at build time from the panel's sheets (esbuild.mjs), so one fetch. */
export const chatStyleSheets = ['chat.page.css'];

export function chatHtml(parts: ChatHtmlParts, nonce = newNonce()): string {
  return webviewPage(parts, { title: 'OpenRouter Chat', body: '<div id="app"></div>' }, nonce);
}

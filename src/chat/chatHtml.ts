// The chat view's page (src/util/webviewPage.ts): its script and style sheet written in; the icon font from media/.
import { newNonce, webviewPage, type WebviewPageParts } from '../util/webviewPage';

export { contentSecurityPolicy, newNonce } from '../util/webviewPage';
export type ChatHtmlParts = WebviewPageParts;

export function chatHtml(parts: ChatHtmlParts, nonce = newNonce()): string {
  return webviewPage(parts, { title: 'OpenRouter Chat', body: '<div id="app"></div>' }, nonce);
}

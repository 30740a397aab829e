// The Compare Models page (src/util/webviewPage.ts): the chat's strict CSP, its own script and style sheets.
import { newNonce, webviewPage, type WebviewPageParts } from '../util/webviewPage';

export function compareHtml(parts: WebviewPageParts, nonce = newNonce()): string {
  return webviewPage(parts, { title: 'Compare Models', body: '<div id="compare-app"></div>' }, nonce);
}

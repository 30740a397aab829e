// The Usage view's page (src/util/webviewPage.ts): the chat's strict CSP, its script by nonce.
import { newNonce, webviewPage, type WebviewPageParts } from '../util/webviewPage';

export function usageHtml(parts: WebviewPageParts, nonce = newNonce()): string {
  return webviewPage(parts, { title: 'OpenRouter Usage', body: '<main id="usage-app" aria-live="polite"></main>' }, nonce);
}

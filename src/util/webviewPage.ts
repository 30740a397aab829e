// The extension's webview pages (the chat, Compare Models, the Usage view): one strict CSP (nothing allowed unless
// named), the script by nonce, style sheets and the icon font from media/. The script is an ES module: the chunks
// it imports later (markdown, highlighting) are fetched with its nonce, so the CSP names no other source.
import { firstMessageId, jsonForScriptBlock } from './pageMessage';

export interface WebviewPageParts {
  /** `webview.cspSource`: the origin media/ files are served from. */
  cspSource: string;
  scriptUri: string;
  /** Style sheets from media/, in cascade order. */
  styleUris: readonly string[];
  /**
   * The panel's first message (its state), sent with the page: drawn without waiting for `ready` and a reply.
   * Only what would have been posted: it is written into the HTML as a data block the page reads (pageMessage.ts).
   */
  firstMessage?: { readonly type: string };
}

export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** `body` is the page's fixed markup (no model or user text: that arrives as messages and is sanitised there). */
export function webviewPage(parts: WebviewPageParts, page: { title: string; body: string }, nonce = newNonce()): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(parts.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${parts.styleUris.map((uri) => `<link rel="stylesheet" href="${escapeAttribute(uri)}">`).join('\n')}
<title>${page.title}</title>
</head>
<body>
${page.body}
${parts.firstMessage ? `<script type="application/json" id="${firstMessageId}">${jsonForScriptBlock(parts.firstMessage)}</script>\n` : ''}<script type="module" nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
</body>
</html>`;
}

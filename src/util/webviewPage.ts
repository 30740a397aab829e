// The extension's webview pages (the chat, Compare Models, the Usage view): one strict CSP (nothing allowed unless
// named). The panel's first script and its style sheet are written into the page, each with the page's nonce: in VS
// Code every file a page fetches goes through the webview's resource loader, and the panel shows only once they
// have come. The script is an ES module: the chunks it imports later (markdown, highlighting) come from media/ with
// its nonce, so the CSP names no other script source; later sheets and the icon font come from media/.
import { firstMessageId, jsonForScriptBlock } from './pageMessage';

export interface WebviewPageParts {
  /** `webview.cspSource`: the origin media/ files are served from. */
  cspSource: string;
  /** media/'s webview URL, ending in `/`: where the page loads what it needs later (src/webview/shared/lazyChunks.ts). */
  mediaUri: string;
  /** The panel's first script (an ES module, media/<panel>.js), written into the page. */
  script: string;
  /** The panel's style sheet (media/<panel>.page.css), written into the page. */
  style: string;
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
    `style-src 'nonce-${nonce}' ${cspSource}`,
    // The chat's icon font is written into its sheet (esbuild.mjs); no font is fetched.
    "font-src data:",
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * Refuses text that would end the element it is written into (or, in a script, open a comment there). The build
 * refuses such a script or sheet already (esbuild.mjs); this keeps a page from ever being written from one.
 */
function inlineText(text: string, element: 'script' | 'style', what: string): string {
  if (new RegExp(`</${element}`, 'i').test(text) || (element === 'script' && text.includes('<!--'))) {
    throw new Error(`${what} cannot be written into the page: it contains </${element}${element === 'script' ? ' or <!--' : ''}. Rebuild the extension.`);
  }
  return text;
}

/** `body` is the page's fixed markup (no model or user text: that arrives as messages and is sanitised there). */
export function webviewPage(parts: WebviewPageParts, page: { title: string; body: string }, nonce = newNonce()): string {
  return `<!DOCTYPE html>
<html lang="en" data-media="${escapeAttribute(parts.mediaUri)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(parts.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${escapeAttribute(nonce)}">${inlineText(parts.style, 'style', `${page.title}'s style sheet`)}</style>
<title>${page.title}</title>
</head>
<body>
${page.body}
${parts.firstMessage ? `<script type="application/json" id="${firstMessageId}">${jsonForScriptBlock(parts.firstMessage)}</script>\n` : ''}<script type="module" nonce="${escapeAttribute(nonce)}">${inlineText(parts.script, 'script', `${page.title}'s script`)}</script>
</body>
</html>`;
}

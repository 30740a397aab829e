// The webview's page: a strict CSP (nothing allowed unless named), the script by nonce, styles and the icon font from media/.
import { randomBytes } from 'node:crypto';

export interface ChatHtmlParts {
  /** `webview.cspSource`: the origin media/ files are served from. */
  cspSource: string;
  scriptUri: string;
  /** Style sheets from media/, in cascade order (the icon font's sheet first). */
  styleUris: readonly string[];
}

export function newNonce(): string {
  return randomBytes(18).toString('base64');
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

export function chatHtml(parts: ChatHtmlParts, nonce = newNonce()): string {
  const csp = contentSecurityPolicy(parts.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${parts.styleUris.map((uri) => `<link rel="stylesheet" href="${escapeAttribute(uri)}">`).join('\n')}
<title>OpenRouter Chat</title>
</head>
<body>
<div id="app"></div>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
</body>
</html>`;
}

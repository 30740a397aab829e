// The Compare Models page: the chat's strict CSP (default-src 'none', script by nonce), its own script and style.
import { contentSecurityPolicy, newNonce } from '../chat/chatHtml';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function compareHtml(parts: { cspSource: string; scriptUri: string; styleUri: string }, nonce = newNonce()): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(parts.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(parts.styleUri)}">
<title>Compare Models</title>
</head>
<body>
<div id="compare-app"></div>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
</body>
</html>`;
}

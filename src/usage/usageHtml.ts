// The Usage view's page: the chat's strict CSP (nothing allowed unless named), its script by nonce.
import { contentSecurityPolicy, newNonce } from '../chat/chatHtml';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function usageHtml(parts: { cspSource: string; scriptUri: string; styleUri: string }, nonce = newNonce()): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(parts.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(parts.styleUri)}">
<title>OpenRouter Usage</title>
</head>
<body>
<main id="usage-app" aria-live="polite"></main>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
</body>
</html>`;
}

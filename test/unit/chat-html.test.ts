import assert from 'node:assert/strict';
import { chatHtml, contentSecurityPolicy, newNonce } from '../../src/chat/chatHtml';

describe('chat webview page', () => {
  const parts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/media/chat.js', styleUris: ['https://x/media/codicons.css', 'https://x/media/chat.css'] };

  it('allows nothing by default: scripts only by nonce, styles only from the extension', () => {
    const csp = contentSecurityPolicy(parts.cspSource, 'abc');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'/);
    assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net(;|$)/);
    assert.match(csp, /font-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('puts the CSP first in head and loads the one script with the same nonce', () => {
    const html = chatHtml(parts, 'n0nce');
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'), 'CSP before any resource');
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.deepEqual([...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]), parts.styleUris, 'the icon font sheet, then the panel sheet');
    assert.match(html, /<script type="module" nonce="n0nce" src="https:\/\/x\/media\/chat\.js"><\/script>/);
    assert.doesNotMatch(html, /\sstyle="|\son\w+="/);
  });

  it('makes a fresh, unguessable nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.ok(Buffer.from(nonce, 'base64').length >= 16);
  });
});

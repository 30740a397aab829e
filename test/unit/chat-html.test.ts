import assert from 'node:assert/strict';
import { chatHtml, contentSecurityPolicy, newNonce } from '../../src/chat/chatHtml';

describe('chat webview page', () => {
  const parts = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    mediaUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/',
    script: 'import("./x.js");document.title="a<b";',
    style: 'body{color:var(--vscode-foreground)}a>b{content:"&"}',
  };

  it('allows nothing by default: scripts only by nonce, styles only by nonce or from the extension', () => {
    const csp = contentSecurityPolicy(parts.cspSource, 'abc');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.match(csp, /style-src 'nonce-abc' https:\/\/file\+\.vscode-resource\.vscode-cdn\.net(;|$)/);
    assert.match(csp, /font-src data:(;|$)/, 'the one font (the icons) is written into the sheet');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('puts the CSP first in head, then writes in the panel\'s sheet and its one module script with the same nonce: nothing to fetch before it runs', () => {
    const html = chatHtml(parts, 'n0nce');
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<style'), 'CSP before the sheet');
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.equal((html.match(/<style/g) ?? []).length, 1);
    assert.ok(html.includes(`<style nonce="n0nce">${parts.style}</style>`), 'the sheet as it is');
    assert.ok(html.includes(`<script type="module" nonce="n0nce">${parts.script}</script>`), 'the script as it is');
    assert.doesNotMatch(html, /<link|\ssrc=|\shref=/, 'no file is fetched before the script runs');
    assert.match(html, /<html lang="en" data-media="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/media\/">/, 'where it loads its chunks from');
    assert.doesNotMatch(html, /\sstyle="|\son\w+="/);
  });

  it('refuses a script or sheet that would end its element or open a comment in it, with a clear error', () => {
    assert.throws(() => chatHtml({ ...parts, script: 'let s = "</script><script>alert(1)//";' }, 'n'), /OpenRouter Chat's script cannot be written into the page: it contains <\/script/);
    assert.throws(() => chatHtml({ ...parts, script: 'let s = "<!--";' }, 'n'), /script cannot be written/);
    assert.throws(() => chatHtml({ ...parts, style: 'a{}</STYLE><script>alert(1)</script>' }, 'n'), /style sheet cannot be written into the page: it contains <\/style/);
  });

  it('makes a fresh, unguessable nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.ok(Buffer.from(nonce, 'base64').length >= 16);
  });
});

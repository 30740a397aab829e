// Serves the built chat webview in a plain page on loopback: the page the extension writes (its script and sheet
// written in, the same CSP), the chunks it imports from media/, and a stub `acquireVsCodeApi` that records what the
// panel posts.
// Messages to the panel are delivered as window `message` events, as the VS Code host does.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chatHtml } from '../../src/chat/chatHtml';
import type { ChatSnapshot } from '../../src/protocols/chat';

const chromiumPath = process.env.VSCODE_TEST_CHROMIUM || '/usr/bin/chromium';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

// A handful of the theme variables VS Code injects, so the page looks like the panel.
const themeCss = `:root{--vscode-font-family:sans-serif;--vscode-font-size:13px;--vscode-editor-font-family:monospace;--vscode-editor-font-size:12px;
--vscode-foreground:#ccc;--vscode-sideBar-background:#1e1e1e;--vscode-editor-background:#1e1e1e;--vscode-input-background:#2a2a2a;
--vscode-input-foreground:#ddd;--vscode-button-background:#0e639c;--vscode-button-foreground:#fff;--vscode-descriptionForeground:#999;
--vscode-textLink-foreground:#3794ff;--vscode-textCodeBlock-background:#252526;--vscode-widget-border:#444;--vscode-editor-foreground:#ddd}`;

export interface WebviewPage {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * `replyToReady`: a snapshot the stub posts back as soon as the panel says `ready`, as the extension does when a
 * chat is reopened (the page's own clock then covers load, first script, markdown chunk and drawing).
 */
export async function openWebviewPage(mediaDir: string, viewport = { width: 420, height: 900 }, options: { replyToReady?: ChatSnapshot } = {}): Promise<WebviewPage> {
  const nonce = randomBytes(18).toString('base64');
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (/^\/[\w-]+\.js$/.test(path) && path !== '/stub.js') {
      const script = (() => { try { return readFileSync(join(mediaDir, path.slice(1))); } catch { return undefined; } })();
      if (script) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    }
    if (path === '/codicons.css') return void res.writeHead(200, { 'content-type': 'text/css' }).end(readFileSync(join(mediaDir, 'codicons.css')));
    if (path === '/theme.css') return void res.writeHead(200, { 'content-type': 'text/css' }).end(themeCss);
    if (path === '/stub.js') {
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(
        `window.__posted=[];let s;window.acquireVsCodeApi=()=>({postMessage:(m)=>{window.__posted.push(m);if(m.type==='ready'&&window.__replyToReady)window.postMessage({type:'snapshot',snapshot:window.__replyToReady},'*')},getState:()=>s,setState:(v)=>{s=v}});`,
      );
    }
    if (path === '/') {
      const page = chatHtml({ cspSource: origin, mediaUri: `${origin}/`, script: readFileSync(join(mediaDir, 'chat.js'), 'utf8'), style: readFileSync(join(mediaDir, 'chat.page.css'), 'utf8') }, nonce);
      // The theme's variables (VS Code injects them) and the stub, ahead of everything the page has.
      const extras = `<link rel="stylesheet" href="/theme.css"><script nonce="${nonce}" src="/stub.js"></script>`;
      return void res.writeHead(200, { 'content-type': 'text/html' }).end(page.replace('<title>', `${extras}<title>`));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  const page = await browser.newPage({ viewport });
  await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient')));
  // tsx compiles callbacks passed to page.evaluate with esbuild's keepNames, which calls a `__name` helper.
  await page.addInitScript('window.__name = (fn) => fn;');
  if (options.replyToReady) await page.addInitScript(`window.__replyToReady = ${JSON.stringify(options.replyToReady)};`);
  await page.goto(origin);
  await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  return {
    browser,
    page,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An empty conversation with one model, as the extension posts it when the view opens. */
export function benchSnapshot(): ChatSnapshot {
  const now = Date.now();
  return {
    conversation: { id: 'bench', title: 'Bench', createdAt: now, updatedAt: now, systemPrompt: '', turns: [] },
    history: [],
    models: [{ id: 'openai/gpt-4o', name: 'GPT-4o', favourite: true, free: false }],
    selectedModel: 'openai/gpt-4o',
    hasKey: true,
    busy: false,
  };
}

/** Shows an empty chat, then `question` (turn u1) and its answer starting to stream (turn a1), once drawn. */
export async function startStreamingAnswer(page: Page, question: string): Promise<void> {
  await page.evaluate((snap) => window.postMessage({ type: 'snapshot', snapshot: snap }, '*'), benchSnapshot());
  await page.evaluate((content) => {
    const now = Date.now();
    window.postMessage({ type: 'turnAdded', turn: { role: 'user', id: 'u1', content, createdAt: now } }, '*');
    window.postMessage({ type: 'turnAdded', turn: { role: 'assistant', id: 'a1', content: '', reasoning: '', model: 'openai/gpt-4o', status: 'streaming', createdAt: now } }, '*');
  }, question);
  await page.waitForSelector('article[data-turn-id="a1"]');
}

// The browser sign-in's way back: a one-shot HTTP listener on this machine's loopback interface, at an
// unguessable path. Node only (it opens a socket): a browser build receives the code through the extension's
// URI handler instead, behind the same `CallbackReceiver` shape.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CallbackReceiver {
  /** Where OpenRouter should send the browser back (before `asExternalUri`). */
  readonly url: string;
  /** The `code` of the first request to `url` that carries one. */
  readonly code: Promise<string>;
  /** Stops listening; a pending `code` rejects. Safe to call twice. */
  dispose(): void;
}

const PAGE_STYLE = 'font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em';

function page(title: string, text: string): string {
  return `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="${PAGE_STYLE}"><h1>${title}</h1><p>${text}</p></body>`;
}

/** Listens on 127.0.0.1 (a port the system picks) until one code arrives or `dispose()` is called. */
export async function listenForCallback(): Promise<CallbackReceiver> {
  const path = `/openrouter-sign-in/${randomBytes(16).toString('hex')}`;
  let deliver!: (code: string) => void;
  let fail!: (error: Error) => void;
  const code = new Promise<string>((resolve, reject) => {
    deliver = resolve;
    fail = reject;
  });
  // Nobody may be waiting yet when it is disposed early.
  code.catch(() => undefined);
  let done = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const received = url.searchParams.get('code');
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
    if (req.method !== 'GET' || url.pathname !== path || !received || done) {
      res.writeHead(404, headers).end(page('Not found', 'This address only takes the sign-in that VS Code started.'));
      return;
    }
    done = true;
    res.writeHead(200, headers).end(page('Signed in to OpenRouter', 'You can close this tab and go back to VS Code.'));
    deliver(received);
    stop();
  });
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    code,
    dispose: () => {
      if (!done) {
        done = true;
        fail(new Error('The sign-in was stopped before the browser came back.'));
      }
      stop();
    },
  };
}

// Sign in with OpenRouter, emulated: the authorisation page (GET /auth), the user's approval (POST
// /auth/approve: a redirect to the callback with `?code=`, or the code shown for the headless flow), and the
// exchange (POST /api/v1/auth/keys) with its PKCE check. Codes are single-use and live 10 minutes, as the docs
// say; a code exchanged with the wrong verifier, a second time, or too late is refused with 403.
import { createHash, randomBytes } from 'node:crypto';
import { canaryKey } from './accounts';
import type { Exchange } from './exchange';
import { errorBody } from './faults';
import type { KeyState } from './types';

export const AUTH_CODE_TTL_MS = 10 * 60_000;

/** The account behind every key the sign-in issues: a balance no other test key has ($12.34 left). */
export const SIGNED_IN_KEY_STATE: KeyState = {
  label: 'OpenRouter for VS Code (signed in)', limit: 20, limit_remaining: 12.34, usage: 7.66, usage_daily: 0.4,
  usage_weekly: 2.1, usage_monthly: 7.66, is_free_tier: false, is_management_key: false, limit_reset: null,
};

interface IssuedCode {
  challenge: string | undefined;
  method: string | undefined;
  issuedAt: number;
  used: boolean;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(ex: Exchange, status: number, title: string, body: string): void {
  const text = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  ex.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  ex.end(text);
}

/** OpenRouter accepts localhost callbacks on any port, and https ones. */
function callbackProblem(callback: string): string | undefined {
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    return 'callback_url is not a URL';
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return undefined;
  return 'callback_url must be https, or http to localhost';
}

export class OAuthDesk {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    private readonly issueKey: (key: string, state: KeyState) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Serves `/auth` and `/auth/approve`; false for any other path. */
  async handlePage(ex: Exchange): Promise<boolean> {
    const method = (ex.req.method ?? 'GET').toUpperCase();
    if (ex.url.pathname === '/auth' && method === 'GET') return (this.authorisationPage(ex), true);
    if (ex.url.pathname === '/auth/approve' && method === 'POST') return (this.approve(ex, new URLSearchParams(await ex.readBody())), true);
    return false;
  }

  /** `POST /api/v1/auth/keys`. */
  exchange(ex: Exchange, body: unknown): void {
    const { code, code_verifier: verifier, code_challenge_method: method } = (body ?? {}) as Record<string, unknown>;
    if (typeof code !== 'string' || !code) return ex.json(400, errorBody(400, 'Missing required parameter: code'));
    const issued = this.codes.get(code);
    if (!issued) return ex.json(403, errorBody(403, 'Invalid code'));
    if (issued.used) return ex.json(403, errorBody(403, 'This code was already used'));
    if (this.now() - issued.issuedAt > AUTH_CODE_TTL_MS) return ex.json(403, errorBody(403, 'This code has expired'));
    if (issued.challenge !== undefined) {
      if (typeof verifier !== 'string' || !verifier) return ex.json(400, errorBody(400, 'Missing required parameter: code_verifier'));
      if ((method ?? 'plain') !== (issued.method ?? 'plain')) return ex.json(403, errorBody(403, 'code_challenge_method does not match the authorisation request'));
      const expected = issued.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (expected !== issued.challenge) return ex.json(403, errorBody(403, 'Invalid code_verifier'));
    }
    issued.used = true;
    // Shaped like the suite's canary keys, so a run's secrets scan finds one wherever it leaks.
    const key = canaryKey();
    this.issueKey(key, { ...SIGNED_IN_KEY_STATE });
    ex.json(200, { key, user_id: 'user_2emulatorsignedin000000000' });
  }

  private authorisationPage(ex: Exchange): void {
    const params = ex.url.searchParams;
    const callback = params.get('callback_url') ?? undefined;
    const method = params.get('code_challenge_method') ?? undefined;
    const problem = (callback !== undefined ? callbackProblem(callback) : undefined)
      ?? (method !== undefined && method !== 'S256' && method !== 'plain' ? 'code_challenge_method must be S256 or plain' : undefined);
    if (problem) return htmlPage(ex, 400, 'Invalid authorisation request', `<p id="auth-error">${escapeHtml(problem)}</p>`);
    const hidden = ['callback_url', 'code_challenge', 'code_challenge_method']
      .filter((name) => params.has(name))
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`)
      .join('');
    htmlPage(ex, 200, 'Authorize application', `<p>An application wants to create an API key for your OpenRouter account${callback ? ` and send it to ${escapeHtml(new URL(callback).origin)}` : ''}.</p>
<form method="post" action="/auth/approve">${hidden}<button name="decision" value="allow" type="submit">Authorize</button> <button name="decision" value="deny" type="submit">Deny</button></form>`);
  }

  private approve(ex: Exchange, form: URLSearchParams): void {
    if (form.get('decision') !== 'allow') return htmlPage(ex, 200, 'Not authorised', '<p>No key was created. You can close this tab.</p>');
    const code = `emu_${randomBytes(12).toString('hex')}`;
    this.codes.set(code, { challenge: form.get('code_challenge') ?? undefined, method: form.get('code_challenge_method') ?? undefined, issuedAt: this.now(), used: false });
    const callback = form.get('callback_url');
    if (callback && !callbackProblem(callback)) {
      const target = new URL(callback);
      target.searchParams.set('code', code);
      ex.writeHead(302, { location: target.toString(), 'content-length': 0, 'cache-control': 'no-store' });
      ex.end();
      return;
    }
    htmlPage(ex, 200, 'Your sign-in code', `<p>Paste this code into the application. It works once, for 10 minutes.</p><p><code id="auth-code">${code}</code></p>`);
  }
}

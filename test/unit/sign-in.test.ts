import assert from 'node:assert/strict';
import { request } from 'undici';
import { APIError, authorizationUrl, codeFromPaste, createPkcePair, pkceChallenge } from '../../src/openrouter/index';
import { listenForCallback } from '../../src/apiKey/loopbackCallback';
import { AUTH_CODE_TTL_MS, SIGNED_IN_KEY_STATE } from '../emulator/oauth';
import type { Emulator } from '../emulator/types';
import { rejectionOf, useRig } from '../support/providerHarness';

/** What the user does on the authorisation page: open it, press Authorize. Returns the approval's answer. */
async function approveOnPage(emulator: Emulator, url: string): Promise<{ status: number; location?: string; page: string }> {
  const shown = await request(url);
  const html = await shown.body.text();
  assert.equal(shown.statusCode, 200, html);
  assert.match(html, /<button name="decision" value="allow"[^>]*>Authorize<\/button>/);
  // The form carries the request's parameters through, as the real page does.
  const form = new URLSearchParams({ decision: 'allow' });
  for (const [name, value] of new URL(url).searchParams) form.set(name, value);
  const approved = await request(`${emulator.origin}/auth/approve`, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const location = approved.headers.location;
  return { status: approved.statusCode, ...(typeof location === 'string' ? { location } : {}), page: await approved.body.text() };
}

async function codeFor(emulator: Emulator, challenge: string): Promise<string> {
  const approval = await approveOnPage(emulator, authorizationUrl(emulator.baseUrl, challenge, 'http://127.0.0.1:9/callback'));
  assert.equal(approval.status, 302);
  const code = new URL(approval.location ?? '').searchParams.get('code');
  assert.ok(code, 'the redirect carries the code');
  return code;
}

describe('Sign in with OpenRouter (PKCE)', () => {
  let clock = Date.now();
  const rig = useRig({ now: () => clock });
  beforeEach(() => {
    clock = Date.now();
  });

  it('makes the S256 challenge RFC 7636 gives for its example verifier', async () => {
    assert.equal(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const pair = await createPkcePair();
    assert.match(pair.verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(pair.challenge, await pkceChallenge(pair.verifier));
    assert.notEqual((await createPkcePair()).verifier, pair.verifier, 'every sign-in has its own verifier');
  });

  it("sends the user to OpenRouter's own authorisation page, with the challenge and never the verifier", async () => {
    const pair = await createPkcePair();
    const url = new URL(authorizationUrl('https://openrouter.ai/api/v1', pair.challenge, 'http://127.0.0.1:4312/cb'));
    assert.equal(`${url.origin}${url.pathname}`, 'https://openrouter.ai/auth');
    assert.equal(url.searchParams.get('callback_url'), 'http://127.0.0.1:4312/cb');
    assert.equal(url.searchParams.get('code_challenge'), pair.challenge);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(!url.toString().includes(pair.verifier));
    assert.equal(new URL(authorizationUrl('https://openrouter.ai/api/v1', pair.challenge)).searchParams.has('callback_url'), false, 'the headless flow has no callback');
  });

  it('turns an approved code into a key that works, whose account the credits show', async () => {
    const { emulator, provider, make } = rig();
    const pair = await createPkcePair();
    const code = await codeFor(emulator, pair.challenge);
    const { key } = await provider.exchangeAuthCode(code, pair.verifier);
    const check = await make({ apiKey: key }).validateConfig();
    assert.ok(check.ok, 'the new key is accepted by /key');
    assert.equal(check.key.limit_remaining, SIGNED_IN_KEY_STATE.limit_remaining);
    const exchange = emulator.requests().find((r) => r.path === '/auth/keys');
    assert.deepEqual(exchange?.body, { code, code_verifier: pair.verifier, code_challenge_method: 'S256' });
  });

  it('is refused with a wrong verifier, and the message does not hold the verifier', async () => {
    const { emulator, provider } = rig();
    const pair = await createPkcePair();
    const other = await createPkcePair();
    const code = await codeFor(emulator, pair.challenge);
    const error = await rejectionOf(provider.exchangeAuthCode(code, other.verifier));
    assert.ok(error instanceof APIError);
    assert.equal(error.status, 403);
    assert.match(error.message, /Invalid code_verifier/);
    assert.ok(!error.message.includes(other.verifier) && !error.message.includes(pair.verifier));
  });

  it('refuses a code used once already', async () => {
    const { emulator, provider } = rig();
    const pair = await createPkcePair();
    const code = await codeFor(emulator, pair.challenge);
    await provider.exchangeAuthCode(code, pair.verifier);
    const error = await rejectionOf(provider.exchangeAuthCode(code, pair.verifier));
    assert.ok(error instanceof APIError);
    assert.equal(error.status, 403);
    assert.match(error.message, /already used/);
  });

  it('refuses a code older than ten minutes', async () => {
    const { emulator, provider } = rig();
    const pair = await createPkcePair();
    const code = await codeFor(emulator, pair.challenge);
    clock += AUTH_CODE_TTL_MS + 1;
    const error = await rejectionOf(provider.exchangeAuthCode(code, pair.verifier));
    assert.ok(error instanceof APIError);
    assert.match(error.message, /expired/);
  });

  it("brings the browser's redirect back to a one-shot listener on loopback", async () => {
    const { emulator } = rig();
    const receiver = await listenForCallback();
    try {
      assert.match(receiver.url, /^http:\/\/127\.0\.0\.1:\d+\/openrouter-sign-in\/[0-9a-f]{32}$/);
      const stranger = await request(new URL('/openrouter-sign-in/guess?code=forged', receiver.url));
      assert.equal(stranger.statusCode, 404, 'a request to another path is turned away');
      await stranger.body.dump();
      const pair = await createPkcePair();
      const approval = await approveOnPage(emulator, authorizationUrl(emulator.baseUrl, pair.challenge, receiver.url));
      assert.equal(approval.status, 302);
      const back = await request(approval.location ?? '');
      assert.equal(back.statusCode, 200);
      assert.match(await back.body.text(), /Signed in to OpenRouter/);
      const code = await receiver.code;
      assert.equal(code, new URL(approval.location ?? '').searchParams.get('code'));
      const again = await rejectionOf(request(approval.location ?? ''));
      assert.ok(again instanceof Error, 'the listener is gone once the code arrived');
    } finally {
      receiver.dispose();
    }
  });

  it('stops listening when the sign-in is abandoned', async () => {
    const receiver = await listenForCallback();
    receiver.dispose();
    assert.match(String(await rejectionOf(receiver.code)), /stopped before the browser came back/);
    assert.ok((await rejectionOf(request(receiver.url))) instanceof Error, 'nothing listens any more');
  });

  it('shows the code on the page when there is no callback (headless), and takes it pasted bare or inside the address', async () => {
    const { emulator, provider } = rig();
    const pair = await createPkcePair();
    const approval = await approveOnPage(emulator, authorizationUrl(emulator.baseUrl, pair.challenge));
    assert.equal(approval.status, 200);
    const shown = /<code id="auth-code">([^<]+)<\/code>/.exec(approval.page)?.[1];
    assert.ok(shown, 'the page shows the code');
    assert.equal(codeFromPaste(`  ${shown}\n`), shown);
    assert.equal(codeFromPaste(`http://127.0.0.1:1/cb?code=${shown}`), shown);
    assert.equal(codeFromPaste('not a code, with spaces'), undefined);
    const { key } = await provider.exchangeAuthCode(codeFromPaste(shown) ?? '', pair.verifier);
    assert.match(key, /^sk-or-v1-/);
  });

  it('refuses a callback that is neither https nor loopback', async () => {
    const { emulator } = rig();
    const page = await request(authorizationUrl(emulator.baseUrl, 'x', 'http://evil.example/steal'));
    assert.equal(page.statusCode, 400);
    assert.match(await page.body.text(), /callback_url must be https, or http to localhost/);
  });
});

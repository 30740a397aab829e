import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds } from '../../src/commands/commandIds';
import { browserAction } from '../vscode-host/browser';
import { TEST_KEY, emulator, logTail, resetWorld, state } from './openrouterKit';
import { waitFor } from '../support/waitFor';

interface SignInResult {
  outcome: string;
  message: string;
}

describe('Sign in with OpenRouter in the real VS Code', () => {
  before(async () => {
    await resetWorld({ key: undefined });
  });

  after(async () => {
    await resetWorld({ key: TEST_KEY });
  });

  it("signs in through OpenRouter's page in the browser, and the credits show the new key's balance", async () => {
    const pending = Promise.resolve(vscode.commands.executeCommand(commandIds.signIn)) as Promise<SignInResult>;
    await browserAction('pickQuickPickItem', { label: 'Sign in with the browser' });
    // The emulator's authorisation page opens in a browser tab; Authorize sends the browser back to VS Code.
    const back = (await browserAction('clickInBrowserTab', { urlIncludes: '/auth?', button: 'Authorize' })) as { url: string; text: string };
    assert.match(back.text, /Signed in to OpenRouter/);
    const result = await pending;
    assert.equal(result.outcome, 'signed-in', result.message);
    assert.equal((await state()).keySource, 'secret-storage');
    const credits = await waitFor("the signed-in account's balance", async () => {
      const c = (await state()).credits;
      return c.state === 'ok' && c.text.includes('$12.34') ? c : undefined;
    });
    assert.equal(credits.text, '$(credit-card) $12.34 left');

    const exchange = (await emulator.requests()).find((r) => r.path === '/auth/keys');
    const body = exchange?.body as { code_verifier?: string; code_challenge_method?: string } | undefined;
    assert.equal(body?.code_challenge_method, 'S256');
    const verifier = body?.code_verifier;
    assert.ok(verifier && verifier.length >= 43, 'the exchange carried the verifier');
    const log = JSON.stringify(await logTail());
    assert.ok(!log.includes(verifier), 'the verifier never appears in the log');
    assert.match(log, /Signed in to OpenRouter/);
  });

  it('signs in with a code pasted from the page, for set-ups where the browser cannot reach VS Code', async () => {
    await resetWorld({ key: undefined });
    const pending = Promise.resolve(vscode.commands.executeCommand(commandIds.signIn)) as Promise<SignInResult>;
    await browserAction('pickQuickPickItem', { label: 'Sign in with a code' });
    const shown = (await browserAction('clickInBrowserTab', { urlIncludes: '/auth?', button: 'Authorize' })) as { url: string; text: string };
    const code = /emu_[0-9a-f]+/.exec(shown.text)?.[0];
    assert.ok(code, `the page shows a code (${shown.text})`);
    await browserAction('typeInQuickInput', { text: code });
    await browserAction('pressKey', { key: 'Enter' });
    const result = await pending;
    assert.equal(result.outcome, 'signed-in', result.message);
    await waitFor("the signed-in account's balance", async () => ((await state()).credits.text.includes('$12.34') ? true : undefined));
  });

  it('signs out: the key is gone and the credits ask for one', async () => {
    const result = (await vscode.commands.executeCommand(commandIds.signOut)) as SignInResult;
    assert.equal(result.outcome, 'signed-out');
    assert.equal((await state()).keySource, undefined);
    await waitFor('the credits item without a key', async () => ((await state()).credits.state === 'no-key' ? true : undefined));
  });
});

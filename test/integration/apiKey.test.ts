import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { commandIds } from '../../src/commands/commandIds';
import { TEST_KEY_STATE, emulator, logTail, resetWorld, state } from './openrouterKit';
import { waitFor } from '../support/waitFor';

interface KeyCommandResult {
  outcome: string;
  message: string;
}

const setKey = async (key: string): Promise<KeyCommandResult> => (await vscode.commands.executeCommand(commandIds.setApiKey, key)) as KeyCommandResult;
const validate = async (): Promise<KeyCommandResult> => (await vscode.commands.executeCommand(commandIds.validateApiKey)) as KeyCommandResult;
const clear = async (): Promise<KeyCommandResult> => (await vscode.commands.executeCommand(commandIds.clearApiKey)) as KeyCommandResult;

// A key only this suite knows, so the log and the emulator's records can be searched for it.
const SECRET = `sk-or-v1-${createHash('sha256').update(String(process.pid)).digest('hex').slice(0, 32)}`;

describe('API key commands', () => {
  before(async () => {
    await resetWorld({ key: undefined });
    await emulator.setKey(SECRET, { ...TEST_KEY_STATE, label: 'integration key', limit_remaining: 4 });
  });

  after(async () => {
    await emulator.setKey(SECRET, null);
  });

  it('saves a key OpenRouter accepts and says it works', async () => {
    const result = await setKey(SECRET);
    assert.equal(result.outcome, 'saved');
    assert.match(result.message, /saved and working \(integration key\)/);
    assert.equal((await state()).keySource, 'secret-storage');
  });

  it('uses a new key on the next request, without a reload', async () => {
    await setKey(SECRET);
    const credits = await waitFor('credits for the new key', async () => {
      const c = (await state()).credits;
      return c.state === 'ok' && c.text.includes('$4.00') ? c : undefined;
    });
    assert.equal(credits.text, '$(credit-card) $4.00 left');
  });

  it('trims spaces and newlines a paste brings along', async () => {
    const result = await setKey(`  ${SECRET}\r\n`);
    assert.equal(result.outcome, 'saved');
    assert.equal((await validate()).outcome, 'valid');
  });

  it('refuses a key OpenRouter rejects, with OpenRouter\'s own message, and keeps the old one', async () => {
    await setKey(SECRET);
    const result = await setKey('sk-or-v1-not-a-real-key');
    assert.equal(result.outcome, 'rejected');
    assert.match(result.message, /OpenRouter did not accept this key, so it was not saved: .+/);
    const seen = await emulator.requests();
    const last401 = seen.filter((r) => r.path === '/key').at(-1);
    assert.ok(last401, 'the key was checked against /key');
    assert.equal((await validate()).outcome, 'valid', 'the previous key is still in use');
  });

  it('refuses a key with a line break inside, asking for a new paste, and keeps the old one', async () => {
    await setKey(SECRET);
    const result = await setKey(`${SECRET.slice(0, 16)}\n${SECRET.slice(16)}`);
    assert.equal(result.outcome, 'rejected');
    assert.match(result.message, /line break or space — paste it again/);
    assert.ok(!result.message.includes(SECRET.slice(16)));
    assert.equal((await validate()).outcome, 'valid', 'the previous key is still in use');
  });

  it('refuses an empty key', async () => {
    const result = await setKey('   \n');
    assert.equal(result.outcome, 'rejected');
  });

  it('validate says when a stored key stops working', async () => {
    await setKey(SECRET);
    await emulator.setKey(SECRET, null);
    try {
      const result = await validate();
      assert.equal(result.outcome, 'invalid');
      assert.match(result.message, /OpenRouter did not accept the key: .+/);
    } finally {
      await emulator.setKey(SECRET, { ...TEST_KEY_STATE, label: 'integration key', limit_remaining: 4 });
    }
  });

  it('saves but flags a key it cannot check while OpenRouter is unreachable', async () => {
    await emulator.addFault({ path: '/key', times: 20, fault: { type: 'drop-before-response' } });
    try {
      const result = await setKey(SECRET);
      assert.equal(result.outcome, 'saved-unverified');
      assert.match(result.message, /could not be checked/);
    } finally {
      await emulator.clearFaults();
    }
  });

  it('clears the key, after which features ask for one', async () => {
    await setKey(SECRET);
    const result = await clear();
    assert.equal(result.outcome, 'cleared');
    assert.equal((await state()).keySource, undefined);
    assert.equal((await validate()).outcome, 'no-key');
    await waitFor('the credits item asking for a key', async () => (await state()).credits.state === 'no-key');
  });

  it('never writes the key into the log', async () => {
    const text = JSON.stringify(await logTail());
    assert.equal(text.includes(SECRET), false);
    assert.equal(text.includes(SECRET.slice(9)), false);
  });
});

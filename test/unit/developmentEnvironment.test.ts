import { standIn } from './vscode/install';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentEnvironment } from '../../src/config/developmentEnvironment';
import { Settings } from '../../src/config/settings';
import { DEFAULT_BASE_URL } from '../../src/config/settingsValidation';
import { readNodeEnvironment } from '../../src/host/nodeEnvironment';
import { silent, workspaceConsent } from './vscode/providerHostFixture';

const ELSEWHERE = 'https://bob:hunter2@collector.example/api/v1';

describe('the emulator’s environment variables (development and test runs only)', () => {
  const saved = { base: process.env.OPENROUTER_BASE_URL, ca: process.env.OPENROUTER_CA_FILE };
  beforeEach(() => standIn.reset());
  afterEach(() => {
    for (const [name, value] of [['OPENROUTER_BASE_URL', saved.base], ['OPENROUTER_CA_FILE', saved.ca]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('an installed extension ignores OPENROUTER_BASE_URL and OPENROUTER_CA_FILE, and says so in the log without their values', () => {
    const lines: string[] = [];
    const env = { OPENROUTER_BASE_URL: ELSEWHERE, OPENROUTER_CA_FILE: '/tmp/attacker-ca.pem', OPENROUTER_API_KEY: 'sk-or-v1-x' };
    assert.deepEqual(developmentEnvironment(false, env, { info: (line) => lines.push(line) }), {});
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /^OPENROUTER_BASE_URL is set but ignored: .*Set openrouter\.baseUrl in your user settings instead\.$/);
    assert.match(lines[1] ?? '', /^OPENROUTER_CA_FILE is set but ignored/);
    assert.ok(!lines.join('\n').includes('collector') && !lines.join('\n').includes('attacker'), 'no value is logged');
  });

  it('a development or test run takes them, and nothing else from the environment', () => {
    const lines: string[] = [];
    const env = { OPENROUTER_BASE_URL: ' http://127.0.0.1:9/api/v1 ', OPENROUTER_CA_FILE: '/tmp/emulator-ca.pem', OPENROUTER_API_KEY: 'sk-or-v1-x' };
    assert.deepEqual(developmentEnvironment(true, env, { info: (line) => lines.push(line) }), { OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1', OPENROUTER_CA_FILE: '/tmp/emulator-ca.pem' });
    assert.deepEqual(lines, []);
  });

  it('the settings never take OPENROUTER_BASE_URL from the process environment unless handed it', () => {
    process.env.OPENROUTER_BASE_URL = ELSEWHERE;
    const settings = new Settings(silent, workspaceConsent());
    try {
      assert.equal(settings.values.baseUrl, DEFAULT_BASE_URL, 'the key goes to OpenRouter, not to the environment’s host');
      assert.equal(settings.baseUrlFromEnvironment, false);
    } finally {
      settings.dispose();
    }
    const handed = new Settings(silent, workspaceConsent(), { OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1' });
    try {
      assert.equal(handed.values.baseUrl, 'http://127.0.0.1:9/api/v1', 'a development run still reaches the emulator');
    } finally {
      handed.dispose();
    }
  });
});

describe('the Node-only environment the composition root reads', () => {
  const saved = { ca: process.env.OPENROUTER_CA_FILE, emulator: process.env.OPENROUTER_EMULATOR };
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'or-env-'))));
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
    for (const [name, value] of [['OPENROUTER_CA_FILE', saved.ca], ['OPENROUTER_EMULATOR', saved.emulator]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('a development run trusts the CA file OPENROUTER_CA_FILE names; an installed extension never reads it', () => {
    const ca = join(folder, 'emulator-ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nemulator\n-----END CERTIFICATE-----\n');
    process.env.OPENROUTER_CA_FILE = ca;
    const warnings: string[] = [];
    const warn = { warn: (line: string) => warnings.push(line) };
    assert.match(readNodeEnvironment(true, { info: () => undefined }).trustedCa(warn) ?? '', /emulator/);
    assert.equal(readNodeEnvironment(false, { info: () => undefined }).trustedCa(warn), undefined);
    assert.deepEqual(warnings, []);
  });

  it('an unreadable CA file is a warning in the log, not a failed start, and no CA is trusted', () => {
    process.env.OPENROUTER_CA_FILE = join(folder, 'missing.pem');
    const warnings: string[] = [];
    assert.equal(readNodeEnvironment(true, { info: () => undefined }).trustedCa({ warn: (line) => warnings.push(line) }), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^OPENROUTER_CA_FILE could not be read: /);
  });

  it('OPENROUTER_EMULATOR=1 marks the offline demo, in any run', () => {
    process.env.OPENROUTER_EMULATOR = '1';
    assert.equal(readNodeEnvironment(false, { info: () => undefined }).emulator, true);
    delete process.env.OPENROUTER_EMULATOR;
    assert.equal(readNodeEnvironment(true, { info: () => undefined }).emulator, false);
  });
});

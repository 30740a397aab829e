import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_EXCLUSION_PATTERNS, DEFAULT_UNTITLED_POLICY, matchingPattern, mergePatterns } from '../../src/exclusion/exclusionRules';
import { cutAroundSecrets, describeFindings, findSecrets, stripSecrets } from '../../src/exclusion/secretScan';
import { dotEnv, everySecret, privateKey, samples } from './exclusionSamples';

describe('exclusion patterns', () => {
  const excluded = (path: string): string | undefined => matchingPattern([path], DEFAULT_EXCLUSION_PATTERNS);

  it('exclude by default the files that hold credentials, in any folder', () => {
    const cases: [string, string][] = [
      ['.env', '.env*'],
      ['services/api/.env.local', '.env*'],
      ['certs/server.pem', '*.pem'],
      ['deploy/tls.key', '*.key'],
      ['id_rsa', 'id_rsa*'],
      ['keys/id_rsa.pub', 'id_rsa*'],
      ['store/client.p12', '*.p12'],
      ['.git/config', '**/.git/**'],
      ['vendor/lib/.git/config', '**/.git/**'],
      ['.npmrc', '.npmrc'],
      ['.netrc', '.netrc'],
      ['config/secrets/db.yml', '**/secrets/**'],
      ['/home/ada/.config/Code/User/settings.json', '**/User/settings.json'],
      ['/home/ada/.aws/credentials', '**/.aws/**'],
      ['APP/.ENV', '.env*'],
    ];
    for (const [path, pattern] of cases) assert.equal(excluded(path), pattern, path);
  });

  it('leaves ordinary source files alone', () => {
    for (const path of ['src/main.ts', 'environment.ts', 'docs/keys.md', 'src/settings.json', 'pem.ts', 'secretsManager.py']) assert.equal(excluded(path), undefined, path);
  });

  it('are declared in package.json with the same defaults; only the added patterns can come from a workspace', () => {
    const properties = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown; scope?: string }> } } }).contributes.configuration.properties;
    assert.deepEqual(properties['openrouter.exclusion.patterns']?.default, [...DEFAULT_EXCLUSION_PATTERNS]);
    assert.equal(properties['openrouter.exclusion.untitled']?.default, DEFAULT_UNTITLED_POLICY);
    assert.equal(properties['openrouter.exclusion.allowOutsideWorkspace']?.default, false);
    for (const key of ['patterns', 'allowOutsideWorkspace', 'untitled']) assert.equal(properties[`openrouter.exclusion.${key}`]?.scope, 'application', key);
    assert.equal(properties['openrouter.exclusion.workspacePatterns']?.scope, 'resource');
  });

  it('lets a workspace add patterns but not remove the user’s', () => {
    const merged = mergePatterns(undefined, [['config/prod/**'], 'not a list', [42]]);
    assert.deepEqual(merged.slice(0, DEFAULT_EXCLUSION_PATTERNS.length), [...DEFAULT_EXCLUSION_PATTERNS]);
    assert.ok(merged.includes('config/prod/**'));
    assert.equal(matchingPattern(['config/prod/app.yml'], merged), 'config/prod/**');
    // The user's own list replaces the defaults (only user settings are read for it).
    assert.deepEqual(mergePatterns(['*.secret'], [['extra/**']]), ['*.secret', 'extra/**']);
  });
});

describe('secret scan', () => {
  it('finds GitHub, Stripe, AWS and OpenRouter keys, a connection string with a password and a private key, naming only their kind', async () => {
    const text = `${dotEnv}{"http.proxy": "http://bob:${samples.proxyPassword}@proxy.corp:3128"}\n${privateKey}`;
    const findings = await findSecrets(text);
    const rules = findings.map((f) => f.rule).join(' | ');
    for (const kind of ['database-connection-string', 'stripe', 'github', 'aws', 'openrouter', 'basicauth', 'privatekey']) assert.match(rules, new RegExp(kind), `${kind} in ${rules}`);
    const account = JSON.stringify(findings) + describeFindings(findings);
    for (const secret of everySecret) assert.ok(!account.includes(secret), 'the findings never carry the secret');
    assert.deepEqual(findings.map((f) => f.line).slice(0, 5), [1, 2, 3, 4, 5]);
  });

  it('replaces every secret with a marker and keeps the rest', async () => {
    const { text, findings } = await stripSecrets(`${dotEnv}${privateKey}`);
    for (const secret of everySecret) assert.ok(!text.includes(secret), 'a secret survived');
    assert.ok(findings.length >= 6);
    assert.match(text, /^STRIPE_SECRET_KEY=\[secret removed: stripe [A-Z_]+\]$/m);
  });

  it('catches the start of a private key whose END line is outside the text', async () => {
    const findings = await findSecrets(`const pem = \`\n-----BEGIN OPENSSH PRIVATE KEY-----\n${samples.privateKeyBody.slice(0, 40)}`);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.line, 2);
  });

  it('finds nothing in ordinary code', async () => {
    assert.deepEqual(await findSecrets('const url = `https://example.com/api/${id}`;\nconst key = process.env.STRIPE_SECRET_KEY;\n'), []);
  });
});

describe('completion window around secrets', () => {
  it('keeps only the lines after the last secret before the cursor and before the first after it', async () => {
    const prefix = `${dotEnv}\nfunction connect() {\n  return `;
    const suffix = `\n}\nconst token = "${samples.github}";\nexport {};\n`;
    const cut = cutAroundSecrets(prefix, suffix, await findSecrets(prefix + suffix));
    assert.ok(cut);
    assert.equal(cut.prefix, '\nfunction connect() {\n  return ');
    assert.equal(cut.suffix, '\n}\n');
  });

  it('gives up when a secret is on the cursor’s line', async () => {
    const prefix = `const a = 1;\nSTRIPE_SECRET_KEY=${samples.stripe}`;
    assert.equal(cutAroundSecrets(prefix, '\n', await findSecrets(`${prefix}\n`)), undefined);
  });
});

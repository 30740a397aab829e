import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { settingKeys } from '../../src/config/settingsValidation';
import { scanWorkspaceSettings, userOnlySettingKeys } from '../../src/config/userOnlySettings';

interface Manifest {
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited' };
  };
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Manifest;
const properties = manifest.contributes.configuration.properties;

describe('settings a repository cannot set', () => {
  it('declares every destination, transport and polling setting application-scoped, and no other openrouter setting', () => {
    const applicationScoped = Object.entries(properties).filter(([, spec]) => spec.scope === 'application' || spec.scope === 'machine').map(([name]) => name).sort();
    assert.deepEqual(applicationScoped, userOnlySettingKeys.map((key) => `openrouter.${key}`).sort());
    for (const key of ['baseUrl', 'http2', 'poolSize', 'maxRetries', 'connectTimeoutSeconds', 'headersTimeoutSeconds', 'idleTimeoutSeconds'] as const) {
      assert.ok(userOnlySettingKeys.includes(settingKeys[key]), `${key} decides where or how requests go`);
    }
  });

  it('declares Restricted Mode support, keeping the model and routing out of an untrusted workspace’s hands', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.ok(untrusted.description && untrusted.description.length > 20, 'says what Restricted Mode limits');
    const routing = Object.keys(properties).filter((name) => name.startsWith('openrouter.routing.'));
    assert.ok(routing.length > 0);
    assert.deepEqual([...(untrusted.restrictedConfigurations ?? [])].sort(), ['openrouter.defaultModel', 'openrouter.completions.model', 'openrouter.completions.languages', 'openrouter.completions.debounceMs', ...routing].sort());
    for (const name of untrusted.restrictedConfigurations ?? []) assert.ok(properties[name], `${name} is a contributed setting`);
    assert.equal(manifest.capabilities?.virtualWorkspaces, true);
  });

  it('finds user-only settings in a workspace settings file with comments and trailing commas', () => {
    const text = `{
      // a cloned repository's settings
      "editor.tabSize": 2,
      "openrouter.baseUrl": "https://collector.example/api/v1", /* redirect */
      "openrouter.defaultModel": "openai/gpt-4o",
      "openrouter.http2": true,
    }`;
    assert.deepEqual(scanWorkspaceSettings(text), { found: ['openrouter.baseUrl', 'openrouter.http2'] });
  });

  it('finds the nested spelling and the settings of a .code-workspace file', () => {
    assert.deepEqual(scanWorkspaceSettings('{ "openrouter": { "poolSize": 1, "defaultModel": "x/y" } }').found, ['openrouter.poolSize']);
    const workspaceFile = '{ "folders": [{ "path": "." }], "settings": { "openrouter.creditsRefreshIntervalSeconds": 1 } }';
    assert.deepEqual(scanWorkspaceSettings(workspaceFile, 'settings').found, ['openrouter.creditsRefreshIntervalSeconds']);
    // Outside `settings` a workspace file's keys are not settings.
    assert.deepEqual(scanWorkspaceSettings('{ "openrouter.baseUrl": "https://x.example" }', 'settings').found, []);
  });

  it('finds a workspace turning on inline completions (they spend credits), in any spelling', () => {
    assert.deepEqual(scanWorkspaceSettings('{ "openrouter.completions.enabled": true, "openrouter.completions.debounceMs": 10 }').found, ['openrouter.completions.enabled']);
    assert.deepEqual(scanWorkspaceSettings('{ "openrouter": { "completions": { "maxRequestsPerMinute": 600 } } }').found, ['openrouter.completions.maxRequestsPerMinute']);
    assert.deepEqual(scanWorkspaceSettings('{ "openrouter": { "completions.enabled": true } }').found, ['openrouter.completions.enabled']);
  });

  it('reports nothing for settings that a workspace may set, and says when the file is not JSON', () => {
    assert.deepEqual(scanWorkspaceSettings('{ "openrouter.routing.sort": "price", "openrouter.completions.debounceMs": 400 }'), { found: [] });
  });

  it('finds a workspace silencing the log or the low-balance warning', () => {
    assert.deepEqual(scanWorkspaceSettings('{ "openrouter.logLevel": "off", "openrouter": { "lowBalanceThreshold": 0 } }').found, ['openrouter.lowBalanceThreshold', 'openrouter.logLevel']);
    const broken = scanWorkspaceSettings('{ "openrouter.defaultModel": ');
    assert.deepEqual(broken.found, []);
    assert.match(broken.problem ?? '', /not valid JSON/);
    // A value set to null is no value (VS Code treats it as unset).
    assert.deepEqual(scanWorkspaceSettings('{ "openrouter.baseUrl": null }').found, []);
  });
});

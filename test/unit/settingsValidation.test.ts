import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_BASE_URL,
  changedKeys,
  checkBaseUrl,
  checkLogLevel,
  checkModelId,
  checkNumber,
  checkSwitch,
  defaultSettings,
  providerSettingKeys,
  numberSpecs,
  readSettings,
  settingKeys,
} from '../../src/config/settingsValidation';

describe('settingsValidation', () => {
  describe('base URL', () => {
    it('uses the OpenRouter default when unset', () => {
      assert.deepEqual(checkBaseUrl(undefined), { value: DEFAULT_BASE_URL });
      assert.deepEqual(checkBaseUrl(''), { value: DEFAULT_BASE_URL });
    });

    it('accepts an https gateway and drops the trailing slash', () => {
      assert.deepEqual(checkBaseUrl('https://gateway.example.com/api/v1/'), { value: 'https://gateway.example.com/api/v1' });
    });

    it('accepts plain http to loopback addresses only', () => {
      for (const url of ['http://localhost:8080/api/v1', 'http://127.0.0.1:4000/api/v1', 'http://[::1]:4000/api/v1', 'http://127.1.2.3/v1']) {
        assert.equal(checkBaseUrl(url).problem, undefined, url);
      }
    });

    it('refuses plain http to another host, with a message naming the setting and the fallback', () => {
      const checked = checkBaseUrl('http://openrouter.ai/api/v1');
      assert.equal(checked.value, DEFAULT_BASE_URL);
      assert.match(checked.problem ?? '', /openrouter\.baseUrl must use https/);
      assert.match(checked.problem ?? '', new RegExp(`using ${DEFAULT_BASE_URL.replace(/[./]/g, '\\$&')}`));
    });

    it('refuses garbage, other schemes and credentials in the URL without throwing', () => {
      for (const raw of ['not a url', 'ftp://example.com', 'https://user:pw@example.com/api', 42, { url: 'x' }]) {
        const checked = checkBaseUrl(raw);
        assert.equal(checked.value, DEFAULT_BASE_URL, String(raw));
        assert.ok(checked.problem, String(raw));
      }
    });

    it('falls back to the given URL (the local emulator in a demo) instead of the public default', () => {
      const emulator = 'http://127.0.0.1:4567/api/v1';
      assert.equal(checkBaseUrl('http://example.com/api/v1', emulator).value, emulator);
      assert.equal(readSettings(() => 'nonsense', emulator).values.baseUrl, emulator);
    });
  });

  describe('numbers', () => {
    it('keeps a value inside the range', () => {
      assert.deepEqual(checkNumber('poolSize', 4), { value: 4 });
      assert.deepEqual(checkNumber('lowBalanceThreshold', 2.5), { value: 2.5 });
    });

    it('clamps a negative pool size to the minimum and says so', () => {
      const checked = checkNumber('poolSize', -3);
      assert.equal(checked.value, numberSpecs.poolSize.minimum);
      assert.match(checked.problem ?? '', /openrouter\.poolSize is -3, below the minimum 1/);
    });

    it('clamps an absurd timeout to the maximum', () => {
      const checked = checkNumber('headersTimeoutSeconds', 1e9);
      assert.equal(checked.value, numberSpecs.headersTimeoutSeconds.maximum);
      assert.match(checked.problem ?? '', /above the maximum/);
    });

    it('rounds a fractional retry count', () => {
      const checked = checkNumber('maxRetries', 2.6);
      assert.equal(checked.value, 3);
      assert.match(checked.problem ?? '', /whole number/);
    });

    it('falls back to the default for a non-number', () => {
      for (const raw of ['lots', NaN, Infinity, true]) {
        const checked = checkNumber('creditsRefreshIntervalSeconds', raw);
        assert.equal(checked.value, numberSpecs.creditsRefreshIntervalSeconds.default, String(raw));
        assert.ok(checked.problem);
      }
    });

    it('allows 0 to turn the credits refresh off', () => {
      assert.deepEqual(checkNumber('creditsRefreshIntervalSeconds', 0), { value: 0 });
    });
  });

  it('accepts model ids with vendor, variant and dots, refuses spaces and a name without its vendor (as routing does)', () => {
    assert.deepEqual(checkModelId('meta-llama/llama-3.3-70b-instruct:free'), { value: 'meta-llama/llama-3.3-70b-instruct:free' });
    assert.equal(checkModelId('gpt-4o').value, defaultSettings.defaultModel);
    assert.match(checkModelId('gpt-4o').problem!, /not a model id/);
    assert.equal(checkModelId('my model').value, defaultSettings.defaultModel);
    assert.ok(checkModelId('my model').problem);
  });

  it('accepts the listed log levels only', () => {
    assert.deepEqual(checkLogLevel('debug'), { value: 'debug' });
    assert.equal(checkLogLevel('verbose').value, 'inherit');
    assert.ok(checkLogLevel('verbose').problem);
  });

  it('takes HTTP/2 as on or off only, on by default; a change of it rebuilds the provider', () => {
    assert.equal(readSettings(() => undefined).values.http2, true);
    assert.equal(readSettings((key) => (key === 'http2' ? false : undefined)).values.http2, false);
    const quoted = checkSwitch('http2', 'true', false);
    assert.equal(quoted.value, false);
    assert.match(quoted.problem ?? '', /openrouter\.http2 .*must be true or false; using false/);
    assert.ok(providerSettingKeys.includes('http2'));
  });

  it('reads every setting and collects every problem', () => {
    const raw: Record<string, unknown> = { baseUrl: 'http://example.com', poolSize: 0, maxRetries: 2 };
    const { values, problems } = readSettings((key) => raw[key]);
    assert.equal(values.baseUrl, DEFAULT_BASE_URL);
    assert.equal(values.poolSize, 1);
    assert.equal(values.maxRetries, 2);
    assert.equal(values.idleTimeoutSeconds, numberSpecs.idleTimeoutSeconds.default);
    assert.equal(problems.length, 2);
  });

  it('names the keys that changed', () => {
    assert.deepEqual(changedKeys(defaultSettings, { ...defaultSettings, poolSize: 2, logLevel: 'off' }), ['poolSize', 'logLevel']);
    assert.deepEqual(changedKeys(defaultSettings, { ...defaultSettings }), []);
  });

  it('matches package.json: every setting contributed with the same default and range', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown; minimum?: number; maximum?: number; description?: string; markdownDescription?: string }> } };
    };
    const properties = manifest.contributes.configuration.properties;
    // The routing, inline completion, exclusion and checkpoint settings have their own readers (src/routing,
    // src/completions, src/exclusion, src/edits); every other openrouter.* setting is read here.
    const ours = Object.keys(properties).filter((key) => key.startsWith('openrouter.') && !/^openrouter\.(routing|completions|exclusion|checkpoints)\./.test(key));
    assert.deepEqual(ours.sort(), Object.values(settingKeys).map((key) => `openrouter.${key}`).sort());
    for (const key of Object.values(settingKeys)) {
      const property = properties[`openrouter.${key}`];
      assert.ok(property, key);
      assert.deepEqual(property.default, defaultSettings[key], `default of ${key}`);
      assert.ok(property.description ?? property.markdownDescription, `description of ${key}`);
      if (key in numberSpecs) {
        const spec = numberSpecs[key as keyof typeof numberSpecs];
        assert.equal(property.minimum, spec.minimum, `minimum of ${key}`);
        assert.equal(property.maximum, spec.maximum, `maximum of ${key}`);
      }
    }
  });
});

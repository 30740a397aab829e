import assert from 'node:assert/strict';
import { startEmulator } from '../emulator/index';
import { keyFingerprint } from '../emulator/index';
import type { Emulator } from '../emulator/types';
import { ConfigError, OpenRouterProvider } from '../../src/openrouter/index';
import {
  DEFAULT_BASE_URL, isLoopbackHost, logLevels, numberSpecs, readSettings, settingKeys, type SettingKey,
} from '../../src/config/settingsValidation';
import { KEY, chat, rejectionOf } from '../support/providerHarness';

/** Values a settings.json can hold by mistake or on purpose. */
const HOSTILE: readonly unknown[] = [
  undefined, null, '', '   ', '\n', 0, -0, -1, -1e308, 1e308, Infinity, -Infinity, NaN, 2 ** 53, 0.5, '12abc', '1e3', '0x10',
  true, false, [], [1, 2], {}, { value: 1 }, 'javascript:alert(1)', 'file:///etc/passwd', 'ftp://openrouter.ai',
  'http://evil.example/api/v1', 'http://127.0.0.1.evil.example/api/v1', 'http://localhost.evil.example', 'http://[::ffff:7f00:1]:8080',
  'https://user:pass@openrouter.ai/api/v1', 'https://openrouter.ai:99999', 'https://ope nrouter.ai', 'https://openrouter.ai/api/v1?x=1',
  'x'.repeat(100_000), '\u0000\u0001\u202e', '../../../etc', 'constructor', '__proto__',
];

function isAcceptedBaseUrl(value: string): boolean {
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

describe('hostile settings values', () => {
  const keys = Object.values(settingKeys) as SettingKey[];

  it('turns every hostile value of every setting into a usable one, with a message naming the setting', () => {
    for (const key of keys) {
      for (const raw of HOSTILE) {
        const { values, problems } = readSettings((asked) => (asked === key ? raw : undefined));
        assert.ok(isAcceptedBaseUrl(values.baseUrl), `${key}=${String(raw).slice(0, 40)} gave baseUrl ${values.baseUrl}`);
        for (const [name, spec] of Object.entries(numberSpecs)) {
          const value = values[name as keyof typeof numberSpecs];
          assert.ok(Number.isFinite(value) && value >= spec.minimum && value <= spec.maximum, `${key}=${String(raw).slice(0, 40)} gave ${name}=${value}`);
          if (spec.integer) assert.ok(Number.isInteger(value));
        }
        assert.ok((logLevels as readonly string[]).includes(values.logLevel));
        assert.match(values.defaultModel, /^[\w.:/@-]+$/);
        for (const problem of problems) {
          assert.ok(problem.startsWith(`openrouter.${key} `), `problem names the setting: ${problem.slice(0, 120)}`);
        }
      }
    }
  });

  it('never sends anything over plain http to a host other than this machine', () => {
    for (const raw of ['http://evil.example/api/v1', 'http://127.0.0.1.evil.example', 'http://localhost.evil.example:80', 'HTTP://EVIL.EXAMPLE', 'http://10.0.0.1/api/v1']) {
      const { values, problems } = readSettings((key) => (key === 'baseUrl' ? raw : undefined));
      assert.equal(values.baseUrl, DEFAULT_BASE_URL, raw);
      assert.match(problems[0] ?? '', /must use https/);
    }
    for (const raw of ['http://localhost:8080/api/v1', 'http://127.0.0.1:9/api/v1', 'http://[::1]:9/api/v1']) {
      assert.equal(readSettings((key) => (key === 'baseUrl' ? raw : undefined)).problems.length, 0, raw);
    }
  });

  it('builds a provider from every value the validation lets through', async () => {
    for (const raw of HOSTILE) {
      const { values } = readSettings(() => raw);
      const provider = new OpenRouterProvider({
        apiKey: KEY,
        baseUrl: values.baseUrl,
        poolSize: values.poolSize,
        maxRetries: values.maxRetries,
        timeouts: { connectMs: values.connectTimeoutSeconds * 1000, headersMs: values.headersTimeoutSeconds * 1000, idleMs: values.idleTimeoutSeconds * 1000 },
      });
      await provider.close();
    }
  });
});

describe('settings problems never show a pasted secret', () => {
  const KEY_LIKE = 'sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
  const TOKEN_LIKE = 'ghp_Zx81kQ2mN7pLw4Rt9Yb6Vc3Hd5Jf0Ag1Se2';
  const SECRET_VALUES: readonly unknown[] = [
    KEY_LIKE, ` ${KEY_LIKE}\n`, `https://${KEY_LIKE}`, `https://openrouter.ai/api/v1/${KEY_LIKE}`, `http://example.com/${KEY_LIKE}`,
    `ftp://x/${KEY_LIKE}`, `${KEY_LIKE}:rest`, `https://openrouter.ai/api/v1?key=${KEY_LIKE}`, `Bearer ${KEY_LIKE}`, TOKEN_LIKE, `my model ${TOKEN_LIKE}`,
  ];

  it('describes the problem with every setting without quoting the value', () => {
    for (const key of Object.values(settingKeys) as SettingKey[]) {
      for (const raw of SECRET_VALUES) {
        const { problems } = readSettings((asked) => (asked === key ? raw : undefined));
        for (const problem of problems) {
          assert.ok(!problem.includes('0123456789abcdef') && !problem.includes('Zx81kQ2mN7pLw4Rt9Yb6'), `${key}: ${problem}`);
        }
        // A bare token is a well-formed model id ("cognitivecomputations/..." has long letter runs too); anything else is refused.
        const refused = key === 'baseUrl' || key in numberSpecs || (key === 'defaultModel' && raw !== TOKEN_LIKE);
        if (refused) assert.equal(problems.length, 1, `${key}=${String(raw)} is refused`);
      }
    }
  });

  it('says a key was pasted into the base URL or model box, and where keys belong', () => {
    for (const key of ['baseUrl', 'defaultModel'] as const) {
      const { problems } = readSettings((asked) => (asked === key ? KEY_LIKE : undefined));
      assert.match(problems[0] ?? '', /looks like an API key/);
      assert.match(problems[0] ?? '', /Set API Key/);
    }
  });

  it('refuses a base URL with a line break, tab or control character instead of letting the parser drop it', () => {
    for (const raw of ['https://openrouter.ai/api/v1\r\nX: 1', 'https://openrouter.ai/api/v1\nX-Injected: yes', 'https://openrouter.ai/api/\tv1', 'https://openrouter.ai/api/v1\u0000', 'https://openrouter.ai/api/v1\u202e', 'https://openrouter.ai/api v1']) {
      const { values, problems } = readSettings((key) => (key === 'baseUrl' ? raw : undefined));
      assert.equal(values.baseUrl, DEFAULT_BASE_URL, JSON.stringify(raw));
      assert.match(problems[0] ?? '', /^openrouter\.baseUrl contains a space, line break or control character; using /, JSON.stringify(raw));
    }
    assert.deepEqual(readSettings((key) => (key === 'baseUrl' ? '  https://openrouter.ai/api/v1\r\n' : undefined)).problems, [], 'a paste\'s surrounding whitespace is trimmed');
  });

  it('gives each odd number a message that says what was wrong, and a value inside the range', () => {
    const cases: ReadonlyArray<[keyof typeof numberSpecs, unknown, RegExp]> = [
      ['poolSize', -5, /is -5, below the minimum 1/],
      ['maxRetries', 1e9, /is 1000000000, above the maximum 10/],
      ['idleTimeoutSeconds', NaN, /must be a number of seconds, not NaN/],
      ['connectTimeoutSeconds', -Infinity, /not -Infinity/],
      ['headersTimeoutSeconds', 'soon', /not text that is not a plain decimal number/],
      ['creditsRefreshIntervalSeconds', '0x10', /not text that is not a plain decimal number/],
      ['lowBalanceThreshold', true, /not true/],
      ['poolSize', [4], /not a list/],
      ['maxRetries', { n: 1 }, /not an object/],
    ];
    for (const [key, raw, message] of cases) {
      const { values, problems } = readSettings((asked) => (asked === key ? raw : undefined));
      const spec = numberSpecs[key];
      assert.ok(values[key] >= spec.minimum && values[key] <= spec.maximum, `${key}=${String(raw)}`);
      assert.match(problems[0] ?? '', message);
    }
    assert.deepEqual(readSettings((key) => (key === 'poolSize' ? ' 12 ' : undefined)).values.poolSize, 12, 'a plain decimal typed as text is read');
  });
});

describe('hostile API keys', () => {
  let emulator: Emulator;

  beforeEach(async () => {
    emulator = await startEmulator();
  });

  afterEach(async () => {
    await emulator.close();
  });

  const withKey = async <T>(apiKey: string, work: (provider: OpenRouterProvider) => Promise<T>): Promise<T> => {
    const provider = new OpenRouterProvider({ apiKey, baseUrl: emulator.baseUrl, retryBaseDelayMs: 1 });
    try {
      return await work(provider);
    } finally {
      await provider.close();
    }
  };

  for (const [name, key] of [['empty', ''], ['spaces', '   '], ['newlines', '\r\n\n'], ['a tab', '\t']] as const) {
    it(`refuses a key of only ${name} before sending anything, with a clear message`, async () => {
      const error = await withKey(key, (provider) => rejectionOf(provider.execute(chat('hi'))));
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, /no OpenRouter API key is set/);
      const validation = await withKey(key, (provider) => provider.validateConfig());
      assert.equal(validation.ok, false);
      assert.equal(emulator.counters().requests, 0, 'nothing was sent');
    });
  }

  it('trims a pasted key with surrounding whitespace and newlines, and sends the key itself', async () => {
    const answer = await withKey(`  \n${KEY}\r\n\t`, (provider) => provider.validateConfig());
    assert.ok(answer.ok, JSON.stringify(answer));
    assert.equal(emulator.requests().at(-1)?.keyFingerprint, keyFingerprint(KEY));
  });

  for (const [name, key] of [
    ['a newline inside', 'sk-or-v1-abc\ndef0123456789'],
    ['a CRLF header injection', 'sk-or-v1-abc0123456789\r\nX-Injected: yes'],
    ['non-Latin-1 characters', 'sk-or-v1-ключ0123456789'],
    ['a NUL byte', 'sk-or-v1-abc\u00000123456789'],
  ] as const) {
    it(`refuses a key with ${name} without sending it or showing it`, async () => {
      const error = await withKey(key, (provider) => rejectionOf(provider.execute(chat('hi'))));
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, /contains a (line break or space|control or non-ASCII character) — paste it again/);
      assert.equal(emulator.counters().requests, 0, 'no request went out');
      const shown = `${String(error)} ${JSON.stringify(error)} ${error.stack ?? ''}`;
      assert.ok(!shown.includes(key) && !shown.includes('0123456789'), shown);
      assert.ok(!emulator.requests().some((request) => 'x-injected' in request.headers));
    });
  }

  it('refuses a key from the key function with a control character, on every call, before anything is sent', async () => {
    const provider = new OpenRouterProvider({ apiKey: async () => `${KEY}\u0007tail`, baseUrl: emulator.baseUrl, retryBaseDelayMs: 1 });
    try {
      for (const call of [() => provider.execute(chat('hi')), () => provider.getCredits(), () => provider.listModels()]) {
        const error = await rejectionOf(call());
        assert.ok(error instanceof ConfigError, String(error));
        assert.match(error.message, /control or non-ASCII character — paste it again/);
        assert.ok(!error.message.includes(KEY));
      }
      const validation = await provider.validateConfig();
      assert.ok(!validation.ok && /paste it again/.test(validation.message), JSON.stringify(validation));
      assert.equal(emulator.counters().requests, 0);
    } finally {
      await provider.close();
    }
  });
});

import assert from 'node:assert/strict';
import { startEmulator } from '../emulator/index';
import { AbortError, APIError, ConfigError, OpenRouterProvider, StreamError } from '../../src/openrouter/index';
import { KEY, MANAGEMENT_KEY, chat, makeProvider, rejectionOf, useRig } from '../support/providerHarness';

describe('provider endpoints', () => {
  const rig = useRig({ generationReadyAfterMs: 300 });

  it('lists models with wire field names and string prices, without needing a key', async () => {
    const { emulator } = rig();
    const provider = makeProvider(emulator, { apiKey: () => undefined });
    try {
      const models = await provider.listModels();
      assert.ok(models.length > 100);
      const model = models[0];
      assert.equal(typeof model?.id, 'string');
      assert.equal(typeof model?.pricing?.prompt, 'string');
      assert.equal(emulator.requests()[0]?.headers.authorization, undefined);
    } finally {
      await provider.close();
    }
  });

  it('sends the attribution headers and the key as a bearer token', async () => {
    const { emulator } = rig();
    const provider = makeProvider(emulator, { appUrl: 'https://github.com/example/openrouter-vscode', appTitle: 'OpenRouter for VS Code' });
    try {
      await provider.execute(chat('headers'));
      const seen = emulator.requests()[0];
      assert.equal(seen?.headers['http-referer'], 'https://github.com/example/openrouter-vscode');
      assert.equal(seen?.headers['x-openrouter-title'], 'OpenRouter for VS Code');
      assert.equal(seen?.headers['x-title'], 'OpenRouter for VS Code');
      assert.equal(seen?.headers['x-openrouter-categories'], 'ide-extension');
      assert.equal(seen?.headers['content-type'], 'application/json');
      assert.equal(typeof seen?.keyFingerprint, 'string');
    } finally {
      await provider.close();
    }
  });

  it('execute sends stream:false and returns the completion with usage', async () => {
    const { provider, emulator } = rig();
    const completion = await provider.execute(chat('complete me'));
    assert.equal((emulator.requests()[0]?.body as { stream?: boolean }).stream, false);
    assert.match(String(completion.id), /^gen-/);
    assert.match(String(completion.choices[0]?.message.content), /complete me/);
    assert.ok((completion.usage?.total_tokens ?? 0) > 0);
  });

  it('execute throws the error a 200 completion carries in its body, without retrying', async () => {
    const { provider, emulator } = rig();
    emulator.addFault({ path: '/chat/completions', fault: { type: 'error-chunk', code: 502, message: 'Upstream provider failed' } });
    const error = await rejectionOf(provider.execute(chat('fails upstream')));
    assert.ok(error instanceof StreamError, String(error));
    assert.match(error.message, /Upstream provider failed/);
    assert.equal(error.code, 502);
    assert.match(String(error.generationId), /^gen-/);
    assert.equal(emulator.counters().requests, 1);
  });

  it('refuses to send without a key, with a clear error and no request', async () => {
    const { emulator } = rig();
    const provider = makeProvider(emulator, { apiKey: async () => '  ' });
    try {
      const error = await rejectionOf(provider.execute(chat('no key')));
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /no OpenRouter API key/);
      assert.equal(error.attempts, 0);
      assert.equal(emulator.counters().requests, 0);
      const result = await provider.validateConfig();
      assert.equal(result.ok, false);
      assert.equal(emulator.counters().requests, 0);
    } finally {
      await provider.close();
    }
  });

  it('aborts at once while the key is still being read', async () => {
    const { emulator, make } = rig();
    const provider = make({ apiKey: () => new Promise<string>(() => {}) });
    const controller = new AbortController();
    const call = provider.execute(chat('slow secret store'), { signal: controller.signal });
    controller.abort();
    const error = await rejectionOf(call);
    assert.ok(error instanceof AbortError, String(error));
    assert.equal(emulator.counters().requests, 0);
  });

  it('validateConfig returns the key’s data for a good key', async () => {
    const { provider } = rig();
    const result = await provider.validateConfig();
    assert.ok(result.ok);
    assert.equal(result.key.limit_remaining, 7.5);
    assert.equal(result.key.is_management_key, false);
  });

  it('validateConfig reports a bad key as a result with OpenRouter’s message, not a throw', async () => {
    const { emulator } = rig();
    const provider = makeProvider(emulator, { apiKey: 'sk-or-v1-not-a-real-key' });
    try {
      const result = await provider.validateConfig();
      assert.deepEqual(result, { ok: false, status: 401, message: 'User not found.' });
    } finally {
      await provider.close();
    }
  });

  it('validateConfig reports an unreachable server as a result', async () => {
    const dead = await startEmulator();
    const port = dead.port;
    await dead.close();
    const provider = new OpenRouterProvider({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/api/v1`, maxRetries: 0 });
    try {
      const result = await provider.validateConfig();
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.status === undefined && /ECONNREFUSED/.test(result.message));
    } finally {
      await provider.close();
    }
  });

  it('getCredits answers an APIError 403 for an ordinary key', async () => {
    const { provider } = rig();
    const error = await rejectionOf(provider.getCredits());
    assert.ok(error instanceof APIError);
    assert.equal(error.status, 403);
    assert.match(error.message, /management key/i);
    assert.equal(error.attempts, 1);
  });

  it('getCredits returns the totals for a management key', async () => {
    const { emulator } = rig();
    const provider = makeProvider(emulator, { apiKey: MANAGEMENT_KEY });
    try {
      assert.deepEqual(await provider.getCredits(), { total_credits: 25, total_usage: 7.5 });
    } finally {
      await provider.close();
    }
  });

  it('getGenerationStats answers 404 until the stats are ready, then the stats', async () => {
    const { provider } = rig();
    let generationId: string | undefined;
    for await (const _chunk of provider.streamExecute(chat('[[chunks:3]] cost me'), { onResponse: (info) => { generationId = info.generationId; } })) { /* drain */ }
    assert.ok(generationId);
    const early = await rejectionOf(provider.getGenerationStats(generationId));
    assert.ok(early instanceof APIError);
    assert.equal(early.status, 404);
    assert.equal(early.retryable, false);
    // Poll as a caller would, with a short bounded backoff, until the 404s stop.
    let stats: Awaited<ReturnType<OpenRouterProvider['getGenerationStats']>> | undefined;
    for (let poll = 0; poll < 100 && !stats; poll++) {
      try {
        stats = await provider.getGenerationStats(generationId);
      } catch (error) {
        assert.ok(error instanceof APIError && error.status === 404, String(error));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
    assert.equal(stats?.id, generationId);
    assert.ok(typeof stats?.total_cost === 'number');
  });
});

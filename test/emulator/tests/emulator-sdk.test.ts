// Fidelity: the official SDK validates every response against schemas generated from OpenRouter's
// OpenAPI spec, so any validation error here is a place where the emulator differs from the real API.
import assert from 'node:assert/strict';
import { OpenRouter } from '@openrouter/sdk';
import { BadRequestResponseError, ForbiddenResponseError, NotFoundResponseError, UnauthorizedResponseError } from '@openrouter/sdk/models/errors';
import { startEmulator, type Emulator } from '../index';
import { managementKey, testKey } from '../rawClient';

type SendResult = Awaited<ReturnType<OpenRouter['chat']['send']>>;

function completion(result: SendResult): Extract<SendResult, { choices: unknown }> {
  if (!('choices' in result)) throw new Error('expected a completion, got a stream');
  return result;
}

function stream(result: SendResult): Exclude<SendResult, { choices: unknown }> {
  if ('choices' in result) throw new Error('expected a stream, got a completion');
  return result;
}

describe('emulator fidelity against @openrouter/sdk schemas', () => {
  let emulator: Emulator;
  let sdk: OpenRouter;
  before(async () => {
    emulator = await startEmulator({ generationReadyAfterMs: 50 });
    sdk = new OpenRouter({ apiKey: testKey, serverURL: emulator.baseUrl, retryConfig: { strategy: 'none' } });
  });
  after(() => emulator.close());

  it('lists models', async () => {
    const page = await sdk.models.list();
    assert.ok(page.result.data.length >= 300);
    assert.equal(page.result.totalCount, page.result.data.length);
    const all = await sdk.models.list({ outputModalities: 'all' });
    assert.ok(all.result.data.length > page.result.data.length);
  });

  it('pages through models with offset and limit', async () => {
    const first = await sdk.models.list({ limit: 100 });
    let pages = 0;
    let models = 0;
    for await (const page of first) {
      pages++;
      models += page.result.data.length;
    }
    assert.ok(pages >= 4, `${pages} pages`);
    assert.equal(models, first.result.totalCount);
  });

  it('reads the current key', async () => {
    const key = await sdk.apiKeys.getCurrentKeyMetadata();
    assert.equal(key.data.limitRemaining, 7.5);
    assert.equal(key.data.isManagementKey, false);
  });

  it('reads credits with a management key', async () => {
    const management = new OpenRouter({ apiKey: managementKey, serverURL: emulator.baseUrl, retryConfig: { strategy: 'none' } });
    const credits = await management.credits.getCredits();
    assert.equal(credits.data.totalCredits, 25);
    assert.equal(credits.data.totalUsage, 7.5);
  });

  it('sends a chat completion and reads its generation stats', async () => {
    const result = completion(await sdk.chat.send({ chatRequest: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hello sdk' }] } }));
    assert.match(String(result.choices[0]?.message.content), /^You said: hello sdk /);
    assert.ok(result.usage && result.usage.cost! > 0);
    let generation: Awaited<ReturnType<typeof sdk.generations.getGeneration>> | undefined;
    for (let attempt = 0; attempt < 100 && !generation; attempt++) {
      generation = await sdk.generations.getGeneration({ id: result.id }).catch((error: unknown) => {
        // 404 until the stats are ready is the documented behaviour; anything else is a fidelity bug.
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        return new Promise<undefined>((r) => setTimeout(() => r(undefined), 20));
      });
    }
    assert.equal(generation?.data.id, result.id);
    assert.equal(generation?.data.totalCost, result.usage?.cost);
  });

  it('streams a chat completion with reasoning and a tool call', async () => {
    const reply = stream(await sdk.chat.send({
      chatRequest: {
        model: 'deepseek/deepseek-r1',
        stream: true,
        reasoning: { effort: 'low' },
        messages: [{ role: 'user', content: 'stream for the sdk [[chunks:6]]' }],
      },
    }));
    let text = '';
    let reasoning = '';
    let usageChunks = 0;
    for await (const chunk of reply) {
      text += chunk.choices[0]?.delta.content ?? '';
      reasoning += chunk.choices[0]?.delta.reasoning ?? '';
      if (chunk.usage) usageChunks++;
    }
    assert.equal(text, 'You said: stream for the sdk ');
    assert.match(reasoning, /^Thinking about:/);
    assert.equal(usageChunks, 1);

    const tools = stream(await sdk.chat.send({
      chatRequest: {
        model: 'emulator/echo',
        stream: true,
        tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
        messages: [{ role: 'user', content: 'use tool please' }],
      },
    }));
    let args = '';
    for await (const chunk of tools) args += chunk.choices[0]?.delta.toolCalls?.[0]?.function?.arguments ?? '';
    assert.deepEqual(JSON.parse(args), { q: 'use tool please' });
  });

  it('answers errors the SDK recognises as OpenRouter errors (401, 403, 404, 400)', async () => {
    const stranger = new OpenRouter({ apiKey: 'sk-or-v1-unknown', serverURL: emulator.baseUrl, retryConfig: { strategy: 'none' } });
    await assert.rejects(stranger.apiKeys.getCurrentKeyMetadata(), UnauthorizedResponseError);
    await assert.rejects(sdk.credits.getCredits(), ForbiddenResponseError);
    await assert.rejects(sdk.generations.getGeneration({ id: 'gen-unknown' }), NotFoundResponseError);
    await assert.rejects(sdk.chat.send({ chatRequest: { model: 'nobody/no-such-model', messages: [{ role: 'user', content: 'x' }] } }), BadRequestResponseError);
  });

  it('parses a mid-stream error chunk', async () => {
    emulator.addFault({ path: '/chat/completions', fault: { type: 'error-chunk', afterChunks: 1, code: 502, message: 'Upstream died' } });
    const reply = stream(await sdk.chat.send({ chatRequest: { model: 'openai/gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] } }));
    const errors: unknown[] = [];
    for await (const chunk of reply) if (chunk.error) errors.push(chunk.error);
    assert.deepEqual(errors, [{ code: 502, message: 'Upstream died' }]);
  });
});

import assert from 'node:assert/strict';
import http from 'node:http';
import { startEmulator, keyFingerprint, type Emulator } from '../index';
import { auth, dataEvents, managementKey, open, send, testKey } from '../rawClient';
import { waitFor } from '../../support/waitFor';

interface Chunk {
  id: string;
  choices: Array<{ delta: { content?: string | null; reasoning?: string; tool_calls?: Array<{ id?: string; function: { name?: string; arguments?: string } }> }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; cost: number };
}

interface ModelEntry {
  id: string;
  pricing: Record<string, string>;
  context_length: number;
  architecture: { input_modalities: string[]; output_modalities: string[] };
  top_provider: { is_moderated: boolean };
  supported_parameters: string[];
  per_request_limits: null;
}

const chatPath = '/api/v1/chat/completions';

function chatBody(content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'openai/gpt-4o', messages: [{ role: 'user', content }], ...extra };
}

function contentOf(events: unknown[]): string {
  return (events.filter((e) => e !== '[DONE]') as Chunk[]).map((e) => e.choices[0]?.delta.content ?? '').join('');
}

/** Polls /generation the way a client must: it answers 404 until the stats are ready. */
async function generationWhenReady(emulator: Emulator, id: string): Promise<Record<string, unknown>> {
  const path = `/api/v1/generation?id=${encodeURIComponent(id)}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    const res = await send(emulator.origin, { path, headers: auth() });
    if (res.status === 200) return (JSON.parse(res.body) as { data: Record<string, unknown> }).data;
    assert.equal(res.status, 404);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('generation stats never became ready');
}

describe('emulator endpoints', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ generationReadyAfterMs: 150 });
  });
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  describe('GET /models', () => {
    it('lists about 320 text-output models with per-token price strings', async () => {
      const res = await send(emulator.origin, { path: '/api/v1/models' });
      assert.equal(res.status, 200);
      const body = JSON.parse(res.body) as { data: ModelEntry[]; total_count: number; links: { next: null } };
      assert.ok(body.data.length >= 300 && body.data.length <= 340, `${body.data.length} models`);
      assert.equal(body.total_count, body.data.length);
      assert.equal(new Set(body.data.map((m) => m.id)).size, body.data.length, 'ids are unique');
      for (const model of body.data) {
        assert.match(model.id, /^[a-z0-9-]+\/[a-z0-9.:-]+$/);
        assert.equal(typeof model.pricing.prompt, 'string');
        // The Auto Router's price depends on the model it picks: OpenRouter sends "-1".
        assert.match(model.pricing.prompt!, model.id === 'openrouter/auto' ? /^-1$/ : /^\d+(\.\d+)?$/, 'plain decimal, never exponent notation');
        assert.ok(model.architecture.output_modalities.includes('text'));
        assert.equal(model.per_request_limits, null);
      }
      const gpt4o = body.data.find((m) => m.id === 'openai/gpt-4o');
      assert.ok(gpt4o && Number(gpt4o.pricing.prompt) > 0 && Number(gpt4o.pricing.prompt) < 0.0001);
      const free = body.data.filter((m) => m.id.endsWith(':free'));
      assert.ok(free.length >= 10);
      assert.ok(free.every((m) => m.pricing.prompt === '0' && m.pricing.completion === '0'));
      assert.ok(body.data.some((m) => m.supported_parameters.includes('tools')));
      assert.ok(body.data.some((m) => m.supported_parameters.includes('reasoning')));
      assert.ok(body.data.some((m) => m.architecture.input_modalities.includes('image')));
    });

    it('is the same catalogue on every start', async () => {
      const other = await startEmulator();
      try {
        const a = await send(emulator.origin, { path: '/api/v1/models' });
        const b = await send(other.origin, { path: '/api/v1/models' });
        assert.equal(a.body, b.body);
      } finally {
        await other.close();
      }
    });

    it('filters by supported parameters and pages with offset and limit', async () => {
      const tools = JSON.parse((await send(emulator.origin, { path: '/api/v1/models?supported_parameters=tools,reasoning' })).body) as { data: ModelEntry[]; total_count: number };
      assert.ok(tools.data.length > 0);
      assert.ok(tools.data.every((m) => m.supported_parameters.includes('tools') && m.supported_parameters.includes('reasoning')));
      const page = JSON.parse((await send(emulator.origin, { path: '/api/v1/models?offset=100&limit=50' })).body) as { data: ModelEntry[]; total_count: number; links: { next: string | null } };
      const all = JSON.parse((await send(emulator.origin, { path: '/api/v1/models' })).body) as { data: ModelEntry[] };
      assert.deepEqual(page.data.map((m) => m.id), all.data.slice(100, 150).map((m) => m.id));
      assert.equal(page.total_count, all.data.length);
      assert.equal(page.links.next, `${emulator.baseUrl}/models?offset=150&limit=50`);
    });

    it('adds image-only models with output_modalities=all', async () => {
      const text = JSON.parse((await send(emulator.origin, { path: '/api/v1/models' })).body) as { data: ModelEntry[] };
      const all = JSON.parse((await send(emulator.origin, { path: '/api/v1/models?output_modalities=all' })).body) as { data: ModelEntry[] };
      assert.ok(all.data.length > text.data.length);
      assert.ok(all.data.some((m) => !m.architecture.output_modalities.includes('text')));
    });
  });

  describe('GET /key and /credits', () => {
    it('answers 401 with a JSON error for a missing or unknown key', async () => {
      for (const headers of [{}, auth('sk-or-v1-unknown')]) {
        const res = await send(emulator.origin, { path: '/api/v1/key', headers });
        assert.equal(res.status, 401);
        const body = JSON.parse(res.body) as { error: { code: number; message: string } };
        assert.equal(body.error.code, 401);
        assert.ok(body.error.message.length > 0);
        assert.ok(!res.body.includes('sk-or-v1-unknown'), 'the key is not echoed');
      }
    });

    it('describes the current key with every documented field', async () => {
      const res = await send(emulator.origin, { path: '/api/v1/key', headers: auth() });
      assert.equal(res.status, 200);
      const { data } = JSON.parse(res.body) as { data: Record<string, unknown> };
      for (const field of ['label', 'limit', 'limit_reset', 'limit_remaining', 'usage', 'usage_daily', 'usage_weekly', 'usage_monthly', 'byok_usage', 'include_byok_in_limit', 'is_free_tier', 'is_management_key', 'expires_at', 'allowed_data_regions', 'free_model_daily_requests', 'creator_user_id']) {
        assert.ok(field in data, field);
      }
      assert.equal(data.limit_remaining, 7.5);
    });

    it('follows setKey: a changed key state is served, a removed key is refused', async () => {
      emulator.setKey('sk-or-v1-other', { limit: 3, limit_remaining: 1, usage: 2, is_free_tier: true });
      const res = await send(emulator.origin, { path: '/api/v1/key', headers: auth('sk-or-v1-other') });
      assert.equal((JSON.parse(res.body) as { data: { limit_remaining: number; is_free_tier: boolean } }).data.limit_remaining, 1);
      emulator.setKey('sk-or-v1-other', null);
      assert.equal((await send(emulator.origin, { path: '/api/v1/key', headers: auth('sk-or-v1-other') })).status, 401);
    });

    it('answers /credits 403 for an ordinary key and the totals for a management key', async () => {
      const refused = await send(emulator.origin, { path: '/api/v1/credits', headers: auth() });
      assert.equal(refused.status, 403);
      assert.equal((JSON.parse(refused.body) as { error: { message: string } }).error.message, 'Only management keys can perform this operation');
      emulator.setCredits({ total_credits: 40, total_usage: 12.5 });
      const ok = await send(emulator.origin, { path: '/api/v1/credits', headers: auth(managementKey) });
      assert.equal(ok.status, 200);
      assert.deepEqual(JSON.parse(ok.body), { data: { total_credits: 40, total_usage: 12.5 } });
      assert.equal((await send(emulator.origin, { path: '/api/v1/credits' })).status, 401);
    });
  });

  describe('POST /chat/completions', () => {
    it('refuses a request without a valid key (401) and bad bodies (400)', async () => {
      assert.equal((await send(emulator.origin, { path: chatPath, body: chatBody('hi') })).status, 401);
      const cases: unknown[] = ['{not json', { model: 'openai/gpt-4o' }, { messages: [{ role: 'user', content: 'hi' }] }, chatBody('hi', { model: 'nobody/no-such-model' })];
      for (const body of cases) {
        const res = await send(emulator.origin, { path: chatPath, headers: auth(), body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal((JSON.parse(res.body) as { error: { code: number } }).error.code, 400);
      }
    });

    it('answers a completion that echoes the prompt, with usage costed from the model prices', async () => {
      const res = await send(emulator.origin, { path: chatPath, headers: auth(), body: chatBody('hello there') });
      assert.equal(res.status, 200);
      const completion = JSON.parse(res.body) as { id: string; provider: string; model: string; choices: Array<{ message: { content: string }; finish_reason: string }>; usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; cost: number } };
      assert.match(completion.id, /^gen-/);
      assert.equal(res.headers['x-generation-id'], completion.id);
      assert.equal(completion.model, 'openai/gpt-4o');
      assert.ok(completion.provider);
      assert.match(completion.choices[0]!.message.content, /^You said: hello there /);
      assert.equal(completion.choices[0]!.finish_reason, 'stop');
      const models = JSON.parse((await send(emulator.origin, { path: '/api/v1/models' })).body) as { data: ModelEntry[] };
      const pricing = models.data.find((m) => m.id === 'openai/gpt-4o')!.pricing;
      const { usage } = completion;
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
      const expected = usage.prompt_tokens * Number(pricing.prompt) + usage.completion_tokens * Number(pricing.completion);
      assert.ok(Math.abs(usage.cost - expected) < 1e-9, `${usage.cost} vs ${expected}`);
    });

    it('streams the same text as SSE chunks, then a usage chunk with empty choices, then [DONE]', async () => {
      const plain = JSON.parse((await send(emulator.origin, { path: chatPath, headers: auth(), body: chatBody('stream me') })).body) as { choices: Array<{ message: { content: string } }> };
      const res = await send(emulator.origin, { path: chatPath, headers: auth(), body: chatBody('stream me', { stream: true }) });
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^text\/event-stream/);
      assert.ok(/^(data: .+\n\n)+$/.test(res.body), 'only data events separated by blank lines');
      const events = dataEvents(res.body);
      assert.equal(events.at(-1), '[DONE]');
      const usageChunk = events.at(-2) as Chunk;
      assert.deepEqual(usageChunk.choices, []);
      assert.ok(usageChunk.usage && usageChunk.usage.cost > 0);
      const chunks = events.slice(0, -2) as Chunk[];
      assert.ok(chunks.length > 3, 'the content arrives in several chunks');
      assert.ok(chunks.every((c) => c.id === res.headers['x-generation-id']));
      assert.equal(chunks.at(-1)!.choices[0]!.finish_reason, 'stop');
      assert.equal(contentOf(events), plain.choices[0]!.message.content);
      await waitFor('the stream to count as completed', () => emulator.counters().streamsCompleted === 1);
    });

    it('sends exactly the chunks asked for with [[chunks:N]], cut by max_tokens with finish_reason length', async () => {
      const forty = dataEvents((await send(emulator.origin, { path: chatPath, headers: auth(), body: chatBody('count [[chunks:40]]', { stream: true }) })).body) as Chunk[];
      assert.equal(forty.filter((e) => typeof e === 'object' && e.choices[0]?.delta.content).length, 40);
      const cut = JSON.parse((await send(emulator.origin, { path: chatPath, headers: auth(), body: chatBody('count [[chunks:40]]', { max_tokens: 3 }) })).body) as { choices: Array<{ message: { content: string }; finish_reason: string }> };
      assert.equal(cut.choices[0]!.message.content, 'You said: count ');
      assert.equal(cut.choices[0]!.finish_reason, 'length');
    });

    it('streams [[echo]] text back verbatim in pieces of [[chunksize:N]]', async () => {
      const hostile = '<img src=x onerror=alert(1)> ```js\nwhile(1){}\n``` ünïcødé 🎉 \u202e';
      const res = await send(emulator.origin, { path: chatPath, headers: auth(), body: chatBody(`[[chunksize:3]][[echo]]${hostile}`, { stream: true }) });
      const events = dataEvents(res.body) as Chunk[];
      assert.equal(contentOf(events), hostile);
      const pieces = events.map((e) => (typeof e === 'object' ? e.choices[0]?.delta.content : undefined)).filter((c): c is string => !!c);
      assert.equal(pieces.length, Math.ceil(Array.from(hostile).length / 3));
    });

    it('streams reasoning deltas first when asked on a reasoning model, and none otherwise', async () => {
      const body = { model: 'deepseek/deepseek-r1', messages: [{ role: 'user', content: 'why' }], stream: true, reasoning: { effort: 'low' } };
      const events = dataEvents((await send(emulator.origin, { path: chatPath, headers: auth(), body })).body) as Chunk[];
      const reasoning = events.map((e) => (typeof e === 'object' ? e.choices[0]?.delta.reasoning ?? '' : '')).join('');
      assert.equal(reasoning, 'Thinking about: why. ');
      assert.ok(!(events[0] as Chunk).choices[0]?.delta.content, 'reasoning comes before content');
      const plain = dataEvents((await send(emulator.origin, { path: chatPath, headers: auth(), body: { ...body, reasoning: { exclude: true } } })).body) as Chunk[];
      assert.ok(plain.every((e) => typeof e !== 'object' || !e.choices[0]?.delta.reasoning));
    });

    it('answers with a streamed tool call when tools are offered and asked for, then uses the tool result', async () => {
      const tools = [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }];
      const first = dataEvents((await send(emulator.origin, { path: chatPath, headers: auth(), body: chatBody('please use tool', { stream: true, tools }) })).body) as Chunk[];
      const calls = first.flatMap((e) => (typeof e === 'object' ? e.choices[0]?.delta.tool_calls ?? [] : []));
      assert.ok(calls.length > 2, 'arguments arrive in several pieces');
      assert.equal(calls[0]!.function.name, 'read_file');
      assert.deepEqual(JSON.parse(calls.map((c) => c.function.arguments ?? '').join('')), { path: 'please use tool' });
      assert.ok(first.some((e) => typeof e === 'object' && e.choices[0]?.finish_reason === 'tool_calls'));
      const messages = [
        { role: 'user', content: 'please use tool' },
        { role: 'assistant', content: null, tool_calls: [{ id: calls[0]!.id, type: 'function', function: { name: 'read_file', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: calls[0]!.id, content: 'file body 42' },
      ];
      const second = JSON.parse((await send(emulator.origin, { path: chatPath, headers: auth(), body: { model: 'openai/gpt-4o', messages, tools } })).body) as { choices: Array<{ message: { content: string } }> };
      assert.match(second.choices[0]!.message.content, /^Tool result: file body 42 /);
    });

    it('records what the client sent: routing fields, session id, headers, with the key redacted', async () => {
      const body = chatBody('hi', { provider: { sort: 'price', allow_fallbacks: false }, session_id: 'session-7', models: ['openai/gpt-4o', 'anthropic/claude-sonnet-4'] });
      await send(emulator.origin, { path: chatPath, headers: { ...auth(), 'http-referer': 'https://example.test/app', 'x-title': 'App' }, body });
      const seen = emulator.requests().at(-1)!;
      assert.equal(seen.method, 'POST');
      assert.equal(seen.path, '/chat/completions');
      assert.equal(seen.httpVersion, '1.1');
      assert.deepEqual((seen.body as { provider: unknown }).provider, { sort: 'price', allow_fallbacks: false });
      assert.equal((seen.body as { session_id: string }).session_id, 'session-7');
      assert.equal(seen.headers['http-referer'], 'https://example.test/app');
      assert.equal(seen.keyFingerprint, keyFingerprint(testKey));
      assert.ok(!JSON.stringify(emulator.requests()).includes(testKey), 'the key is not stored');
    });
  });

  describe('GET /generation', () => {
    it('answers 404 until the generation is ready, then its stats; 404 for unknown ids', async () => {
      const res = await send(emulator.origin, { path: chatPath, headers: auth(), body: chatBody('cost me') });
      const id = String(res.headers['x-generation-id']);
      const path = `/api/v1/generation?id=${encodeURIComponent(id)}`;
      assert.equal((await send(emulator.origin, { path, headers: auth() })).status, 404);
      const ready = await generationWhenReady(emulator, id);
      const data = ready as { id: string; total_cost: number; streamed: boolean; cancelled: boolean; tokens_completion: number };
      assert.equal(data.id, id);
      assert.equal(data.total_cost, (JSON.parse(res.body) as { usage: { cost: number } }).usage.cost);
      assert.equal(data.streamed, false);
      assert.equal((await send(emulator.origin, { path: '/api/v1/generation?id=gen-unknown', headers: auth() })).status, 404);
      assert.equal((await send(emulator.origin, { path })).status, 401);
    });
  });

  describe('connections and client aborts', () => {
    it('counts accepted connections: keep-alive reuses one, fresh sockets count each', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; i < 3; i++) await send(emulator.origin, { path: '/api/v1/key', headers: auth(), agent });
        assert.equal(emulator.counters().connectionsAccepted, 1);
        assert.equal(emulator.counters().openConnections, 1);
        for (let i = 0; i < 2; i++) await send(emulator.origin, { path: '/api/v1/key', headers: auth(), agent: false });
        const counters = emulator.counters();
        assert.equal(counters.connectionsAccepted, 3);
        assert.equal(counters.requests, 5);
        assert.equal(counters.requestsByPath['/key'], 5);
        assert.deepEqual(new Set(emulator.requests().slice(0, 3).map((r) => r.connectionId)).size, 1);
      } finally {
        agent.destroy();
      }
      await waitFor('sockets to close', () => emulator.counters().openConnections === 0);
    });

    it('drops idle keep-alive sockets on dropAllConnections, as a restart would', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        await send(emulator.origin, { path: '/api/v1/models', agent });
        const socket = Object.values(agent.freeSockets).flat()[0];
        assert.ok(socket, 'an idle socket is kept');
        const closed = new Promise((resolve) => socket.once('close', resolve));
        emulator.dropAllConnections();
        await closed;
        await waitFor('the server to forget the socket', () => emulator.counters().openConnections === 0);
      } finally {
        agent.destroy();
      }
    });

    it('thinks serverDelayMs before answering, and counts a stream abandoned during that wait', async () => {
      const slow = await startEmulator({ serverDelayMs: 150, chunkDelayMs: 20 });
      try {
        const started = Date.now();
        const res = await send(slow.origin, { path: chatPath, headers: auth(), body: chatBody('slow [[chunks:6]]', { stream: true }) });
        // Six timers (the wait, then five gaps between chunks): Node may fire each up to a millisecond early.
        assert.ok(Date.now() - started >= 150 + 5 * 20 - 6, `answered after ${Date.now() - started} ms`);
        assert.equal(dataEvents(res.body).at(-1), '[DONE]');
        const controller = new AbortController();
        const pending = fetch(`${slow.baseUrl}/chat/completions`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(chatBody('x', { stream: true })), signal: controller.signal });
        await waitFor('the second request to arrive', () => slow.counters().requests === 2);
        controller.abort();
        await assert.rejects(pending);
        await waitFor('the abandoned stream to be counted', () => slow.counters().streamsAbortedByClient === 1);
      } finally {
        await slow.close();
      }
    });

    it('stops sending and counts the stream when the client closes it early', async () => {
      const stream = await open(emulator.origin, { path: chatPath, headers: auth(), body: { model: 'emulator/long', stream: true, messages: [{ role: 'user', content: 'go' }] } });
      const id = String(stream.headers['x-generation-id']);
      for (let i = 0; i < 3; i++) assert.ok(await stream.next());
      stream.destroy();
      await waitFor('the abort to be counted', () => emulator.counters().streamsAbortedByClient === 1);
      assert.equal(emulator.counters().streamsCompleted, 0);
      const stats = (await generationWhenReady(emulator, id)) as { cancelled: boolean; tokens_completion: number };
      assert.equal(stats.cancelled, true);
      assert.ok(stats.tokens_completion < 2000, `billed ${stats.tokens_completion} of 2000 chunks`);
    });
  });
});

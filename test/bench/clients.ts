// The clients compared, each behind the same small surface so every workload runs unchanged on each.
// Peers are used the way their documentation shows, with their default connection handling.
import https from 'node:https';
import { Agent, Client } from 'undici';
import { createParser } from 'eventsource-parser';
import { OpenRouterProvider } from '../../src/openrouter/index';
import type { ChatRequest, ProviderOptions } from '../../src/openrouter/types';
import type { ClientKind } from './config';

export interface StreamResult {
  contentChunks: number;
  chars: number;
}

export interface BenchClient {
  chat(prompt: string): Promise<{ id: string }>;
  stream(prompt: string): Promise<StreamResult>;
  models(): Promise<number>;
  key(): Promise<void>;
  credits(): Promise<void>;
  generation(id: string): Promise<void>;
  /** The client's own connection count, when it keeps one. */
  connectionsOpened?(): number;
  close(): Promise<void>;
}

export interface ClientTarget {
  baseUrl: string;
  apiKey: string;
}

export const benchModel = 'emulator/echo';

function chatRequest(prompt: string): ChatRequest {
  return { model: benchModel, messages: [{ role: 'user', content: prompt }] };
}

interface ChunkLike {
  choices?: Array<{ delta?: { content?: string | null } }>;
}

function countChunk(result: StreamResult, chunk: ChunkLike): void {
  const content = chunk.choices?.[0]?.delta?.content;
  if (content) {
    result.contentChunks++;
    result.chars += content.length;
  }
}

function providerClient(target: ClientTarget, extra: Partial<ProviderOptions>): BenchClient {
  const provider = new OpenRouterProvider({ apiKey: target.apiKey, baseUrl: target.baseUrl, ...extra });
  return {
    chat: async (prompt) => ({ id: (await provider.execute(chatRequest(prompt))).id }),
    stream: async (prompt) => {
      const result = { contentChunks: 0, chars: 0 };
      for await (const chunk of provider.streamExecute({ ...chatRequest(prompt), stream: true })) countChunk(result, chunk);
      return result;
    },
    models: async () => (await provider.listModels()).length,
    key: async () => {
      const result = await provider.validateConfig();
      if (!result.ok) throw new Error(`GET /key failed: ${result.message}`);
    },
    credits: async () => {
      await provider.getCredits();
    },
    generation: async (id) => {
      await provider.getGenerationStats(id);
    },
    connectionsOpened: () => provider.stats().connectionsOpened,
    close: () => provider.close(),
  };
}

/** The same provider code, but each call on a connection of its own that is closed afterwards. */
function freshConnectionClient(target: ClientTarget): BenchClient {
  const origin = new URL(target.baseUrl).origin;
  async function once<T>(call: (provider: OpenRouterProvider) => Promise<T>): Promise<T> {
    const dispatcher = new Client(origin);
    const provider = new OpenRouterProvider({ apiKey: target.apiKey, baseUrl: target.baseUrl, dispatcher });
    try {
      return await call(provider);
    } finally {
      await provider.close();
      await dispatcher.close();
    }
  }
  return {
    chat: (prompt) => once(async (p) => ({ id: (await p.execute(chatRequest(prompt))).id })),
    stream: (prompt) =>
      once(async (p) => {
        const result = { contentChunks: 0, chars: 0 };
        for await (const chunk of p.streamExecute({ ...chatRequest(prompt), stream: true })) countChunk(result, chunk);
        return result;
      }),
    models: () => once(async (p) => (await p.listModels()).length),
    key: () =>
      once(async (p) => {
        const result = await p.validateConfig();
        if (!result.ok) throw new Error(`GET /key failed: ${result.message}`);
      }),
    credits: () => once(async (p) => void (await p.getCredits())),
    generation: (id) => once(async (p) => void (await p.getGenerationStats(id))),
    close: async () => undefined,
  };
}

/** Node's built-in fetch (its global keep-alive agent), as a user without a library would write it. */
function fetchClient(target: ClientTarget): BenchClient {
  const headers = { Authorization: `Bearer ${target.apiKey}`, 'Content-Type': 'application/json' };
  async function getJson<T>(path: string): Promise<T> {
    const response = await fetch(`${target.baseUrl}${path}`, { headers });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
    return (await response.json()) as T;
  }
  return {
    chat: async (prompt) => {
      const response = await fetch(`${target.baseUrl}/chat/completions`, { method: 'POST', headers, body: JSON.stringify(chatRequest(prompt)) });
      if (!response.ok) throw new Error(`POST /chat/completions answered ${response.status}`);
      return { id: ((await response.json()) as { id: string }).id };
    },
    stream: async (prompt) => {
      const response = await fetch(`${target.baseUrl}/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ ...chatRequest(prompt), stream: true }) });
      if (!response.ok || !response.body) throw new Error(`POST /chat/completions answered ${response.status}`);
      const result = { contentChunks: 0, chars: 0 };
      const parser = createParser({
        onEvent: (event) => {
          if (event.data !== '[DONE]') countChunk(result, JSON.parse(event.data) as ChunkLike);
        },
      });
      const decoder = new TextDecoder();
      for await (const bytes of response.body) parser.feed(decoder.decode(bytes, { stream: true }));
      return result;
    },
    models: async () => (await getJson<{ data: unknown[] }>('/models')).data.length,
    key: async () => void (await getJson('/key')),
    credits: async () => void (await getJson('/credits')),
    generation: async (id) => void (await getJson(`/generation?id=${encodeURIComponent(id)}`)),
    close: async () => undefined,
  };
}

/** Sends one request and hands each decoded piece of the body to `onText`; rejects on a status other than 200. */
type BareCall = (method: string, path: string, body: string | undefined, onText: (text: string) => void) => Promise<void>;

/**
 * Not a peer: the least code Node needs for these calls (a keep-alive agent, no retries, no validation,
 * a naive SSE split). It shows what the machine and the relay allow, apart from any library.
 */
function bareHttpsClient(target: ClientTarget): BenchClient {
  const agent = new https.Agent({ keepAlive: true, maxSockets: Infinity });
  const base = new URL(target.baseUrl);
  const call: BareCall = (method, path, body, onText) =>
    new Promise((resolve, reject) => {
      const request = https.request(
        { host: base.hostname, port: base.port, path: base.pathname + path, method, agent, headers: { Authorization: `Bearer ${target.apiKey}`, 'Content-Type': 'application/json' } },
        (response) => {
          if (response.statusCode !== 200) reject(new Error(`${method} ${path} answered ${response.statusCode}`));
          response.setEncoding('utf8');
          response.on('data', onText);
          response.on('end', resolve);
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  return bareClient(call, async () => agent.destroy());
}

/**
 * Not a peer either: the same naive calls on undici's own dispatch API (a keep-alive Agent, a handler
 * that only decodes the bytes). The provider is built on undici, so this is the floor under its figures.
 */
function bareUndiciClient(target: ClientTarget, h2 = false): BenchClient {
  const base = new URL(target.baseUrl);
  // Over HTTP/2 one Client: every request becomes a stream on its one connection.
  const agent = h2 ? new Client(base.origin, { allowH2: true, pipelining: 100 }) : new Agent();
  const call: BareCall = (method, path, body, onText) =>
    new Promise((resolve, reject) => {
      const decoder = new TextDecoder();
      agent.dispatch(
        {
          origin: base.origin,
          path: base.pathname + path,
          method: method as 'GET' | 'POST',
          body,
          headers: { Authorization: `Bearer ${target.apiKey}`, 'Content-Type': 'application/json' },
          // undici multiplexes only requests marked idempotent on one HTTP/2 connection.
          idempotent: true,
        },
        {
          // undici tells its handler APIs apart by this method.
          onRequestStart: () => {},
          onResponseStart: (_controller, status) => {
            if (status !== 200) reject(new Error(`${method} ${path} answered ${status}`));
          },
          onResponseData: (_controller, chunk) => onText(decoder.decode(chunk, { stream: true })),
          onResponseEnd: () => resolve(),
          onResponseError: (_controller, error) => reject(error),
        },
      );
    });
  return bareClient(call, () => agent.close());
}

function bareClient(call: BareCall, close: () => Promise<void>): BenchClient {
  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    let text = '';
    await call(method, path, body === undefined ? undefined : JSON.stringify(body), (chunk) => (text += chunk));
    return JSON.parse(text) as T;
  }
  return {
    chat: async (prompt) => ({ id: (await json<{ id: string }>('POST', '/chat/completions', chatRequest(prompt))).id }),
    stream: async (prompt) => {
      const result = { contentChunks: 0, chars: 0 };
      let pending = '';
      await call('POST', '/chat/completions', JSON.stringify({ ...chatRequest(prompt), stream: true }), (chunk) => {
        pending += chunk;
        const events = pending.split('\n\n');
        pending = events.pop() ?? '';
        for (const event of events) {
          if (event.startsWith('data: ') && event !== 'data: [DONE]') countChunk(result, JSON.parse(event.slice(6)) as ChunkLike);
        }
      });
      return result;
    },
    models: async () => (await json<{ data: unknown[] }>('GET', '/models')).data.length,
    key: async () => void (await json('GET', '/key')),
    credits: async () => void (await json('GET', '/credits')),
    generation: async (id) => void (await json('GET', `/generation?id=${encodeURIComponent(id)}`)),
    close,
  };
}

async function openaiClient(): Promise<ClientFactory> {
  const { default: OpenAI } = await import('openai');
  const body = (prompt: string) => ({ model: benchModel, messages: [{ role: 'user' as const, content: prompt }] });
  return (target) => {
    const client = new OpenAI({ apiKey: target.apiKey, baseURL: target.baseUrl });
    return {
      chat: async (prompt) => ({ id: (await client.chat.completions.create(body(prompt))).id }),
      stream: async (prompt) => {
        const result = { contentChunks: 0, chars: 0 };
        for await (const chunk of await client.chat.completions.create({ ...body(prompt), stream: true })) countChunk(result, chunk);
        return result;
      },
      models: async () => (await client.models.list()).data.length,
      key: async () => void (await client.get('/key')),
      credits: async () => void (await client.get('/credits')),
      generation: async (id) => void (await client.get('/generation', { query: { id } })),
      close: async () => undefined,
    };
  };
}

async function openrouterSdkClient(): Promise<ClientFactory> {
  const { OpenRouter } = await import('@openrouter/sdk');
  const messages = (prompt: string) => [{ role: 'user' as const, content: prompt }];
  return (target) => {
    const client = new OpenRouter({ apiKey: target.apiKey, serverURL: target.baseUrl });
    return {
      chat: async (prompt) => {
        const response = await client.chat.send({ chatRequest: { model: benchModel, messages: messages(prompt), stream: false } });
        if (!('choices' in response)) throw new Error('expected a chat completion, got a stream');
        return { id: response.id };
      },
      stream: async (prompt) => {
        const result = { contentChunks: 0, chars: 0 };
        const events = await client.chat.send({ chatRequest: { model: benchModel, messages: messages(prompt), stream: true } });
        if ('choices' in events) throw new Error('expected a stream, got a chat completion');
        for await (const chunk of events as unknown as AsyncIterable<ChunkLike>) countChunk(result, chunk);
        return result;
      },
      models: async () => (await client.models.list()).result.data.length,
      key: async () => void (await client.apiKeys.getCurrentKeyMetadata()),
      credits: async () => void (await client.credits.getCredits()),
      generation: async (id) => void (await client.generations.getGeneration({ id })),
      close: async () => undefined,
    };
  };
}

export type ClientFactory = (target: ClientTarget) => BenchClient;

/** Loads the client's library (outside any timed region) and returns how to make one. */
export async function loadClient(kind: ClientKind): Promise<ClientFactory> {
  switch (kind) {
    case 'provider':
      return (target) => providerClient(target, { allowH2: false });
    case 'provider-h2':
      return (target) => providerClient(target, { allowH2: true });
    case 'fresh-connection':
      return freshConnectionClient;
    case 'node-fetch':
      return fetchClient;
    case 'openai-sdk':
      return openaiClient();
    case 'openrouter-sdk':
      return openrouterSdkClient();
    case 'bare-https':
      return bareHttpsClient;
    case 'bare-undici':
      return (target) => bareUndiciClient(target);
    case 'bare-undici-h2':
      return (target) => bareUndiciClient(target, true);
  }
}

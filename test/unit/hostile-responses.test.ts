import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  APIError, OpenRouterProvider, ParseError, StreamError, type ChatCompletionChunk, type OpenRouterError,
} from '../../src/openrouter/index';
import { formatContextLength, formatModelDetail, formatModality, formatPricePerMillion, isFreeModel, modelDisplayName } from '../../src/models/modelFormat';
import { KEY, chat, rejectionOf, useRig } from '../support/providerHarness';

async function drain(provider: OpenRouterProvider, content = '[[chunks:3]] hi'): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of provider.streamExecute(chat(content)) as AsyncIterable<ChatCompletionChunk>) chunks.push(chunk);
  return chunks;
}

function assertTyped(error: unknown, type: new (...args: never[]) => OpenRouterError): asserts error is OpenRouterError {
  assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
  assert.ok(error.message.trim().length > 0);
  assert.ok(error.message.length < 400, `message bounded: ${error.message.length} chars`);
}

describe('hostile and broken responses', function () {
  this.timeout(60_000);
  const rig = useRig({}, { maxRetries: 1 });
  const raw = (path: string, body: string, options: { contentType?: string; status?: number; repeat?: number } = {}): void => {
    rig().emulator.addFault({ path, fault: { type: 'raw', body, ...options } });
  };

  for (const [name, body] of [
    ['invalid JSON', '{"data": [nope]}'],
    ['truncated JSON', '{"data":[{"id":"openai/gpt-4o","pricing":{"prompt":"0.0000'],
    ['an empty body', ''],
    ['binary that is not UTF-8', '\u00ff\u00fe\u0000\u0001garbage'],
  ] as const) {
    it(`rejects ${name} with a ParseError on every JSON endpoint, and validateConfig reports it`, async () => {
      const { provider } = rig();
      for (const [path, call] of [
        ['/models', () => provider.listModels()],
        ['/credits', () => provider.getCredits()],
        ['/chat/completions', () => provider.execute(chat('hi'))],
        ['/generation', () => provider.getGenerationStats('gen-1')],
      ] as const) {
        raw(path, body);
        assertTyped(await rejectionOf(call()), ParseError);
      }
      raw('/key', body);
      const answer = await provider.validateConfig();
      assert.equal(answer.ok, false);
    });
  }

  for (const [name, body] of [
    ['null', 'null'], ['an array', '[]'], ['a number', '42'], ['data as an object', '{"data":{}}'], ['data as null', '{"data":null}'],
  ] as const) {
    it(`rejects a models answer that is ${name} with a ParseError`, async () => {
      raw('/models', body);
      assertTyped(await rejectionOf(rig().provider.listModels()), ParseError);
    });
  }

  it('passes through models with missing, null and non-numeric fields, and the picker formats them without crashing', async () => {
    const models = [
      { id: 'only/id' },
      { id: 'nulls/everywhere', name: null, pricing: null, architecture: null, context_length: null, top_provider: null, supported_parameters: null },
      { id: 'bad/prices', name: 'Bad prices', pricing: { prompt: 'abc', completion: null, request: '-1', image: {} }, context_length: 'lots' },
      { id: 'numeric/prices', pricing: { prompt: 0.000001, completion: 'NaN' }, context_length: -5, architecture: { modality: 42 } },
      { id: 'huge/prices', pricing: { prompt: '1e308', completion: 'Infinity' }, context_length: 1e300 },
      { id: 'hostile/name', name: '<img src=x onerror=alert(1)>\u202e', description: 'x'.repeat(10_000) },
      { id: 'wrong/types', name: ['x'], architecture: { input_modalities: 'text', output_modalities: [1, null], modality: {} } },
    ];
    raw('/models', JSON.stringify({ data: models }));
    const listed = await rig().provider.listModels();
    assert.deepEqual(listed.map((model) => model.id), models.map((model) => model.id));
    for (const model of listed) {
      for (const text of [
        formatPricePerMillion(model.pricing?.prompt), formatPricePerMillion(model.pricing?.completion), formatContextLength(model.context_length),
        formatModality(model), modelDisplayName(model), formatModelDetail(model), String(isFreeModel(model)),
      ]) {
        assert.equal(typeof text, 'string');
        assert.doesNotMatch(text, /NaN|undefined|\[object Object\]/, `${model.id}: "${text}"`);
      }
    }
  });

  it('reads a 50 MB answer (a model list with a huge description) without failing', async () => {
    const body = `{"data":[{"id":"big/model","description":"${'x'.repeat(50 * 1024 * 1024)}"}]}`;
    raw('/models', body);
    const models = await rig().provider.listModels();
    assert.equal(models[0]?.description?.length, 50 * 1024 * 1024);
  });

  it('refuses an answer beyond the size limit with a ParseError instead of buffering it', async () => {
    raw('/models', 'x', { repeat: 65 * 1024 * 1024 });
    const error = await rejectionOf(rig().provider.listModels());
    assertTyped(error, ParseError);
    assert.match(error.message, /larger than/);
  });

  for (const [name, contentType, body] of [
    ['an HTML page with status 200', 'text/html', '<!DOCTYPE html><html><body>Welcome to the captive portal</body></html>'],
    ['a stream answer to a JSON call', 'text/event-stream', 'data: {"id":"x","choices":[]}\n\ndata: [DONE]\n\n'],
    ['plain text', 'text/plain', 'OK'],
  ] as const) {
    it(`rejects ${name} on a JSON call with a ParseError`, async () => {
      raw('/chat/completions', body, { contentType });
      assertTyped(await rejectionOf(rig().provider.execute(chat('hi'))), ParseError);
    });
  }

  it('does not pass off a 200 completion that carries an error as an answer: a StreamError with the server’s message', async () => {
    rig().emulator.addFault({ path: '/chat/completions', fault: { type: 'error-chunk', code: 502, message: 'Upstream provider failed' } });
    const error = await rejectionOf(rig().provider.execute(chat('hi')));
    assertTyped(error, StreamError);
    assert.equal(error.message, 'Upstream provider failed');
    assert.equal(error.status, 502);
    assert.equal(error.retryable, false, 'it may have been billed: not resent');
    assert.match(String(error.generationId), /^gen-/);
    assert.equal(rig().records.at(-1)?.error, 'Upstream provider failed', 'the network log shows the failure');
  });

  it('rejects a JSON answer to a stream call with a StreamError (no [DONE] ever came)', async () => {
    raw('/chat/completions', JSON.stringify({ id: 'gen-1', choices: [{ message: { role: 'assistant', content: 'hi' } }] }));
    assertTyped(await rejectionOf(drain(rig().provider)), StreamError);
  });

  for (const [name, body, type] of [
    ['an event that is not JSON', 'data: {not json\n\n', ParseError],
    ['an event that is JSON null', 'data: null\n\n', ParseError],
    ['an event that is a number', 'data: 42\n\n', ParseError],
    ['a stream cut before [DONE]', `data: ${JSON.stringify({ id: 'g', choices: [{ delta: { content: 'a' }, finish_reason: null }] })}\n\n`, StreamError],
  ] as const) {
    it(`fails a stream with ${name} with a typed error`, async () => {
      raw('/chat/completions', body, { contentType: 'text/event-stream' });
      assertTyped(await rejectionOf(drain(rig().provider)), type);
    });
  }

  it('tolerates a chunk whose choices are null or missing', async () => {
    const events = [{ id: 'g', choices: null }, { id: 'g' }, { id: 'g', choices: [{ delta: { content: 'ok' }, finish_reason: 'stop' }] }];
    raw('/chat/completions', `${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')}data: [DONE]\n\n`, { contentType: 'text/event-stream' });
    const chunks = await drain(rig().provider);
    assert.deepEqual(chunks.map((chunk) => chunk.choices.length), [0, 0, 1]);
  });

  for (const [name, body, contentType] of [
    ['an error that is a string', '{"error":"boom"}', 'application/json'],
    ['an error with a numeric message', '{"error":{"message":42,"code":{}}}', 'application/json'],
    ['a 2 MB HTML page', `<html>${'<p>cloudflare</p>'.repeat(120_000)}</html>`, 'text/html'],
    ['plain text', 'upstream connect error or disconnect/reset before headers', 'text/plain'],
  ] as const) {
    it(`turns an HTTP 400 with ${name} into an APIError with a short, readable message`, async () => {
      raw('/chat/completions', body, { status: 400, contentType });
      const error = await rejectionOf(rig().provider.execute(chat('hi')));
      assertTyped(error, APIError);
      assert.equal(error.status, 400);
    });
  }
});

describe('an endless SSE line', function () {
  this.timeout(30_000);
  let server: http.Server;
  let clientGone: Promise<void>;
  let sent = 0;

  beforeEach(async () => {
    sent = 0;
    let markGone: () => void = () => {};
    clientGone = new Promise((resolve) => (markGone = resolve));
    // Streams `data: xxxx…` forever, never a newline, until the client hangs up.
    server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: ');
      const piece = 'x'.repeat(256 * 1024);
      const pump = (): void => {
        while (!res.destroyed && res.write(piece)) sent += piece.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', markGone);
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails with a ParseError at the buffer limit and hangs up, instead of growing without bound', async () => {
    const { port } = server.address() as AddressInfo;
    const provider = new OpenRouterProvider({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/api/v1` });
    try {
      const error = await rejectionOf(drain(provider));
      assertTyped(error, ParseError);
      assert.match(error.message, /exceeded \d+ characters/);
      await clientGone;
      assert.ok(sent < 64 * 1024 * 1024, `the client stopped reading after ${sent} bytes`);
    } finally {
      await provider.close();
    }
  });
});

import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../index';
import { defaultMiddle, planMiddle } from '../fimMiddle';
import { auth, dataEvents, send } from '../rawClient';

const path = '/api/v1/completions';

interface TextChunk {
  id: string;
  object: string;
  choices: Array<{ text: string; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; cost: number };
}

describe('emulator POST /completions (fill in the middle)', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ completionCorpus: 'export function add(a, b) {\n  return a + b;\n}\n' });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('streams the middle as text_completion chunks, then usage with a cost, then [DONE]', async () => {
    const res = await send(emulator.origin, { path, headers: auth(), body: { model: 'mistralai/codestral-2508', prompt: '// [[fim:return a + b;]]\n  ', suffix: '\n}', stream: true } });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['x-generation-id']), /^gen-/);
    const events = dataEvents(res.body);
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1) as TextChunk[];
    assert.equal(chunks.map((c) => c.choices[0]?.text ?? '').join(''), 'return a + b;');
    assert.ok(chunks.every((c) => c.object === 'text_completion'));
    const usage = chunks.at(-1)?.usage;
    assert.deepEqual(chunks.at(-1)?.choices, []);
    assert.ok(usage && usage.cost > 0 && usage.completion_tokens === 4);
    assert.equal(emulator.counters().streamsCompleted, 1);
    assert.equal(emulator.requests()[0]?.path, '/completions');
  });

  it('answers one JSON body without stream, cut at max_tokens with finish_reason length', async () => {
    const res = await send(emulator.origin, { path, headers: auth(), body: { model: 'mistralai/codestral-2508', prompt: '[[fim:abcdefghijkl]]', max_tokens: 2 } });
    const body = JSON.parse(res.body) as TextChunk;
    assert.equal(body.choices[0]?.text, 'abcdefgh');
    assert.equal(body.choices[0]?.finish_reason, 'length');
    assert.equal(body.usage?.completion_tokens, 2);
  });

  it('refuses a request without a prompt, with an unknown model, or without a key', async () => {
    const noPrompt = await send(emulator.origin, { path, headers: auth(), body: { model: 'mistralai/codestral-2508' } });
    assert.equal(noPrompt.status, 400);
    assert.match(noPrompt.body, /prompt/);
    const unknown = await send(emulator.origin, { path, headers: auth(), body: { model: 'nobody/nothing', prompt: 'x' } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /nobody\/nothing is not a valid model ID/);
    assert.equal((await send(emulator.origin, { path, body: { model: 'mistralai/codestral-2508', prompt: 'x' } })).status, 401);
  });

  it('predicts from its corpus: the prompt\'s end found there is followed by the rest of that line', () => {
    const corpus = 'export function add(a, b) {\n  return a + b;\n}\n';
    assert.equal(planMiddle('// Path: add.ts\nexport function add(a, b) {\n  ret', corpus), 'urn a + b;');
    assert.equal(planMiddle('something the corpus does not hold', corpus), defaultMiddle);
    assert.equal(planMiddle('[[fim:one]] [[fim:two\\nlines]]', corpus), 'two\nlines', 'the last directive wins, \\n is a line break');
  });

  it('gives a chat that asks for the middle the same middle', async () => {
    const res = await send(emulator.origin, { path: '/api/v1/chat/completions', headers: auth(), body: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'File a.ts:\n// [[fim:x + 1]]\nconst y = <CURSOR>' }] } });
    const body = JSON.parse(res.body) as { choices: Array<{ message: { content: string } }> };
    assert.equal(body.choices[0]?.message.content, 'x + 1');
  });
});

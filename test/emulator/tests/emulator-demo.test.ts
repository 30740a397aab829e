import assert from 'node:assert/strict';
import { startEmulator } from '../index';
import { auth, dataEvents, send } from '../rawClient';

interface ChatChunk {
  choices: Array<{ delta?: { content?: string } }>;
}

interface ListedModel {
  id: string;
  name: string;
  description: string;
  context_length: number;
  pricing: { prompt: string; completion: string };
  architecture: { input_modalities: string[] };
}

async function modelsOf(demoCatalogue: boolean): Promise<ListedModel[]> {
  const emulator = await startEmulator({ demoCatalogue });
  try {
    const res = await send(emulator.origin, { path: '/api/v1/models' });
    assert.equal(res.status, 200);
    return (JSON.parse(res.body) as { data: ListedModel[] }).data;
  } finally {
    await emulator.close();
  }
}

/** USD per million tokens, as the picker shows it. */
const perMillion = (price: string): number => Math.round(Number(price) * 1e6 * 1000) / 1000;

async function answerOf(demoAnswers: boolean, question: string): Promise<string> {
  const emulator = await startEmulator({ demoAnswers });
  try {
    const res = await send(emulator.origin, { path: '/api/v1/chat/completions', headers: auth(), body: { model: 'openai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: question }] } });
    assert.equal(res.status, 200);
    return (dataEvents(res.body).slice(0, -1) as ChatChunk[]).map((c) => c.choices[0]?.delta?.content ?? '').join('');
  } finally {
    await emulator.close();
  }
}

describe('emulator offline demo (npm start)', () => {
  it('answers a question about reading lines with markdown and a code block, in the demo only', async () => {
    const demo = await answerOf(true, 'How do I read a file line by line in Node.js?');
    assert.match(demo, /```js\nimport \{ createReadStream \} from 'node:fs';/);
    assert.match(demo, /for await \(const line of lines\)/);
    const test = await answerOf(false, 'How do I read a file line by line in Node.js?');
    assert.ok(test.startsWith('You said: How do I read a file line by line in Node.js?'), 'tests keep the predictable echo');
  });

  it('says it is the offline demo, quoting the question, for anything else', async () => {
    const demo = await answerOf(true, 'What is a monad?');
    assert.match(demo, /\*\*offline demo\*\*/);
    assert.match(demo, /> What is a monad\?/);
    assert.match(demo, /snapshot of real OpenRouter models with their prices as of October 2025/);
  });

  it("lists real models at OpenRouter's list prices of the dated snapshot, each saying so, while tests keep their made-up prices", async () => {
    const demo = await modelsOf(true);
    assert.ok(demo.length >= 10 && demo.length <= 20, `${demo.length} models`);
    const mini = demo.find((m) => m.id === 'openai/gpt-4o-mini');
    const gpt4o = demo.find((m) => m.id === 'openai/gpt-4o');
    assert.deepEqual([mini?.name, perMillion(mini!.pricing.prompt), perMillion(mini!.pricing.completion), mini?.context_length], ['OpenAI: GPT-4o-mini', 0.15, 0.6, 128_000]);
    assert.deepEqual([perMillion(gpt4o!.pricing.prompt), perMillion(gpt4o!.pricing.completion)], [2.5, 10]);
    assert.ok(mini!.architecture.input_modalities.includes('image'));
    for (const model of demo) assert.match(model.description, /Prices as of October 2025/, model.id);
    assert.match(demo.find((m) => m.id === 'meta-llama/llama-3.3-70b-instruct')!.description, /approximate/);
    assert.ok(demo.every((m) => !m.id.startsWith('emulator/')), 'no test-only models in the demo');
    // The extension's defaults (chat and inline completions) are in the list.
    assert.ok(demo.some((m) => m.id === 'mistralai/codestral-2508'));

    const test = await modelsOf(false);
    const testMini = test.find((m) => m.id === 'openai/gpt-4o-mini');
    assert.notEqual(perMillion(testMini!.pricing.prompt), 0.15, 'the tests keep their own prices');
    assert.ok(test.length > 300);
  });
});

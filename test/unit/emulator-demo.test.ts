import assert from 'node:assert/strict';
import { startEmulator } from '../emulator';
import { auth, dataEvents, send } from '../emulator/rawClient';

interface ChatChunk {
  choices: Array<{ delta?: { content?: string } }>;
}

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

describe('emulator demo answers (npm start)', () => {
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
  });
});

// Answers for the offline demo (`npm start`, the README's screenshots; the CLI's --demo-answers): markdown that
// reads like a model's, so the chat can be tried and shown without OpenRouter. Tests never turn it on: their
// answers stay the exact, predictable echo of answer.ts.
import { DEMO_PRICES_AS_OF } from './demoModels';

const readLines = `Use the built-in \`readline\` module over a read stream: it hands you one line at a time without loading the whole file.

\`\`\`js
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const lines = createInterface({ input: createReadStream('notes.txt'), crlfDelay: Infinity });
for await (const line of lines) {
  console.log(line);
}
\`\`\`

- \`crlfDelay: Infinity\` treats \`\\r\\n\` as one line break.
- The loop reads as it goes, so files larger than memory work too.`;

function general(question: string): string {
  const asked = question.length > 120 ? `${question.slice(0, 117)}…` : question;
  return `This is the **offline demo**: the answer comes from the local OpenRouter emulator, not a model. You asked:

> ${asked.replace(/\n/g, ' ')}

With an OpenRouter key (\`OPENROUTER_API_KEY\`, or **OpenRouter: Set API Key**) the same chat streams real answers from the model you pick. Meanwhile, everything around the answer works here:

1. The footer below shows the provider, tokens, cost and speed.
2. **Copy**, **Regenerate** and **Edit** work on every turn.
3. Type \`@\` to attach a file, or compare models side by side with **OpenRouter: Compare Models**.

The model list is a snapshot of real OpenRouter models with their prices as of ${DEMO_PRICES_AS_OF}; today's are on openrouter.ai/models.`;
}

/** The demo's answer to a question. */
export function demoAnswer(question: string): string {
  if (/\bline by line\b|\breadline\b/i.test(question)) return readLines;
  return general(question.trim() || 'nothing');
}

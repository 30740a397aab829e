// A long technical answer as a model streams it (prose, lists, a table, code in three languages), for the
// webview benchmarks.

/** A long technical answer: prose, lists, a table and code blocks in three languages, cut into ~4-char tokens. */
export function answerTokens(count: number): string[] {
  const sections = [
    'Here is how the pooled client works, step by step.\n\n',
    '## Overview\n\nThe provider keeps **one** connection pool per origin, so every feature shares *warm* sockets. See [the docs](https://openrouter.ai/docs) for details.\n\n',
    '1. Open the pool once.\n2. Reuse sockets across calls.\n3. Close them on shutdown.\n\n',
    '```typescript\nexport async function stream(provider: Provider, prompt: string): Promise<string> {\n  let text = "";\n  for await (const chunk of provider.streamExecute({ model: "openai/gpt-4o", messages: [{ role: "user", content: prompt }] })) {\n    text += chunk.choices[0]?.delta.content ?? "";\n  }\n  return text;\n}\n```\n\n',
    '| Setting | Default | Meaning |\n|---|---:|---|\n| poolSize | 10 | kept-alive sockets |\n| maxRetries | 3 | attempts after the first |\n\n',
    '```python\ndef backoff(attempt: int, base: float = 0.5, cap: float = 8.0) -> float:\n    """Capped exponential backoff with jitter."""\n    delay = min(cap, base * 2 ** attempt)\n    return delay * (0.75 + random.random() * 0.25)\n```\n\n',
    '> Note: a stream that has started is never retried, because the text was already shown.\n\n',
    '```json\n{ "model": "anthropic/claude-sonnet-4.5", "stream": true, "provider": { "sort": "throughput" } }\n```\n\n',
    'Finally, measure it: run the benchmark and compare the `p50` and `p95` latencies with and without reuse.\n\n',
  ];
  const tokens: string[] = [];
  for (let i = 0; tokens.length < count; i++) {
    const section = sections[i % sections.length]!;
    for (const piece of section.match(/[\s\S]{1,4}/g) ?? []) {
      tokens.push(piece);
      if (tokens.length === count) break;
    }
  }
  return tokens;
}

/** A long conversation as it is stored: `count` turns, questions and answers in turn, answers of varied length. */
export function longConversationTurns(count: number): Array<Record<string, unknown>> {
  const turns: Array<Record<string, unknown>> = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      turns.push({ role: 'user', id: `u${i}`, content: `Question ${i}: how does the pooled client handle case ${i}?`, createdAt: now });
      continue;
    }
    // Answers of 300 to 2,100 tokens; each code block made unique, as real answers are (no cache hit for free).
    const content = answerTokens(300 + ((i * 397) % 1800)).join('').replace(/\n```\n/g, `\n// answer ${i}\n\`\`\`\n`);
    turns.push({ role: 'assistant', id: `a${i}`, content, reasoning: '', model: 'openai/gpt-4o', status: 'done', createdAt: now, stats: { source: 'usage', model: 'openai/gpt-4o', provider: 'OpenAI', promptTokens: 100, completionTokens: 900, costUsd: 0.01 } });
  }
  return turns;
}

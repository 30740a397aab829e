// The comparison client: what an extension without a pool of its own does, one `fetch` per completion
// (undici's fetch, as Node's global fetch is, trusting the emulator's CA), reading the SSE stream by hand.
import { Agent, fetch } from 'undici';
import type { PromptSender } from '../../../src/completions/completionEngine';

export function fetchSender(baseUrl: string, apiKey: string, ca: string): { send: PromptSender; close(): Promise<void> } {
  const dispatcher = new Agent({ connect: { ca } });
  const send: PromptSender = async (prompt, signal, limits) => {
    if (prompt.kind !== 'text') throw new Error('the benchmark uses a fill-in-the-middle model');
    const res = await fetch(`${baseUrl}/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...prompt.request, stream: true }),
      signal,
      dispatcher,
    });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let buffered = '';
    let text = '';
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = event.startsWith('data: ') ? event.slice(6) : '';
          if (!data || data === '[DONE]') continue;
          text += (JSON.parse(data) as { choices: Array<{ text?: string }> }).choices[0]?.text ?? '';
        }
        if (text.length >= limits.maxChars || (limits.singleLine && text.includes('\n'))) break;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    return text;
  };
  return { send, close: () => dispatcher.close() };
}

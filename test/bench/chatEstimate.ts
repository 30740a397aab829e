// The composer's estimate runs after each pause in typing, over every message the request would carry.
// This times it for a conversation carrying large attachments (prints the distribution in ms).
// npm run bench:estimate [-- --attachments 8 --kb 250 --runs 200]
import { parseArgs } from 'node:util';
import { buildRequestMessages } from '../../src/chat/attachments/promptBuilder';
import { sendEstimate } from '../../src/chat/attachments/sendEstimate';
import { estimateTextTokens } from '../../src/models/tokenEstimate';
import type { AssistantTurn, TurnAttachment, UserTurn } from '../../src/protocols/chat';

const { values } = parseArgs({ options: { attachments: { type: 'string', default: '8' }, kb: { type: 'string', default: '250' }, runs: { type: 'string', default: '200' } } });
const count = Number(values.attachments);
const kb = Number(values.kb);
const runs = Number(values.runs);

const line = 'export function handler(request: Request): Response { return new Response("ok"); }\n';
const attachment = (i: number): TurnAttachment => {
  const text = `// file ${i}\n${line.repeat(Math.ceil((kb * 1024) / line.length))}`;
  return { id: `a${i}`, kind: 'file', label: `f${i}.ts`, detail: '', path: `src/f${i}.ts`, bytes: text.length, tokens: estimateTextTokens(text), text };
};
const half = Math.ceil(count / 2);
const earlier: UserTurn = { role: 'user', id: 'u1', content: 'Review these files', createdAt: 0, attachments: Array.from({ length: half }, (_, i) => attachment(i)) };
const answer: AssistantTurn = { role: 'assistant', id: 'a1', content: 'A long review. '.repeat(4000), reasoning: '', model: 'anthropic/claude-sonnet-4.5', status: 'done', createdAt: 0 };
const pending = Array.from({ length: count - half }, (_, i) => attachment(half + i));

const times: number[] = [];
let tokens = 0;
for (let run = 0; run < runs; run++) {
  // Each run is a new keystroke: the draft differs, the conversation and attachments do not.
  const next: UserTurn = { role: 'user', id: 'next', content: `What changed in version ${run}?`, createdAt: 0, attachments: pending };
  const started = performance.now();
  const messages = buildRequestMessages({ systemPrompt: 'Be brief.', turns: [earlier, answer] }, { modelId: 'anthropic/claude-sonnet-4.5' }, next);
  tokens = sendEstimate({ modelId: 'anthropic/claude-sonnet-4.5', model: undefined, messages, newImages: 0, cacheableAttachments: 0 }).inputTokens;
  times.push(performance.now() - started);
}
const first = times[0]!;
const rest = times.slice(1).sort((a, b) => a - b);
const at = (q: number): string => rest[Math.min(rest.length - 1, Math.floor(q * rest.length))]!.toFixed(2);
const chars = [...earlier.attachments!, ...pending].reduce((sum, a) => sum + (a.text?.length ?? 0), 0) + answer.content.length;
console.log(`estimate over ${count} attachments of ${kb} KB and a long answer (${(chars / 1e6).toFixed(1)} M characters, ~${tokens.toLocaleString('en-US')} tokens)`);
console.log(`first keystroke ${first.toFixed(1)} ms; then over ${rest.length} keystrokes: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`);

// The secret scan runs before every completion request (on the text around the cursor) and on every attachment.
// This times it on a completion window and on the largest text attachment (prints the distribution in ms).
// npm run bench:secrets [-- --runs 200]
import { parseArgs } from 'node:util';
import { CONTEXT_TOKENS } from '../../src/completions/completionConfig';
import { findSecrets } from '../../src/exclusion/secretScan';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);
const line = 'export function handler(request: Request): Response { return new Response(`ok ${request.url}`); }\n';
const text = (chars: number): string => line.repeat(Math.ceil(chars / line.length)).slice(0, chars);
// The provider reads 6 characters per context token before the cursor and 2 after it.
const cases = [
  { name: 'completion window', chars: CONTEXT_TOKENS * 8 },
  { name: 'largest text attachment', chars: 256 * 1024 },
];

async function main(): Promise<void> {
  const loadStarted = performance.now();
  await findSecrets('warm up');
  console.log(`first scan (loads secretlint): ${(performance.now() - loadStarted).toFixed(1)} ms`);
  for (const { name, chars } of cases) {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      // Each run is another keystroke: the text differs at the cursor.
      const sample = `${text(chars - 8)}${String(run).padStart(8, '0')}`;
      const started = performance.now();
      await findSecrets(sample);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number): string => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
    console.log(`${name} (${chars.toLocaleString('en-US')} characters), ${runs} runs: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`);
  }
}

void main();

// One measured comparison in a process of its own: a fresh provider (cold, as after a window opens),
// the Compare Models run over the given models, timed from start until every column's stream ended.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ComparisonRun } from '../../src/compare/comparisonRun';
import { compareMessages } from '../../src/compare/compareRequest';
import { OpenRouterProvider } from '../../src/openrouter';
import { TEST_KEY } from '../emulator/accounts';

export interface CompareJob {
  baseUrl: string;
  caPath: string;
  models: string[];
  prompt: string;
  allowH2: boolean;
}

export interface CompareChildResult {
  wallMs: number;
  /** Per column: request start → first token, and → stream end, ms. */
  columns: Array<{ model: string; firstTokenMs: number; endMs: number; status: string; chars: number }>;
  connectionsOpened: number;
  posts: number;
  httpVersions: string[];
}

async function measure(job: CompareJob): Promise<CompareChildResult> {
  const provider = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl: job.baseUrl, ca: readFileSync(job.caPath, 'utf8'), allowH2: job.allowH2, maxRetries: 0 });
  const versions = new Set<string>();
  let posts = 0;
  provider.onRequest((record) => {
    if (record.method === 'POST') posts++;
    if (record.httpVersion) versions.add(record.httpVersion);
  });
  const columns = job.models.map((model) => ({ model, firstTokenMs: Number.NaN, endMs: Number.NaN, status: 'streaming', chars: 0 }));
  let ended = 0;
  let allEnded!: () => void;
  const done = new Promise<void>((resolve) => (allEnded = resolve));
  const started = performance.now();
  const run = new ComparisonRun(
    {
      provider: () => provider,
      log: { warn: (message) => console.error(message), debug() {} },
      onEvent: (event) => {
        if (event.type === 'delta') {
          const column = columns[event.column]!;
          if (Number.isNaN(column.firstTokenMs)) column.firstTokenMs = performance.now() - started;
          column.chars += event.text.length;
        } else if (event.type === 'end') {
          columns[event.column]!.endMs = performance.now() - started;
          columns[event.column]!.status = event.status;
          if (++ended === columns.length) allEnded();
        }
      },
      generationRetryDelaysMs: [],
    },
    job.models,
    compareMessages(job.prompt),
  );
  run.start();
  await done;
  const wallMs = performance.now() - started;
  const result = { wallMs, columns, connectionsOpened: provider.stats().connectionsOpened, posts, httpVersions: [...versions] };
  // Timing ends with the streams: the /generation figures are not waited for.
  run.abandon();
  await provider.close();
  return result;
}

process.once('message', (job: CompareJob) => {
  measure(job).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }, () => process.exit(1)),
  );
});

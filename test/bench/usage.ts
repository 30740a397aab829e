// `npm run bench:usage`: what the local usage record costs at its largest. Writes a full record (90 days,
// `--per-day` generations a day spread over `--windows` writer files a day) into a temporary folder, then
// times what the extension does with it: the budget check before each send (this month's spend), the
// Usage view's report (30 days), the CSV, and one record. Cold = a fresh reader (after a reload), warm = a
// reader that read the files before (only changed files are read again). Prints medians of `--reps` runs.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { budgetStatus } from '../../src/usage/budgetMath';
import { UsageFolder } from '../../src/usage/usageFolder';
import { nodeFileStore } from '../../src/storage/nodeFileStore';
import { UsageRecorder } from '../../src/usage/usageRecorder';
import { buildReport, usageCsv, CHART_DAYS } from '../../src/usage/usageReport';
import { RETENTION_DAYS } from '../../src/usage/usageTypes';

const { values } = parseArgs({ options: { 'per-day': { type: 'string', default: '300' }, windows: { type: 'string', default: '3' }, reps: { type: 'string', default: '7' } } });
const perDay = Number(values['per-day']);
const windows = Number(values.windows);
const reps = Number(values.reps);
const DAY = 24 * 60 * 60 * 1000;
const quiet = { warn: (m: string) => console.error(m), debug() {} };
const models = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4.5', 'google/gemini-2.5-flash', 'meta-llama/llama-3.3-70b-instruct', 'deepseek/deepseek-chat'];

async function fill(dir: string, now: number): Promise<void> {
  const writers = Array.from({ length: windows }, (_, w) => new UsageFolder(nodeFileStore, dir, `window${w}`));
  for (let day = RETENTION_DAYS - 1; day >= 0; day--) {
    const appends: Promise<void>[] = [];
    for (let i = 0; i < perDay; i++) {
      const at = now - day * DAY - i * 1000;
      appends.push(
        writers[i % windows]!.append({ id: `gen-${day}-${i}`, at, source: 'chat', model: models[i % models.length]!, provider: 'Provider', promptTokens: 1200, completionTokens: 350, cachedTokens: 200, costUsd: 0.0012, latencyMs: 2400 }),
      );
    }
    await Promise.all(appends);
  }
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-usage-'));
  try {
    const now = Date.now();
    await fill(dir, now);
    const files = readdirSync(dir);
    const bytes = files.reduce((t, f) => t + statSync(join(dir, f)).size, 0);
    const rows: Array<[string, number[]]> = [
      ['budget check, cold (this month)', []],
      ['budget check, warm', []],
      ['Usage view report, cold (30 days)', []],
      ['Usage view report, warm', []],
      ['CSV export, warm', []],
      ['record one generation', []],
    ];
    const off = budgetStatus({ day: 0, month: 0 }, { daily: 0, monthly: 0 });
    for (let r = 0; r < reps; r++) {
      const cold = new UsageRecorder({ folder: new UsageFolder(nodeFileStore, dir, 'bench'), keepPrompts: () => false, log: quiet });
      rows[0]![1].push(await time(() => cold.spend()));
      rows[1]![1].push(await time(() => cold.spend()));
      const coldView = new UsageRecorder({ folder: new UsageFolder(nodeFileStore, dir, 'bench'), keepPrompts: () => false, log: quiet });
      rows[2]![1].push(await time(async () => buildReport(await coldView.entries(CHART_DAYS), now, undefined, off, false)));
      rows[3]![1].push(await time(async () => buildReport(await coldView.entries(CHART_DAYS), now, undefined, off, false)));
      rows[4]![1].push(await time(async () => usageCsv(await coldView.entries(CHART_DAYS), now)));
      rows[5]![1].push(await time(() => coldView.record({ source: 'chat', model: 'openai/gpt-4o-mini', costUsd: 0.001, generationId: `gen-bench-${r}` })));
    }
    console.log(`usage record: ${RETENTION_DAYS} days × ${perDay} generations = ${RETENTION_DAYS * perDay} entries in ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB (Node ${process.version})`);
    console.log(`median of ${reps} runs:`);
    for (const [name, samples] of rows) console.log(`  ${name.padEnd(36)} ${median(samples).toFixed(1).padStart(7)} ms   (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

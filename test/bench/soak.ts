// `npm run soak`: 10,000 mixed calls against the emulator with 5 % injected faults; prints the table and
// writes test/bench/results/soak.json. Options: --calls N --concurrency N --fault-rate 0.05 --seed N.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatSoak, runSoak, type SoakResult } from './soakRun';

function failures(result: SoakResult): string[] {
  const problems: string[] = [];
  if (result.hung > 0) problems.push(`${result.hung} calls hung`);
  if (result.unhandledRejections > 0) problems.push(`${result.unhandledRejections} unhandled rejections`);
  if (result.untypedFailures > 0) problems.push(`${result.untypedFailures} failures were not typed errors with a message`);
  if (result.unexpectedFailures > 0) problems.push(`${result.unexpectedFailures} calls failed that retries should have saved`);
  if (result.wrongKinds > 0) problems.push(`${result.wrongKinds} failures of the wrong kind`);
  if (result.doubleAnswers > 0) problems.push(`${result.doubleAnswers} calls answered twice`);
  if (result.lostErrors > 0) problems.push(`${result.lostErrors} errors lost`);
  if (result.sockets.openAtEnd > result.sockets.poolSize) problems.push(`${result.sockets.openAtEnd} sockets open at the end (pool ${result.sockets.poolSize})`);
  if (result.sockets.openAfterClose > 0 || result.sockets.providerOpenAfterClose > 0) problems.push('sockets left open after close()');
  if (result.heap.available && result.heap.growthMB >= 5) problems.push(`heap grew ${result.heap.growthMB.toFixed(1)} MB`);
  return problems;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '10000' },
      concurrency: { type: 'string', default: '20' },
      'fault-rate': { type: 'string', default: '0.05' },
      seed: { type: 'string', default: '7' },
      out: { type: 'string', default: path.join(__dirname, 'results', 'soak.json') },
    },
  });
  const result = await runSoak({
    calls: Number(values.calls),
    concurrency: Number(values.concurrency),
    faultRate: Number(values['fault-rate']),
    seed: Number(values.seed),
    progress: true,
    emulator: 'child',
  });
  console.log(formatSoak(result));
  mkdirSync(path.dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), values.out)}`);
  const problems = failures(result);
  console.log(problems.length === 0 ? 'soak: every property held' : `soak: FAILED: ${problems.join('; ')}`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}

void main();

// Benchmark run inside the real VS Code's extension host (prints numbers; asserts nothing): the host's JS heap
// before and after 1,000 answers from the emulator, asked through VS Code's language model API (vscode.lm), the
// path every answer of VS Code's own chat takes through the extension: provider, answer pipeline, usage record.
// Run: npm run build && npm run build:tests && node test/vscode-host/run-tests.mjs --suite out/test/bench/host-suite/index.js
// Set OPENROUTER_BENCH_ANSWERS for another count. Results also go to .cache/bench/host-memory.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import { LM_VENDOR } from '../../../src/lm/vendor';

const answers = Number(process.env.OPENROUTER_BENCH_ANSWERS ?? 1000);
const warmUp = 50;

// The host runs without --expose-gc: the flag is set now and `gc` taken from a fresh context.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function model(): Promise<vscode.LanguageModelChat> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [found] = await vscode.lm.selectChatModels({ vendor: LM_VENDOR, id: 'emulator/echo' });
    if (found) return found;
    if (Date.now() > deadline) throw new Error('no emulator model in vscode.lm');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function ask(chat: vscode.LanguageModelChat, i: number): Promise<number> {
  const response = await chat.sendRequest([vscode.LanguageModelChatMessage.User(`answer number ${i} [[chunks:12]]`)]);
  let chars = 0;
  for await (const piece of response.text) chars += piece.length;
  return chars;
}

export async function run(): Promise<void> {
  await vscode.extensions.getExtension('openrouter-community.openrouter-vscode')!.activate();
  await vscode.commands.executeCommand('openrouter.setApiKey', 'sk-or-v1-test');
  const chat = await model();
  for (let i = 0; i < warmUp; i++) await ask(chat, i);
  const before = heapMb();
  const started = Date.now();
  const samples: number[] = [];
  for (let i = 0; i < answers; i++) {
    await ask(chat, warmUp + i);
    if ((i + 1) % 250 === 0) samples.push(heapMb());
  }
  const after = heapMb();
  const result = { answers, beforeMb: before, afterMb: after, growthMb: after - before, samplesMb: samples, seconds: (Date.now() - started) / 1000 };
  console.log(`host memory: heap after ${warmUp} warm-up answers ${before.toFixed(2)} MB; after ${answers} more ${after.toFixed(2)} MB: ${result.growthMb >= 0 ? '+' : ''}${result.growthMb.toFixed(2)} MB (target < 5 MB); every 250: ${samples.map((mb) => mb.toFixed(2)).join(', ')} MB; ${result.seconds.toFixed(0)} s`);
  const out = join(__dirname, '..', '..', '..', '..', '.cache', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'host-memory.json'), JSON.stringify(result, null, 2));
  console.log('integration: 1 passed, 0 failed');
  console.log('TESTS_DONE failures=0 passed=1 skipped=0');
}

// Runs the emulator as its own process: prints one JSON line with its address, stops on SIGINT/SIGTERM.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      tls: { type: 'boolean', default: false },
      'ca-out': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'server-delay': { type: 'string' },
      'chunk-delay': { type: 'string' },
      'generation-ready-after': { type: 'string' },
      'completion-corpus': { type: 'string' },
      'demo-answers': { type: 'boolean', default: false },
      'demo-catalogue': { type: 'boolean', default: false },
    },
  });
  const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
  const emulator = await startEmulator({
    host: values.host,
    port: number(values.port),
    tls: values.tls,
    verbose: values.verbose,
    serverDelayMs: number(values['server-delay']),
    chunkDelayMs: number(values['chunk-delay']),
    generationReadyAfterMs: number(values['generation-ready-after']),
    completionCorpus: values['completion-corpus'] === undefined ? undefined : readFileSync(values['completion-corpus'], 'utf8'),
    demoAnswers: values['demo-answers'],
    demoCatalogue: values['demo-catalogue'],
  });
  let caPath: string | null = null;
  if (emulator.ca && values['ca-out']) {
    caPath = resolve(values['ca-out']);
    writeFileSync(caPath, emulator.ca);
  }
  process.stdout.write(`${JSON.stringify({ baseUrl: emulator.baseUrl, port: emulator.port, ca: caPath })}\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

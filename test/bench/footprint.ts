// What the extension costs when it is not working: memory per idle provider, activation time, and
// the size of what ships.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import type { ActivationJob, ActivationResult } from './activationChild';
import type { MemoryJob, MemoryResult } from './memoryChild';
import { median } from './stats';

export interface FootprintOptions {
  root: string;
  outDir: string;
  memoryEntry: string;
  activationEntry: string;
  /** The emulator without the relay (for the memory run's connections and activation's base URL). */
  baseUrl: string;
  apiKey: string;
  caPath: string;
  providers: number;
  /** Fresh processes for the activation median. */
  activationRuns?: number;
}

export interface Footprint {
  memory?: MemoryResult & { providers: number; connected: number };
  activation?: ActivationResult & { runs: number };
  bundle?: { bytes: number; gzipBytes: number; largestInputs: Array<{ input: string; bytes: number }> };
  vsix?: { path: string; bytes: number };
  problems: string[];
  lines: string[];
}

async function inChild<J, R>(entry: string, job: J, env: NodeJS.ProcessEnv, execArgv: string[] = []): Promise<R> {
  const child = fork(entry, [], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const answer = Promise.race([
    once(child, 'message') as Promise<[{ ok: true; result: R } | { ok: false; error: string }]>,
    exited.then(([code]) => Promise.reject(new Error(`exited with ${String(code)} before answering`))),
  ]);
  child.send(job as object);
  const [message] = await answer;
  await exited;
  if (!message.ok) throw new Error(message.error);
  return message.result;
}

/** The production bundle, built here the way `npm run build` builds dist/extension.js. */
async function buildExtension(root: string, outDir: string): Promise<{ outfile: string; largestInputs: Array<{ input: string; bytes: number }> }> {
  const outfile = path.join(outDir, 'extension', 'dist', 'extension.js');
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'src/extension.ts')],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
    mainFields: ['module', 'main'],
    // As esbuild.mjs does: these packages are files of their own (dist/<name>.js), loaded on first use.
    plugins: [{ name: 'packages-apart', setup: (build) => void build.onResolve({ filter: /^(undici|p-retry|eventsource-parser|jsonc-parser)$/ }, ({ path: name }) => ({ path: `./${name}.js`, external: true })) }],
  });
  // Bytes each package (or src/ folder) contributes to the output, largest first.
  const byOwner = new Map<string, number>();
  for (const [input, info] of Object.entries(result.metafile.outputs[path.relative(process.cwd(), outfile)]?.inputs ?? Object.values(result.metafile.outputs)[0]?.inputs ?? {})) {
    const owner = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + info.bytesInOutput);
  }
  const largestInputs = [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([input, bytes]) => ({ input, bytes }));
  return { outfile, largestInputs };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export async function measureFootprint(options: FootprintOptions): Promise<Footprint> {
  const footprint: Footprint = { problems: [], lines: [] };
  const env = { NODE_EXTRA_CA_CERTS: options.caPath };

  try {
    const job: MemoryJob = { baseUrl: options.baseUrl, apiKey: options.apiKey, providers: options.providers, connected: Math.min(20, options.providers) };
    const memory = await inChild<MemoryJob, MemoryResult>(options.memoryEntry, job, env, ['--expose-gc']);
    footprint.memory = { ...memory, providers: job.providers, connected: job.connected };
    footprint.lines.push(
      `idle provider (never used): ${kb(memory.idleBytes)} heap+external each (${kb(memory.idleHeapBytes)} heap), over ${job.providers} providers`,
      `plus one idle kept-alive TLS connection: +${kb(memory.connectedExtraBytes)} heap+external each, over ${job.connected}`,
    );
  } catch (error) {
    footprint.problems.push(`memory: ${error instanceof Error ? error.message : String(error)}`);
  }

  try {
    const { outfile: bundle, largestInputs } = await buildExtension(options.root, options.outDir);
    const bytes = statSync(bundle).size;
    footprint.bundle = { bytes, gzipBytes: gzipSync(readFileSync(bundle)).length, largestInputs };
    footprint.lines.push(
      `first-load bundle (minified dist/extension.js; undici, p-retry, eventsource-parser and jsonc-parser apart): ${kb(bytes)} (${kb(footprint.bundle.gzipBytes)} gzipped); largest parts: ${largestInputs.map((i) => `${i.input} ${kb(i.bytes)}`).join(', ')}`,
    );
    const storageDir = path.join(options.outDir, 'extension', 'storage');
    mkdirSync(storageDir, { recursive: true });
    const runs = options.activationRuns ?? 3;
    const results: ActivationResult[] = [];
    for (let i = 0; i < runs; i++) {
      // The extension reads its base URL from the environment when unset, so it only ever sees the emulator.
      results.push(await inChild<ActivationJob, ActivationResult>(options.activationEntry, { bundle, storageDir }, { ...env, OPENROUTER_BASE_URL: options.baseUrl }));
    }
    footprint.activation = {
      loadMs: median(results.map((r) => r.loadMs)),
      activateMs: median(results.map((r) => r.activateMs)),
      cpuMs: median(results.map((r) => r.cpuMs)),
      subscriptions: results[0]?.subscriptions ?? 0,
      runs,
    };
    const a = footprint.activation;
    footprint.lines.push(`activation (load bundle + activate(), inert vscode, median of ${runs}): ${(a.loadMs + a.activateMs).toFixed(1)} ms (load ${a.loadMs.toFixed(1)} + activate ${a.activateMs.toFixed(1)}), ${a.subscriptions} disposables registered`);
  } catch (error) {
    footprint.problems.push(`bundle/activation: ${error instanceof Error ? error.message : String(error)}`);
  }

  const vsix = path.join(options.root, 'dist', 'openrouter-vscode.vsix');
  if (existsSync(vsix)) {
    footprint.vsix = { path: path.relative(options.root, vsix), bytes: statSync(vsix).size };
    footprint.lines.push(`VSIX (${footprint.vsix.path}, from the last \`npm run package\`): ${kb(footprint.vsix.bytes)}`);
  } else {
    footprint.lines.push('VSIX: not built (run `npm run package` first to include its size)');
  }
  for (const problem of footprint.problems) footprint.lines.push(`not measured — ${problem}`);
  return footprint;
}

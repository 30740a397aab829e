// `npm run bench`: every client against the emulator behind the latency relay, each run in a fresh
// process; prints the table and the targets, writes JSON and an SVG chart.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { EmulatorCounters } from '../emulator/types';
import type { ChildJob, ChildResult } from './child';
import { clientKinds, parseArgs, workloadKinds } from './config';
import type { BenchConfig } from './config';
import { EmulatorProcess, runJob } from './benchProcesses';
import { measureFootprint } from './footprint';
import type { Footprint } from './footprint';
import { writeChartPng } from './chartPng';
import { startLatencyRelay } from './latencyRelay';
import type { LatencyRelay } from './latencyRelay';
import type { NetworkParams } from './networkModel';
import { handshakeMs, callMs } from './networkModel';
import { chartPanels, formatTable, summarise, verdicts } from './report';
import type { Run } from './report';
import { renderBarChart } from './svgChart';

const root = path.resolve(__dirname, '../..');
const benchKey = 'sk-or-v1-management';

/** Bundles the process entry points so each fresh process starts in milliseconds, not via a TS loader. */
async function buildEntries(providerSrc: string | undefined): Promise<Record<'child' | 'emulator' | 'memory' | 'activation', string>> {
  const candidate: esbuild.Plugin = {
    name: 'candidate-provider',
    setup(build) {
      if (!providerSrc) return;
      build.onResolve({ filter: /\/src\/openrouter\/\w+$/ }, (args) => ({ path: path.resolve(root, providerSrc, `${path.basename(args.path)}.ts`) }));
    },
  };
  const entries = { child: 'child.ts', emulator: 'emulatorProcess.ts', memory: 'memoryChild.ts', activation: 'activationChild.ts' };
  // Inside the project whatever --out says: the bundles import their packages from its node_modules.
  const binDir = path.join(root, '.cache', 'bench', providerSrc ? 'bin-candidate' : 'bin');
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, path.join(__dirname, file)])),
    outdir: binDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
    plugins: [candidate],
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
  });
  return {
    child: path.join(binDir, 'child.mjs'),
    emulator: path.join(binDir, 'emulator.mjs'),
    memory: path.join(binDir, 'memory.mjs'),
    activation: path.join(binDir, 'activation.mjs'),
  };
}

interface BenchOutput {
  date: string;
  node: string;
  cpus: number;
  /** 1-minute load average at the start and the end: other work on the machine inflates every figure. */
  loadAverage: { start: number; end: number };
  config: BenchConfig;
  network: NetworkParams & { handshakeMs: number; callMs: number };
  rows: ReturnType<typeof summarise>;
  verdicts: ReturnType<typeof verdicts>;
  footprint: Footprint | undefined;
  runs: Run[];
  emulatorCounters: EmulatorCounters;
}

function chartFooter(output: BenchOutput): string {
  const { config } = output;
  return `RTT ${config.rttMs} ms, server ${config.serverMs} ms/call, median of ${config.repetitions} run(s), Node ${output.node}, ${output.cpus} CPUs, load ${output.loadAverage.start.toFixed(1)}, ${output.date.slice(0, 10)}`;
}

/** Prints the table and targets of a saved run and redraws its chart next to it. */
async function render(file: string): Promise<void> {
  const output = JSON.parse(readFileSync(file, 'utf8')) as BenchOutput;
  console.log(formatTable(output.rows, output.config.workloads));
  console.log('\nTargets:');
  for (const v of verdicts(output.rows)) console.log(`  ${v.met ? 'MET   ' : 'MISSED'} ${v.target} — ${v.detail}`);
  const svgPath = path.join(path.dirname(file), 'bench.svg');
  const svg = renderBarChart(chartPanels(output.rows, output.config.workloads), chartFooter(output));
  writeFileSync(svgPath, svg);
  const pngPath = path.join(path.dirname(file), 'bench.png');
  const png = await writeChartPng(svg, pngPath);
  console.log(`\nWrote ${path.relative(process.cwd(), svgPath)}${png ? ` and ${path.relative(process.cwd(), pngPath)}` : ''}`);
}

async function main(): Promise<void> {
  const config = parseArgs(process.argv.slice(2));
  if (config.render) return render(config.render);
  const loadAtStart = os.loadavg()[0] ?? 0;
  if (loadAtStart > os.cpus().length) console.log(`Note: the machine is busy (load average ${loadAtStart.toFixed(1)} on ${os.cpus().length} CPUs); figures will be inflated.`);
  const outDir = path.resolve(root, config.outDir);
  mkdirSync(outDir, { recursive: true });
  const entries = await buildEntries(config.providerSrc);
  if (config.providerSrc) console.log(`Measuring the candidate provider in ${config.providerSrc}.`);
  const emulator = await EmulatorProcess.start(entries.emulator, { env: { BENCH_SERVER_MS: String(config.serverMs) } });
  let relay: LatencyRelay | undefined;
  let warmUpRelay: LatencyRelay | undefined;
  try {
    const caPath = path.join(outDir, 'emulator-ca.pem');
    writeFileSync(caPath, emulator.ready.ca);
    relay = await startLatencyRelay({ targetHost: '127.0.0.1', targetPort: emulator.ready.port, oneWayMs: config.rttMs / 2 });
    // Warm-ups go through a second relay with the same delays: the code compiled before the clock starts
    // is the code that handles answers arriving spread out in time, and no connection carries over.
    warmUpRelay = await startLatencyRelay({ targetHost: '127.0.0.1', targetPort: emulator.ready.port, oneWayMs: config.rttMs / 2 });
    const warmUpUrl = new URL(emulator.ready.baseUrl);
    warmUpUrl.port = String(warmUpRelay.port);
    const emulatorUrl = new URL(emulator.ready.baseUrl);
    const relayUrl = new URL(emulator.ready.baseUrl);
    relayUrl.port = String(relay.port);
    const network: NetworkParams = { rttMs: config.rttMs, serverMs: config.serverMs, tlsRoundTrips: await emulator.tlsRoundTrips() };
    console.log(
      `Network model: RTT ${config.rttMs} ms, server ${config.serverMs} ms per call, TLS ${network.tlsRoundTrips} RTT → handshake ${handshakeMs(network)} ms, call ${callMs(network)} ms; ${config.repetitions} repetition(s).`,
    );

    const profileDir = config.profile ? path.join(outDir, 'profiles') : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const runs: Run[] = [];
    const total = config.repetitions * config.workloads.length * config.clients.length;
    for (let repetition = 1; repetition <= config.repetitions; repetition++) {
      for (const workload of config.workloads) {
        for (const client of config.clients) {
          relay.reset();
          const job: ChildJob = { client, workload, sizes: config.sizes, baseUrl: relayUrl.href.replace(/\/$/, ''), warmUpBaseUrl: warmUpUrl.href.replace(/\/$/, ''), apiKey: benchKey };
          if (profileDir) job.profilePath = path.join(profileDir, `${client}-${workload}-${repetition}.cpuprofile`);
          const result = await runJob<ChildJob, ChildResult>(entries.child, job, `${job.client}/${job.workload}`, { env: { NODE_EXTRA_CA_CERTS: caPath }, execArgv: [...config.nodeFlags] });
          runs.push({ client, workload, repetition, wallMs: result.wallMs, cpuMs: result.cpuMs, connections: relay.connections(), requests: result.requests, chunks: result.chunks, clientConnections: result.clientConnections, steadyCpuMs: result.steadyCpuMs });
          process.stdout.write(`\r  run ${runs.length}/${total}: ${workload} ${client} ${result.wallMs.toFixed(0)} ms        `);
        }
      }
    }
    process.stdout.write('\n');
    const emulatorCounters = await emulator.counters();

    const rows = summarise(runs, config, network);
    console.log(formatTable(rows, config.workloads));
    const results = verdicts(rows);
    console.log('\nTargets:');
    for (const v of results) console.log(`  ${v.met ? 'MET   ' : 'MISSED'} ${v.target} — ${v.detail}`);

    const footprint = config.footprint
      ? await measureFootprint({ root, outDir, memoryEntry: entries.memory, activationEntry: entries.activation, baseUrl: emulatorUrl.href.replace(/\/$/, ''), apiKey: benchKey, caPath, providers: config.memoryProviders, activationRuns: config.quick ? 1 : 3 })
      : undefined;
    if (footprint) {
      console.log('\nFootprint:');
      for (const line of footprint.lines) console.log(`  ${line}`);
    }

    const output: BenchOutput = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
      config,
      network: { ...network, handshakeMs: handshakeMs(network), callMs: callMs(network) },
      rows,
      verdicts: results,
      footprint,
      runs,
      emulatorCounters,
    };
    const jsonPath = path.join(outDir, 'bench.json');
    const svgPath = path.join(outDir, 'bench.svg');
    const pngPath = path.join(outDir, 'bench.png');
    writeFileSync(jsonPath, `${JSON.stringify(output, null, 2)}\n`);
    const svg = renderBarChart(chartPanels(rows, config.workloads), chartFooter(output));
    writeFileSync(svgPath, svg);
    const png = await writeChartPng(svg, pngPath);
    console.log(`\nWrote ${[jsonPath, svgPath, ...(png ? [pngPath] : [])].map((p) => path.relative(root, p)).join(', ')}${png ? '' : ' (no Chromium for the PNG)'}`);
    // Only a full default run replaces the copies the README shows.
    const fullRun = !config.quick && config.clients.length === clientKinds.length && config.workloads.length === workloadKinds.length;
    if (fullRun) {
      const tracked = path.join(__dirname, 'results');
      mkdirSync(tracked, { recursive: true });
      copyFileSync(jsonPath, path.join(tracked, 'bench.json'));
      copyFileSync(svgPath, path.join(tracked, 'bench.svg'));
      if (png) copyFileSync(pngPath, path.join(tracked, 'bench.png'));
      console.log(`Copied to ${path.relative(root, tracked)}/`);
    }
  } finally {
    await relay?.close();
    await warmUpRelay?.close();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

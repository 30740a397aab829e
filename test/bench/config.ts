// The benchmark's knobs, from command-line flags; shared by the runner and the client processes.

export const clientKinds = ['provider', 'provider-h2', 'fresh-connection', 'node-fetch', 'openai-sdk', 'openrouter-sdk', 'bare-https', 'bare-undici', 'bare-undici-h2'] as const;
export type ClientKind = (typeof clientKinds)[number];

export const workloadKinds = ['sequential', 'concurrent', 'session-mix', 'streaming', 'streaming-parallel', 'cold-start'] as const;
export type WorkloadKind = (typeof workloadKinds)[number];

export const clientLabels: Record<ClientKind, string> = {
  provider: 'provider (HTTP/1.1 pool)',
  'provider-h2': 'provider (HTTP/2)',
  'fresh-connection': 'new connection per call',
  'node-fetch': 'Node fetch',
  'openai-sdk': 'openai SDK',
  'openrouter-sdk': '@openrouter/sdk',
  'bare-https': 'reference: bare node:https',
  'bare-undici': 'reference: bare undici',
  'bare-undici-h2': 'reference: bare undici (HTTP/2)',
};

export interface WorkloadSizes {
  sequential: number;
  concurrent: number;
  streamChunks: number;
  /** Answers streamed at once by the streaming-parallel workload. */
  parallelStreams: number;
}

export interface BenchConfig {
  /** Round-trip time the relay models, ms (half of it each way). */
  rttMs: number;
  /** The emulator's think time per API call, ms. */
  serverMs: number;
  repetitions: number;
  clients: ClientKind[];
  workloads: WorkloadKind[];
  sizes: WorkloadSizes;
  /** Providers created for the idle-memory measurement. */
  memoryProviders: number;
  /** Where results are written (the JSON and the SVG); tracked copies also go to test/bench/results. */
  outDir: string;
  quick: boolean;
  /** Write a V8 CPU profile of every client process (to <outDir>/profiles). */
  profile: boolean;
  /** Measure memory, activation and bundle size too. */
  footprint: boolean;
  /** A candidate copy of src/openrouter/ to measure instead of the real one (to try a change first). */
  providerSrc?: string;
  /** Extra Node flags for the client processes (e.g. --trace-gc), to look into a figure. */
  nodeFlags: string[];
  /** Re-print the table and redraw the chart of a saved bench.json instead of measuring. */
  render?: string;
}

export const defaultSizes: WorkloadSizes = { sequential: 20, concurrent: 50, streamChunks: 4000, parallelStreams: 3 };

const usage = `npm run bench -- [--quick] [--rtt <ms>] [--server <ms>] [--reps <n>]
  [--clients a,b] [--workloads a,b] [--out <dir>] [--profile] [--no-footprint] [--node-flag <flag>]...
  [--provider-src <candidate copy of src/openrouter>] [--render <bench.json>]
clients: ${clientKinds.join(', ')}
workloads: ${workloadKinds.join(', ')}`;

function parseList<T extends string>(value: string, allowed: readonly T[], what: string): T[] {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new Error(`Unknown ${what} "${item}".\n${usage}`);
  }
  return items as T[];
}

function parseNumber(value: string | undefined, flag: string, min: number): number {
  const parsed = Number(value);
  if (value === undefined || !Number.isFinite(parsed) || parsed < min) throw new Error(`${flag} needs a number >= ${min}.\n${usage}`);
  return parsed;
}

export function parseArgs(argv: readonly string[]): BenchConfig {
  const quick = argv.includes('--quick');
  const config: BenchConfig = {
    rttMs: 40,
    serverMs: 20,
    repetitions: quick ? 1 : 3,
    clients: [...clientKinds],
    workloads: [...workloadKinds],
    sizes: { ...defaultSizes },
    memoryProviders: quick ? 50 : 200,
    outDir: '.cache/bench',
    quick,
    profile: false,
    footprint: true,
    nodeFlags: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--quick':
        continue;
      case '--profile':
        config.profile = true;
        continue;
      case '--no-footprint':
        config.footprint = false;
        continue;
      case '--rtt':
        config.rttMs = parseNumber(value, flag, 0);
        break;
      case '--server':
        config.serverMs = parseNumber(value, flag, 0);
        break;
      case '--reps':
        config.repetitions = Math.round(parseNumber(value, flag, 1));
        break;
      case '--clients':
        config.clients = parseList(value ?? '', clientKinds, 'client');
        break;
      case '--workloads':
        config.workloads = parseList(value ?? '', workloadKinds, 'workload');
        break;
      case '--provider-src':
        if (!value) throw new Error(`--provider-src needs a directory.\n${usage}`);
        config.providerSrc = value;
        break;
      case '--render':
        if (!value) throw new Error(`--render needs a bench.json.\n${usage}`);
        config.render = value;
        break;
      case '--node-flag':
        if (!value?.startsWith('--')) throw new Error(`--node-flag needs a Node flag such as --trace-gc.\n${usage}`);
        config.nodeFlags.push(value);
        break;
      case '--out':
        if (!value) throw new Error(`--out needs a directory.\n${usage}`);
        config.outDir = value;
        break;
      case '--help':
      case '-h':
        throw new Error(usage);
      default:
        throw new Error(`Unknown option "${flag}".\n${usage}`);
    }
    i++;
  }
  return config;
}

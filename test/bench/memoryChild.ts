// Memory one idle provider holds: N providers made in this process, heap and off-heap growth after a
// full GC, divided by N; then the extra for each keeping one idle TLS connection. Needs --expose-gc.
import { OpenRouterProvider } from '../../src/openrouter/index';

export interface MemoryJob {
  baseUrl: string;
  apiKey: string;
  providers: number;
  connected: number;
}

export interface MemoryResult {
  /** Heap + external bytes per constructed, never-used provider. */
  idleBytes: number;
  idleHeapBytes: number;
  /** Extra heap + external bytes per provider holding one idle kept-alive connection. */
  connectedExtraBytes: number;
}

const collect = (globalThis as { gc?: () => void }).gc;

function settle(): NodeJS.MemoryUsage {
  if (!collect) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) collect();
  return process.memoryUsage();
}

const heapAndExternal = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.external;

async function measure(job: MemoryJob): Promise<MemoryResult> {
  // Load and exercise the code once so compiled code and module state are in the baseline.
  const warm = new OpenRouterProvider({ apiKey: job.apiKey, baseUrl: job.baseUrl });
  await warm.validateConfig();
  await warm.close();
  const before = settle();
  const providers: OpenRouterProvider[] = [];
  for (let i = 0; i < job.providers; i++) providers.push(new OpenRouterProvider({ apiKey: job.apiKey, baseUrl: job.baseUrl }));
  const made = settle();
  for (const provider of providers.slice(0, job.connected)) {
    const result = await provider.validateConfig();
    if (!result.ok) throw new Error(`GET /key failed: ${result.message}`);
  }
  const connected = settle();
  const result: MemoryResult = {
    idleBytes: (heapAndExternal(made) - heapAndExternal(before)) / job.providers,
    idleHeapBytes: (made.heapUsed - before.heapUsed) / job.providers,
    connectedExtraBytes: (heapAndExternal(connected) - heapAndExternal(made)) / job.connected,
  };
  await Promise.all(providers.map((p) => p.close()));
  return result;
}

process.once('message', (job: MemoryJob) => {
  measure(job).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});

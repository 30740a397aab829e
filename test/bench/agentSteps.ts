// An Agent mode task of ten steps (nine tool calls, then the answer) against the emulator over TLS behind the latency
// relay: the wall time against the time the requests themselves took, the connections opened, and the extension's
// own time per step (everything between one step's stream end and the next request: running the tool, checking
// the arguments, the cost cap, building the request).
//   npx tsx test/bench/agentSteps.ts [--rtt 40] [--server 20] [--h1]
import { performance } from 'node:perf_hooks';
import { AgentTask } from '../../src/agent/agentTask';
import type { AgentTool } from '../../src/agent/agentTool';
import type { PricedModel } from '../../src/agent/stepCost';
import { OpenRouterProvider } from '../../src/openrouter';
import { TEST_KEY } from '../emulator/accounts';
import { startEmulator } from '../emulator/index';
import { startLatencyRelay } from './latencyRelay';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const rtt = option('rtt', 40);
  const serverDelayMs = option('server', 20);
  const allowH2 = !process.argv.includes('--h1');
  const emulator = await startEmulator({ tls: true, serverDelayMs, generationReadyAfterMs: 0 });
  const relay = await startLatencyRelay({ targetHost: '127.0.0.1', targetPort: emulator.port, oneWayMs: rtt / 2 });
  const baseUrl = `https://localhost:${relay.port}/api/v1`;
  const provider = new OpenRouterProvider({ apiKey: TEST_KEY, baseUrl, ca: emulator.ca!, allowH2, maxRetries: 0 });
  const posts: Array<{ latencyMs: number; newConnection: boolean; httpVersion?: string }> = [];
  provider.onRequest((record) => (record.method === 'POST' ? posts.push(record) : undefined));
  const model = 'emulator/echo';
  // The emulator's prices for its echo model.
  const priced: PricedModel = { id: model, pricing: { prompt: '0.000001', completion: '0.000002' }, top_provider: null, context_length: 1_000_000 };
  const readFile: AgentTool = {
    name: 'read_file',
    description: 'Reads a file',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
    source: 'openrouter',
    invoke: async (input) => ({ content: `contents of ${String(input.path)}\n`.repeat(20), summary: 'Read' }),
  };
  const steps = Array.from({ length: 9 }, (_, i) => [{ name: 'read_file', arguments: { path: `src/file${i}.ts` } }]);
  const started = performance.now();
  const task = new AgentTask(
    { provider: () => provider, log: { warn: (m) => console.error(m), debug() {} } },
    {
      source: 'chat',
      request: { model, max_tokens: 200 },
      messages: [{ role: 'user', content: `[[agent:script]]${JSON.stringify({ steps, answer: 'Read them all.' })}` }],
      tools: [readFile],
      model: priced,
      limits: { maxSteps: 25, maxCostUsd: 10, timeoutMs: 10_000, maxResultChars: 40_000 },
      scope: { chatId: 'bench', answerId: 'bench', autoApply: false, confirm: async () => true },
    },
  );
  const outcome = await task.done;
  const wallMs = performance.now() - started;
  const requestsMs = posts.reduce((sum, p) => sum + p.latencyMs, 0);
  const result = {
    rttMs: rtt,
    serverDelayMs,
    http: [...new Set(posts.map((p) => p.httpVersion))].join(','),
    end: outcome.end.status,
    steps: outcome.progress.steps,
    wallMs: Math.round(wallMs),
    requestsMs: Math.round(requestsMs),
    connectionsOpened: relay.connections(),
    newConnectionPosts: posts.filter((p) => p.newConnection).length,
    extensionMsPerStep: Number(((wallMs - requestsMs) / outcome.progress.steps).toFixed(2)),
  };
  console.log(JSON.stringify(result));
  await provider.close();
  await relay.close();
  await emulator.close();
}

void main();

// Proxy figures: the provider through a real CONNECT proxy over TLS to the emulator, against a direct
// connection; how many tunnels it needs, and how a refusing proxy fails. Prints a table, writes
// test/bench/results/proxy.json. Run: node --import tsx test/bench/soakProxy.ts [--calls N]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/index';
import { startConnectProxy } from '../support/proxy/connectProxy';
import { OpenRouterError, OpenRouterProvider, type ProviderOptions } from '../../src/openrouter/index';

const KEY = 'sk-or-v1-test';

interface Row {
  setup: string;
  calls: number;
  failed: number;
  tunnels: number;
  connectionsAtServer: number;
  p50Ms: number;
  p95Ms: number;
  note: string;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '200' }, burst: { type: 'string', default: '20' }, out: { type: 'string', default: path.join(__dirname, 'results', 'proxy.json') } } });
  const sequentialCalls = Number(values.calls);
  const burstCalls = Number(values.burst);
  const emulator = await startEmulator({ tls: true });
  const proxy = await startConnectProxy();
  const rows: Row[] = [];
  const base: ProviderOptions = { apiKey: KEY, baseUrl: emulator.baseUrl, ca: emulator.ca, poolSize: 4 };

  const measure = async (setup: string, options: Partial<ProviderOptions>, burst: boolean, note: string): Promise<void> => {
    emulator.reset();
    const tunnelsBefore = proxy.connects;
    const provider = new OpenRouterProvider({ ...base, ...options });
    const calls = burst ? burstCalls : sequentialCalls;
    const latencies: number[] = [];
    let failed = 0;
    const one = async (): Promise<void> => {
      const started = performance.now();
      try {
        await provider.validateConfig().then((answer) => {
          if (!answer.ok) throw new Error(answer.message);
        });
        latencies.push(performance.now() - started);
      } catch {
        failed++;
      }
    };
    if (burst) await Promise.all(Array.from({ length: calls }, one));
    else for (let i = 0; i < calls; i++) await one();
    rows.push({
      setup,
      calls,
      failed,
      tunnels: proxy.connects - tunnelsBefore,
      connectionsAtServer: emulator.counters().connectionsAccepted,
      p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      p95Ms: Math.round(percentile(latencies, 95) * 10) / 10,
      note,
    });
    await provider.close();
    // Let the proxy see every tunnel of this setup end before the next one is counted.
    while (proxy.openTunnels > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  await measure('direct, sequential', {}, false, 'baseline');
  await measure('through the proxy, sequential', { proxy: { url: proxy.url } }, false, 'one kept-alive tunnel');
  await measure('direct, burst', {}, true, `all ${burstCalls} at once, pool 4`);
  await measure('through the proxy, burst', { proxy: { url: proxy.url } }, true, `all ${burstCalls} at once, pool 4`);
  await measure('through the proxy, HTTP/2, burst', { proxy: { url: proxy.url }, allowH2: true }, true, 'streams share the tunnel');
  await measure('noProxy lists the host', { proxy: { url: proxy.url, noProxy: ['127.0.0.1'] } }, false, 'bypasses the proxy');

  const refusals: Array<{ status: number; ms: number; error: string }> = [];
  for (const status of [403, 407]) {
    proxy.options = { refuseWith: status };
    const provider = new OpenRouterProvider({ ...base, proxy: { url: proxy.url } });
    const started = performance.now();
    const error = await provider.listModels().then(() => undefined, (e: unknown) => e);
    refusals.push({ status, ms: Math.round(performance.now() - started), error: error instanceof OpenRouterError ? `${error.name}: ${error.message}` : String(error) });
    await provider.close();
  }
  proxy.options = {};
  await proxy.close();
  await emulator.close();

  console.log('| setup | calls | failed | CONNECT tunnels | connections at the server | p50 ms | p95 ms | note |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const row of rows) console.log(`| ${row.setup} | ${row.calls} | ${row.failed} | ${row.tunnels} | ${row.connectionsAtServer} | ${row.p50Ms} | ${row.p95Ms} | ${row.note} |`);
  console.log('');
  for (const refusal of refusals) console.log(`proxy refusing with ${refusal.status}: failed after ${refusal.ms} ms with "${refusal.error}"`);
  mkdirSync(path.dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify({ rows, refusals }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), values.out)}`);
}

void main();

// Turns raw runs into medians, ratios, the targets' verdicts, a text table and the chart's panels.
import { clientLabels } from './config';
import type { BenchConfig, ClientKind, WorkloadKind } from './config';
import { networkLimitMs } from './networkModel';
import type { NetworkParams } from './networkModel';
import { median, spread } from './stats';
import type { ChartPanel } from './svgChart';

export interface Run {
  client: ClientKind;
  workload: WorkloadKind;
  repetition: number;
  wallMs: number;
  cpuMs: number;
  /** Connections the relay accepted during the measured part (the server's count). */
  connections: number;
  requests: number;
  chunks?: number;
  clientConnections?: number;
  /** Streaming only: CPU of each stream measured after the process settled. */
  steadyCpuMs?: number[];
}

export interface Row {
  client: ClientKind;
  workload: WorkloadKind;
  runs: number;
  wallMs: number;
  wallSpreadMs: { min: number; max: number };
  cpuMs: number;
  connections: number;
  /** Streaming only: client CPU per 1,000 content chunks once the process has settled (median of every steady stream). */
  cpuPer1kChunksMs?: number;
  limitMs: number;
  wallToLimit: number;
  /** Wall time relative to the HTTP/1.1 provider in the same workload. */
  wallToProvider?: number;
  cpuToProvider?: number;
}

export interface Verdict {
  target: string;
  met: boolean;
  detail: string;
}

export const projectClients: readonly ClientKind[] = ['provider', 'provider-h2'];
const peerClients: readonly ClientKind[] = ['fresh-connection', 'node-fetch', 'openai-sdk', 'openrouter-sdk'];

export function summarise(runs: readonly Run[], config: BenchConfig, network: NetworkParams): Row[] {
  const rows: Row[] = [];
  for (const workload of config.workloads) {
    const limitMs = networkLimitMs(workload, config.sizes, network);
    for (const client of config.clients) {
      const mine = runs.filter((r) => r.client === client && r.workload === workload);
      if (mine.length === 0) continue;
      const cpuMs = median(mine.map((r) => r.cpuMs));
      const wallMs = median(mine.map((r) => r.wallMs));
      const chunks = mine[0]?.chunks;
      rows.push({
        client,
        workload,
        runs: mine.length,
        wallMs,
        wallSpreadMs: spread(mine.map((r) => r.wallMs)),
        cpuMs,
        connections: median(mine.map((r) => r.connections)),
        cpuPer1kChunksMs: chunks ? median(mine.flatMap((r) => r.steadyCpuMs ?? [r.cpuMs]).map((cpu) => (cpu / chunks) * 1000)) : undefined,
        limitMs,
        wallToLimit: wallMs / limitMs,
      });
    }
    const base = rows.find((r) => r.workload === workload && r.client === 'provider');
    if (!base) continue;
    for (const row of rows.filter((r) => r.workload === workload)) {
      row.wallToProvider = row.wallMs / base.wallMs;
      row.cpuToProvider = row.cpuMs / base.cpuMs;
    }
  }
  return rows;
}

function find(rows: readonly Row[], workload: WorkloadKind, client: ClientKind): Row | undefined {
  return rows.find((r) => r.workload === workload && r.client === client);
}

function peers(rows: readonly Row[], workload: WorkloadKind): Row[] {
  return rows.filter((r) => r.workload === workload && peerClients.includes(r.client));
}

const ms = (value: number): string => `${value.toFixed(0)} ms`;

function notSlowerThanPeers(rows: readonly Row[], workload: WorkloadKind, client: ClientKind, name: string): Verdict | undefined {
  const mine = find(rows, workload, client);
  const others = peers(rows, workload);
  if (!mine || others.length === 0) return undefined;
  const fastest = others.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  return {
    target: `${name}: ${clientLabels[client]} at least as fast as every peer`,
    met: mine.wallMs <= fastest.wallMs,
    detail: `${ms(mine.wallMs)} vs fastest peer ${clientLabels[fastest.client]} ${ms(fastest.wallMs)}`,
  };
}

export function verdicts(rows: readonly Row[]): Verdict[] {
  const out: Array<Verdict | undefined> = [];
  for (const client of projectClients) {
    const seq = find(rows, 'sequential', client);
    if (seq) {
      out.push({
        target: `sequential: ${clientLabels[client]} within 10 % of the network limit`,
        met: seq.wallToLimit <= 1.1,
        detail: `${ms(seq.wallMs)} = ${seq.wallToLimit.toFixed(3)}× the limit ${ms(seq.limitMs)}`,
      });
    }
    out.push(notSlowerThanPeers(rows, 'sequential', client, 'sequential'));
    out.push(notSlowerThanPeers(rows, 'concurrent', client, 'concurrent'));
  }
  const h2 = find(rows, 'concurrent', 'provider-h2');
  if (h2) {
    out.push({
      target: 'concurrent: provider with HTTP/2 within 30 % of the network limit on one connection',
      met: h2.wallToLimit <= 1.3 && h2.connections === 1,
      detail: `${ms(h2.wallMs)} = ${h2.wallToLimit.toFixed(3)}× the limit ${ms(h2.limitMs)}, ${h2.connections} connection(s)`,
    });
  }
  const openai = find(rows, 'streaming', 'openai-sdk');
  for (const client of projectClients) {
    const stream = find(rows, 'streaming', client);
    if (stream?.cpuPer1kChunksMs !== undefined && openai?.cpuPer1kChunksMs !== undefined) {
      out.push({
        target: `streaming: ${clientLabels[client]} CPU per 1,000 chunks at most half the openai SDK's`,
        met: stream.cpuPer1kChunksMs <= openai.cpuPer1kChunksMs / 2,
        detail: `${stream.cpuPer1kChunksMs.toFixed(1)} ms vs openai SDK ${openai.cpuPer1kChunksMs.toFixed(1)} ms (${(stream.cpuPer1kChunksMs / openai.cpuPer1kChunksMs).toFixed(2)}×)`,
      });
    }
    out.push(notSlowerThanPeers(rows, 'streaming', client, 'streaming wall'));
  }
  for (const workload of ['streaming', 'streaming-parallel'] as const) {
    const h1 = find(rows, workload, 'provider');
    const h2 = find(rows, workload, 'provider-h2');
    if (h1 && h2) {
      out.push({
        target: `${workload}: provider with HTTP/2 at least as fast as with HTTP/1.1`,
        met: h2.wallMs <= h1.wallMs,
        detail: `${ms(h2.wallMs)} (CPU ${ms(h2.cpuMs)}) vs ${ms(h1.wallMs)} (CPU ${ms(h1.cpuMs)})`,
      });
    }
  }
  return out.filter((v): v is Verdict => v !== undefined);
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function formatTable(rows: readonly Row[], workloads: readonly WorkloadKind[]): string {
  const header = ['client', 'wall', '×limit', '×provider', 'CPU', 'steady CPU/1k', 'conns'];
  const widths = [Math.max(26, ...rows.map((r) => clientLabels[r.client].length)), 10, 8, 10, 10, 14, 6];
  const lines: string[] = [];
  for (const workload of workloads) {
    const mine = rows.filter((r) => r.workload === workload);
    if (mine.length === 0) continue;
    lines.push('', `${workload} — network limit ${ms(mine[0]!.limitMs)}`);
    lines.push(header.map((h, i) => pad(h, widths[i]!, i > 0)).join(' '));
    for (const row of mine) {
      const cells = [
        clientLabels[row.client],
        ms(row.wallMs),
        row.wallToLimit.toFixed(2),
        row.wallToProvider === undefined ? '' : row.wallToProvider.toFixed(2),
        ms(row.cpuMs),
        row.cpuPer1kChunksMs === undefined ? '' : `${row.cpuPer1kChunksMs.toFixed(1)} ms`,
        String(row.connections),
      ];
      lines.push(cells.map((c, i) => pad(c, widths[i]!, i > 0)).join(' '));
    }
  }
  return lines.join('\n');
}

export function chartPanels(rows: readonly Row[], workloads: readonly WorkloadKind[]): ChartPanel[] {
  const wall: ChartPanel = {
    title: 'Wall time relative to the network limit (lower is better; 1× = the least the network allows)',
    axis: '× network limit (each workload on its own scale; the dashed line is the limit)',
    reference: { value: 1, label: '' },
    scalePerGroup: true,
    groups: workloads
      .map((workload) => ({
        label: `${workload} (limit ${ms(rows.find((r) => r.workload === workload)?.limitMs ?? 0)})`,
        bars: rows
          .filter((r) => r.workload === workload)
          .map((r) => ({ label: clientLabels[r.client], value: r.wallToLimit, text: `${r.wallToLimit.toFixed(2)}× (${ms(r.wallMs)}, ${r.connections} conn)`, highlight: projectClients.includes(r.client) })),
      }))
      .filter((g) => g.bars.length > 0),
  };
  const streamRows = rows.filter((r) => r.workload === 'streaming' && r.cpuPer1kChunksMs !== undefined);
  const panels = [wall];
  if (streamRows.length > 0) {
    panels.push({
      title: 'Streaming: client CPU per 1,000 chunks, settled process (lower is better)',
      axis: 'ms of CPU per 1,000 chunks',
      groups: [
        {
          label: 'streaming',
          bars: streamRows.map((r) => ({ label: clientLabels[r.client], value: r.cpuPer1kChunksMs!, text: `${r.cpuPer1kChunksMs!.toFixed(1)} ms`, highlight: projectClients.includes(r.client) })),
        },
      ],
    });
  }
  return panels;
}

import type * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import type { Log } from './logger';
import type { RequestRecord } from '../openrouter/types';
import { LatencyWindow } from './latencyWindow';

/** One line per HTTP attempt; the retry line says why and how long the wait is. Never headers, never the key. */
export function formatAttempt(record: RequestRecord): string {
  const status = record.status === undefined ? 'no response' : String(record.status);
  const parts = [
    `${record.method} ${record.path}`,
    status,
    `${Math.round(record.latencyMs)} ms`,
    record.ttfbMs === undefined ? undefined : `ttfb ${Math.round(record.ttfbMs)} ms`,
    record.newConnection ? newConnectionText(record) : 'reused connection',
    record.httpVersion ? `HTTP/${record.httpVersion}` : undefined,
    record.streamed ? 'stream' : undefined,
    `call ${record.callId} attempt ${record.attempt}`,
  ];
  const line = parts.filter((p) => p !== undefined).join(' · ');
  return record.error ? `${line} · ${record.error}` : line;
}

function newConnectionText(record: RequestRecord): string {
  if (record.renewedBeforeServerIdleMs === undefined) return 'new connection';
  return `new connection (the kept one was near the server's ${(record.renewedBeforeServerIdleMs / 1000).toFixed(1)} s idle timeout)`;
}

export function formatRetry(record: RequestRecord): string {
  const reason = record.error ?? (record.status === undefined ? 'no response' : `status ${record.status}`);
  return `retry ${record.method} ${record.path} (call ${record.callId}) after attempt ${record.attempt}: ${reason}; waiting ${Math.round(record.retryDelayMs ?? 0)} ms`;
}

/** Writes the provider's request records to the log and keeps recent latencies for the stats command. */
export class NetworkLog extends Disposable {
  readonly latencies = new LatencyWindow(500);

  constructor(onRequest: vscode.Event<RequestRecord>, private readonly log: Log) {
    super();
    this._register(onRequest((record) => this.write(record)));
  }

  private write(record: RequestRecord): void {
    this.latencies.add(record.latencyMs);
    const line = formatAttempt(record);
    if (record.retryDelayMs !== undefined) {
      this.log.info(line);
      this.log.warn(formatRetry(record));
    } else if (record.status === undefined || record.status >= 500) {
      this.log.error(line);
    } else if (record.status >= 400) {
      // A 4xx is OpenRouter's considered answer (bad key, /credits for an ordinary key), not an outage.
      this.log.warn(line);
    } else {
      this.log.info(line);
    }
  }
}

// The least wall time the modelled network allows for each workload (see README "Network model").
import type { WorkloadKind, WorkloadSizes } from './config';

export interface NetworkParams {
  rttMs: number;
  serverMs: number;
  /** Round trips a TLS handshake costs before the first request can go: 1 for TLS 1.3. */
  tlsRoundTrips: number;
}

/** A new connection: the TCP handshake's round trip, then TLS's. */
export function handshakeMs(p: NetworkParams): number {
  return p.rttMs * (1 + p.tlsRoundTrips);
}

/** One request on an open connection: its round trip plus the server's think time. */
export function callMs(p: NetworkParams): number {
  return p.rttMs + p.serverMs;
}

/** Calls made one after another in each workload (the mix is a sequence too). */
export const sessionMixCalls = 10;

export function networkLimitMs(workload: WorkloadKind, sizes: WorkloadSizes, p: NetworkParams): number {
  switch (workload) {
    case 'sequential':
      return handshakeMs(p) + sizes.sequential * callMs(p);
    case 'session-mix':
      return handshakeMs(p) + sessionMixCalls * callMs(p);
    case 'concurrent':
    case 'streaming':
    case 'streaming-parallel':
    case 'cold-start':
      // Concurrent calls overlap fully: parallel handshakes (or one HTTP/2 connection) and one round trip.
      // Streaming chunks follow the first byte back to back; bandwidth is not modelled.
      return handshakeMs(p) + callMs(p);
  }
}

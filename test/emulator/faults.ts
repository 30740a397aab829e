// Fault rules waiting for matching requests, and the faults that replace a response outright.
import type { Fault, FaultRule } from './types';
import type { Exchange } from './exchange';

const statusText: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  408: 'Request Timeout', 413: 'Payload Too Large', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad gateway', 503: 'Service Unavailable', 504: 'Gateway time-out',
  524: 'A timeout occurred', 529: 'Provider overloaded',
};

const errorTypes: Record<number, string> = {
  402: 'insufficient_credits', 408: 'timeout', 429: 'rate_limit_exceeded', 502: 'provider_error', 503: 'no_provider_available', 529: 'provider_overloaded',
};

const faultTypes: ReadonlyArray<Fault['type']> = ['status', 'drop-before-response', 'drop-mid-stream', 'stall', 'no-response', 'slow-chunks', 'hold', 'error-chunk', 'keepalive-first', 'raw'];

interface StoredRule {
  rule: FaultRule;
  remaining: number;
}

interface Gate {
  opened: Promise<void>;
  open(): void;
}

function closedGate(): Gate {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export class FaultBook {
  private rules: StoredRule[] = [];
  /** One gate per `hold` fault (a rule's or a header's), opened by `release()`. */
  private readonly gates = new WeakMap<Fault, Gate>();
  private closed: Gate[] = [];

  add(rule: FaultRule): void {
    if (!rule || typeof rule !== 'object' || !rule.fault || !faultTypes.includes(rule.fault.type)) {
      throw new Error(`a fault rule needs a fault whose type is one of ${faultTypes.join(', ')}`);
    }
    this.rules.push({ rule, remaining: rule.times ?? 1 });
    // Its gate from now on, so a release before its first request also lets that request through.
    if (rule.fault.type === 'hold') void this.released(rule.fault);
  }

  clear(): void {
    this.rules = [];
    this.release();
  }

  /** Resolves when the streams `fault` holds may go on. */
  released(fault: Fault): Promise<void> {
    let gate = this.gates.get(fault);
    if (!gate) {
      gate = closedGate();
      this.gates.set(fault, gate);
      this.closed.push(gate);
    }
    return gate.opened;
  }

  release(): void {
    for (const gate of this.closed) gate.open();
    this.closed = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r.rule, times: r.remaining }));
  }

  /** The first rule matching this request, consumed once. */
  take(method: string, apiPath: string): Fault | undefined {
    const index = this.rules.findIndex((r) => (r.rule.path === undefined || r.rule.path === apiPath) && (r.rule.method === undefined || r.rule.method.toUpperCase() === method));
    const stored = this.rules[index];
    if (!stored) return undefined;
    stored.remaining -= 1;
    if (stored.remaining <= 0) this.rules.splice(index, 1);
    return stored.rule.fault;
  }
}

/** Reads the per-request `x-emulator-fault` header; a malformed header is ignored rather than failing the request. */
export function faultFromHeader(value: string | string[] | undefined): Fault | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  try {
    const fault = JSON.parse(text) as Fault;
    return fault && faultTypes.includes(fault.type) ? fault : undefined;
  } catch {
    return undefined;
  }
}

export function errorBody(status: number, message: string, code?: string | number, metadata?: Record<string, unknown>): { error: Record<string, unknown> } {
  const error: Record<string, unknown> = { code: code ?? status, message };
  if (metadata) error.metadata = metadata;
  return { error };
}

export function cloudflarePage(status: number): string {
  const text = statusText[status] ?? 'Error';
  return `<!DOCTYPE html>
<html lang="en-US"><head><title>openrouter.ai | ${status}: ${text}</title><meta charset="UTF-8" /></head>
<body><div id="cf-wrapper"><div id="cf-error-details"><h1><span class="inline-block">${text}</span><span class="code-label">Error code ${status}</span></h1>
<p>Visit <a href="https://www.cloudflare.com/">cloudflare.com</a> for more information.</p>
<div class="cf-error-footer">Cloudflare Ray ID: <strong>8f0c0ffee0000000</strong> &bull; Performance &amp; security by Cloudflare</div></div></div></body></html>
`;
}

export function sendStatusFault(ex: Exchange, fault: Extract<Fault, { type: 'status' }>): void {
  const headers: Record<string, string | number> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = fault.retryAfterMs;
  if (fault.status === 429) {
    headers['x-ratelimit-limit'] = 20;
    headers['x-ratelimit-remaining'] = 0;
    headers['x-ratelimit-reset'] = Date.now() + 60_000;
  }
  if (fault.html) {
    const page = cloudflarePage(fault.status);
    ex.writeHead(fault.status, { ...headers, 'content-type': 'text/html; charset=UTF-8', 'content-length': Buffer.byteLength(page), server: 'cloudflare' });
    ex.end(page);
    return;
  }
  const errorType = errorTypes[fault.status];
  const metadata = fault.metadata ?? (errorType ? { error_type: errorType } : undefined);
  ex.json(fault.status, errorBody(fault.status, fault.message ?? statusText[fault.status] ?? `Emulated ${fault.status}`, fault.code, metadata), headers);
}

export function sendRawFault(ex: Exchange, fault: Extract<Fault, { type: 'raw' }>): void {
  const body = fault.body.repeat(Math.max(1, fault.repeat ?? 1));
  ex.writeHead(fault.status ?? 200, { 'content-type': fault.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) });
  ex.end(body);
}

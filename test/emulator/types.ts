// The control surface of the loopback OpenRouter emulator, shared by every test layer and benchmark.
// In-process callers use the Emulator object; other processes (the VS Code extension host, benchmark
// clients) use the same operations over HTTP under `/__emulator/` on the same origin.

/** A fault applied to one matching request. */
export type Fault =
  /** Answer with this status and an OpenRouter JSON error body (or Cloudflare-style HTML when `html`). */
  | { type: 'status'; status: number; retryAfter?: string; retryAfterMs?: number; html?: boolean; message?: string; code?: string | number; metadata?: Record<string, unknown> }
  /** Destroy the socket after reading the request, before any response byte. */
  | { type: 'drop-before-response' }
  /** Send headers and `afterChunks` SSE events (or part of a JSON body), then destroy the socket. */
  | { type: 'drop-mid-stream'; afterChunks?: number }
  /** Send headers and `afterChunks` events, then go silent forever (until the client gives up). */
  | { type: 'stall'; afterChunks?: number }
  /** Accept the request and never send headers. */
  | { type: 'no-response' }
  /** Wait this long between SSE events. */
  | { type: 'slow-chunks'; delayMs: number }
  /** Send `afterChunks` events, then wait for `releaseHeld()` (or the client to go) and send the rest: a stream caught mid-way. */
  | { type: 'hold'; afterChunks?: number }
  /** Send `afterChunks` content events, then an OpenRouter mid-stream error chunk, then end. */
  | { type: 'error-chunk'; afterChunks?: number; code?: number | string; message?: string }
  /** Send `count` keep-alive comments (`: OPENROUTER PROCESSING`) `intervalMs` apart before the first event. */
  | { type: 'keepalive-first'; count: number; intervalMs: number }
  /** Answer 200 with this raw body and content type (bad JSON, truncated JSON, wrong type, huge body). */
  | { type: 'raw'; body: string; contentType?: string; status?: number; repeat?: number };

export interface FaultRule {
  /** Matches the path below `/api/v1` without query (e.g. `/chat/completions`); all paths when absent. */
  path?: string;
  method?: string;
  /** How many matching requests it applies to (default 1); then it is removed. */
  times?: number;
  fault: Fault;
}

/** A request as the emulator received it (for asserting what the client sent). */
export interface SeenRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** The status the emulator answered with (set once the answer is written). */
  status?: number;
  /** Connection id, increasing per accepted socket (HTTP/2 streams share their session's id). */
  connectionId: number;
  httpVersion: string;
  at: number;
  /** The emulator's own time for this request, ms: headers in → response closed (its delay, work and streaming). Set once it ended. */
  handledMs?: number;
  /** `keyFingerprint()` of the bearer key (the authorization header itself is stored redacted); null without one. */
  keyFingerprint?: string | null;
}

/** A generation as /generation serves it (the fields tests read; the record has all of OpenRouter's). */
export interface EmulatedGeneration {
  id: string;
  model: string;
  provider_name: string;
  total_cost: number;
  /** The client closed the stream before the answer ended. */
  cancelled: boolean;
  streamed: boolean;
  tokens_prompt: number;
  tokens_completion: number;
  finish_reason: string | null;
  [extra: string]: unknown;
}

export interface EmulatorCounters {
  connectionsAccepted: number;
  openConnections: number;
  requests: number;
  requestsByPath: Record<string, number>;
  /** Streams whose client closed the connection/stream before the server finished sending. */
  streamsAbortedByClient: number;
  /** Completed streams (sent [DONE]). */
  streamsCompleted: number;
  tlsHandshakes: number;
}

export interface KeyState {
  label?: string;
  limit: number | null;
  limit_remaining: number | null;
  usage: number;
  usage_daily?: number;
  usage_weekly?: number;
  usage_monthly?: number;
  is_management_key?: boolean;
  is_free_tier?: boolean;
  limit_reset?: string | null;
  /** Providers for which the account has its own key (BYOK): their answers bill the provider's price upstream and OpenRouter's 5% fee. */
  byok_providers?: string[];
  /** Providers the account's settings ignore: `/models/user` leaves out the models they serve. */
  ignored_providers?: string[];
}

export interface EmulatorOptions {
  host?: string;           // default 127.0.0.1
  port?: number;           // default 0 (a free port)
  tls?: boolean;           // HTTPS with a certificate made at start (HTTP/1.1 and HTTP/2 by ALPN)
  /** Number of models in /models; default ~320. */
  modelCount?: number;
  /** Milliseconds after a generation ends before /generation stops answering 404. Default 1500. */
  generationReadyAfterMs?: number;
  /** Server think time before answering each API call, ms. Default 0. */
  serverDelayMs?: number;
  /** Delay between SSE content events, ms. Default 0. */
  chunkDelayMs?: number;
  /** Keys the emulator accepts. Default: `sk-or-v1-test` (ordinary) and `sk-or-v1-management` (management). */
  keys?: Record<string, KeyState>;
  /** Account totals for /credits. Default { total_credits: 25, total_usage: 7.5 }. */
  credits?: { total_credits: number; total_usage: number };
  /** Log each request to stderr. */
  verbose?: boolean;
  /**
   * Text that `POST /completions` predicts from: the prompt's last characters found in it are followed by
   * the rest of that line (a model that knows what the user will type). See textCompletion.ts.
   */
  completionCorpus?: string;
  /** Plain questions get readable markdown answers (test/emulator/demoAnswers.ts) instead of the echo: for the demo only. */
  demoAnswers?: boolean;
  /** The clock sign-in codes age by (tests move it to expire a code); default Date.now. */
  now?: () => number;
  /** /models lists the demo's dated snapshot of real models and prices (test/emulator/demoModels.ts): for the demo only. */
  demoCatalogue?: boolean;
}

export interface Emulator {
  /** Base URL including `/api/v1`, e.g. `https://127.0.0.1:4567/api/v1`. */
  readonly baseUrl: string;
  readonly origin: string;
  readonly port: number;
  /** PEM of the certificate clients must trust (tls only). */
  readonly ca: string | undefined;
  counters(): EmulatorCounters;
  /** The requests seen, oldest first (bounded to the last 1,000). */
  requests(): SeenRequest[];
  /** Every chat generation so far, oldest first, at once (not waiting for /generation's readiness delay). */
  generations(): EmulatedGeneration[];
  addFault(rule: FaultRule): void;
  /** Lets every stream a `hold` fault added so far go on (one that reaches its hold later goes straight through). */
  releaseHeld(): void;
  /** Forgets the fault rules and releases held streams. */
  clearFaults(): void;
  setKey(key: string, state: KeyState | null): void;
  setCredits(credits: { total_credits: number; total_usage: number }): void;
  /** Zero the counters and forget seen requests and faults. */
  reset(): void;
  /** Destroy every open connection (as a server restart would), keeping the listener. */
  dropAllConnections(): void;
  close(): Promise<void>;
}

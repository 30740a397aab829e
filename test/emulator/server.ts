// The emulator: one listener (HTTP, or HTTPS with HTTP/1.1 and HTTP/2 by ALPN), connection counting,
// and the routing of /api/v1 calls and /__emulator control calls.
import http from 'node:http';
import http2 from 'node:http2';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { EmulatedGeneration, Emulator, EmulatorCounters, EmulatorOptions, Fault, FaultRule, KeyState, SeenRequest } from './types';
import { Exchange, connectionIdKey, type AnyRequest, type AnyResponse } from './exchange';
import { FaultBook, errorBody, faultFromHeader, sendRawFault, sendStatusFault } from './faults';
import { buildDemoCatalogue } from './demoModels';
import { buildCatalogue, providerNameFor, queryCatalogue, type EmulatedModel } from './models';
import { modelEndpoints } from './endpoints';
import { GenerationBook, bearerKey, defaultKeys, keyData, keyFingerprint } from './accounts';
import { spendableFor } from './preflight';
import { handleChat, type ChatContext } from './chat';
import { handleTextCompletion } from './textCompletion';
import { PromptCache } from './promptCache';
import { sendJsonBody, type Outcome } from './sse';
import { handleControl } from './control';
import { makeServerCertificate } from './tls';
import { OAuthDesk } from './oauth';

const apiPrefix = '/api/v1';
const maxSeenRequests = 1000;

function zeroCounters(): EmulatorCounters {
  return { connectionsAccepted: 0, openConnections: 0, requests: 0, requestsByPath: {}, streamsAbortedByClient: 0, streamsCompleted: 0, tlsHandshakes: 0 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function redactedHeaders(headers: AnyRequest['headers']): SeenRequest['headers'] {
  const out: SeenRequest['headers'] = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = name === 'authorization' ? 'Bearer [redacted]' : value;
  }
  return out;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class EmulatorServer implements Emulator {
  baseUrl = '';
  origin = '';
  port = 0;
  readonly faults = new FaultBook();
  private readonly server: http.Server | http2.Http2SecureServer;
  private readonly sockets = new Set<net.Socket>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly keys = new Map<string, KeyState>();
  private credits: { total_credits: number; total_usage: number };
  private readonly catalogue: EmulatedModel[];
  private readonly modelsById: Map<string, EmulatedModel>;
  private readonly generationBook = new GenerationBook();
  private readonly seen: SeenRequest[] = [];
  private count = zeroCounters();
  private connectionSeq = 0;
  private generationSeq = 0;
  private toolCallSeq = 0;
  private readonly chat: ChatContext;
  private readonly promptCache = new PromptCache();
  private readonly oauth: OAuthDesk;

  private constructor(
    private readonly options: EmulatorOptions,
    readonly ca: string | undefined,
    certificate: { cert: string; key: string } | undefined,
  ) {
    for (const [key, state] of Object.entries(options.keys ?? defaultKeys)) this.keys.set(key, state);
    this.credits = options.credits ?? { total_credits: 25, total_usage: 7.5 };
    this.oauth = new OAuthDesk((key, state) => this.setKey(key, state), options.now);
    this.catalogue = options.demoCatalogue ? buildDemoCatalogue() : buildCatalogue(options.modelCount ?? 320);
    this.modelsById = new Map(this.catalogue.map((m) => [m.id, m]));
    this.chat = {
      models: this.modelsById,
      chunkDelayMs: options.chunkDelayMs ?? 0,
      nextGenerationId: () => `gen-${Math.floor(Date.now() / 1000)}-${(++this.generationSeq).toString(36).padStart(6, '0')}emu${Math.random().toString(36).slice(2, 10)}`,
      nextToolCallSeq: () => ++this.toolCallSeq,
      recordGeneration: (record) => this.generationBook.add(record),
      promptCache: this.promptCache,
      demoAnswers: options.demoAnswers === true,
      reasoningByToolCall: new Map(),
      streamEnded: (outcome) => this.streamEnded(outcome),
      released: (fault) => this.faults.released(fault),
    };
    const handler = (req: AnyRequest, res: AnyResponse): void => void this.handle(req, res);
    if (certificate) {
      const server = http2.createSecureServer({ ...certificate, allowHTTP1: true });
      server.on('request', handler);
      // Runs before Node's own listener so the id is there when the first request arrives.
      server.prependListener('secureConnection', (socket: net.Socket) => {
        this.count.tlsHandshakes++;
        (socket as unknown as Record<symbol, number>)[connectionIdKey] = ++this.connectionSeq;
      });
      server.on('session', (session) => {
        this.sessions.add(session);
        session.once('close', () => this.sessions.delete(session));
      });
      this.server = server;
    } else {
      const server = http.createServer(handler);
      // Idle keep-alive sockets stay open for as long as a client pool may keep them.
      server.keepAliveTimeout = 120_000;
      this.server = server;
    }
    this.server.on('connection', (socket: net.Socket) => {
      this.count.connectionsAccepted++;
      if (!certificate) (socket as unknown as Record<symbol, number>)[connectionIdKey] = ++this.connectionSeq;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: EmulatorOptions = {}): Promise<EmulatorServer> {
    const certificate = options.tls ? await makeServerCertificate() : undefined;
    const emulator = new EmulatorServer(options, certificate?.ca, certificate);
    await emulator.listen(options.host ?? '127.0.0.1', options.port ?? 0);
    return emulator;
  }

  private listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        const hostInUrl = host.includes(':') ? `[${host}]` : host;
        this.origin = `${this.options.tls ? 'https' : 'http'}://${hostInUrl}:${this.port}`;
        this.baseUrl = `${this.origin}${apiPrefix}`;
        resolve();
      });
    });
  }

  counters(): EmulatorCounters {
    return { ...this.count, requestsByPath: { ...this.count.requestsByPath }, openConnections: this.sockets.size };
  }

  requests(): SeenRequest[] {
    return [...this.seen];
  }

  generations(): EmulatedGeneration[] {
    return this.generationBook.list() as EmulatedGeneration[];
  }

  addFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  releaseHeld(): void {
    this.faults.release();
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setKey(key: string, state: KeyState | null): void {
    if (state) this.keys.set(key, state);
    else this.keys.delete(key);
  }

  setCredits(credits: { total_credits: number; total_usage: number }): void {
    this.credits = credits;
  }

  reset(): void {
    this.count = zeroCounters();
    this.seen.length = 0;
    this.faults.clear();
    this.generationBook.clear();
    this.promptCache.clear();
    this.chat.reasoningByToolCall.clear();
  }

  dropAllConnections(): void {
    for (const session of this.sessions) session.destroy();
    for (const socket of this.sockets) socket.destroy();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.dropAllConnections();
    });
  }

  private streamEnded(outcome: Outcome): void {
    if (outcome === 'completed') this.count.streamsCompleted++;
    else if (outcome === 'client-aborted') this.count.streamsAbortedByClient++;
  }

  private log(ex: Exchange, started: number): void {
    if (!this.options.verbose) return;
    void ex.finished.then(() => {
      const status = ex.droppedByServer ? 'dropped' : ex.clientGone ? 'client-closed' : String(ex.res.statusCode);
      process.stderr.write(`[emulator] ${ex.req.method} ${ex.url.pathname}${ex.url.search} HTTP/${ex.req.httpVersion} conn#${ex.connectionId} -> ${status} ${Date.now() - started}ms\n`);
    });
  }

  private async handle(req: AnyRequest, res: AnyResponse): Promise<void> {
    const ex = new Exchange(req, res);
    this.log(ex, Date.now());
    try {
      if (ex.url.pathname.startsWith('/__emulator/')) await handleControl(ex, this);
      else if (!(await this.oauth.handlePage(ex))) await this.handleApi(ex);
    } catch (error) {
      if (!res.headersSent) ex.json(500, errorBody(500, `Emulator error: ${error instanceof Error ? error.message : String(error)}`));
      else ex.drop();
    }
  }

  /** Records the request and returns its parsed body. */
  private record(ex: Exchange, apiPath: string, raw: string): SeenRequest {
    const key = bearerKey(ex.req.headers.authorization);
    const body = parseJson(raw);
    const seen: SeenRequest = {
      method: ex.req.method ?? 'GET',
      path: apiPath,
      query: ex.url.search,
      headers: redactedHeaders(ex.req.headers),
      body,
      connectionId: ex.connectionId,
      httpVersion: ex.req.httpVersion,
      at: Date.now(),
      keyFingerprint: key ? keyFingerprint(key) : null,
    };
    this.seen.push(seen);
    void ex.finished.then(() => (seen.handledMs = performance.now() - ex.receivedAt));
    if (this.seen.length > maxSeenRequests) this.seen.shift();
    this.count.requests++;
    this.count.requestsByPath[apiPath] = (this.count.requestsByPath[apiPath] ?? 0) + 1;
    return seen;
  }

  private async handleApi(ex: Exchange): Promise<void> {
    const path = ex.url.pathname;
    if (!path.startsWith(`${apiPrefix}/`)) {
      ex.json(404, errorBody(404, 'Not Found'));
      return;
    }
    const apiPath = path.slice(apiPrefix.length);
    const method = (ex.req.method ?? 'GET').toUpperCase();
    const raw = await ex.readBody();
    const seen = this.record(ex, apiPath, raw);
    const body = seen.body;
    ex.res.once('finish', () => (seen.status = ex.res.statusCode));
    const isStream = (apiPath === '/chat/completions' || apiPath === '/completions') && (body as { stream?: unknown } | undefined)?.stream === true;
    const fault = faultFromHeader(ex.req.headers['x-emulator-fault']) ?? this.faults.take(method, apiPath);
    if (this.options.serverDelayMs) await sleep(this.options.serverDelayMs);
    if (!ex.alive) {
      if (isStream) this.count.streamsAbortedByClient++;
      return;
    }
    if (await this.applyResponseFault(ex, fault, isStream)) return;
    await this.route(ex, method, apiPath, raw, fault);
  }

  /** Faults that replace the response entirely; true when one was applied. */
  private async applyResponseFault(ex: Exchange, fault: Fault | undefined, isStream: boolean): Promise<boolean> {
    switch (fault?.type) {
      case 'status':
        sendStatusFault(ex, fault);
        return true;
      case 'raw':
        sendRawFault(ex, fault);
        return true;
      case 'drop-before-response':
        ex.drop();
        return true;
      case 'no-response':
        await ex.finished;
        if (isStream && ex.clientGone) this.count.streamsAbortedByClient++;
        return true;
      default:
        return false;
    }
  }

  private authorized(ex: Exchange): { key: string; state: KeyState } | undefined {
    const key = bearerKey(ex.req.headers.authorization);
    if (!key) {
      ex.json(401, errorBody(401, 'No auth credentials found'));
      return undefined;
    }
    const state = this.keys.get(key);
    if (!state) {
      ex.json(401, errorBody(401, 'User not found.'));
      return undefined;
    }
    return { key, state };
  }

  private async route(ex: Exchange, method: string, apiPath: string, raw: string, fault: Fault | undefined): Promise<void> {
    const route = `${method} ${apiPath}`;
    if (route === 'GET /models') {
      await sendJsonBody(ex, 200, queryCatalogue(this.catalogue, ex.url.searchParams, this.baseUrl), fault);
      return;
    }
    if (route === 'GET /models/user') {
      // The account's own list: models whose provider the key's settings ignore are left out.
      const auth = this.authorized(ex);
      const ignored = new Set(auth?.state.ignored_providers ?? []);
      if (auth) await sendJsonBody(ex, 200, queryCatalogue(this.catalogue.filter((m) => !ignored.has(providerNameFor(m.id))), ex.url.searchParams, this.baseUrl), fault);
      return;
    }
    const endpoints = method === 'GET' ? /^\/models\/([^/]+)\/(.+)\/endpoints$/.exec(apiPath) : null;
    if (endpoints) {
      const model = this.catalogue.find((m) => m.id === `${decodeURIComponent(endpoints[1]!)}/${decodeURIComponent(endpoints[2]!)}`);
      if (!model) ex.json(404, errorBody(404, 'Model not found'));
      else await sendJsonBody(ex, 200, modelEndpoints(model, bearerKey(ex.req.headers.authorization) !== undefined), fault);
      return;
    }
    if (route === 'POST /chat/completions') {
      const auth = this.authorized(ex);
      if (auth) await handleChat(ex, this.chat, raw, fault, spendableFor(auth.state, this.credits), auth.state.byok_providers);
      return;
    }
    if (route === 'POST /completions') {
      const auth = this.authorized(ex);
      if (auth) await handleTextCompletion(ex, this.chat, this.options.completionCorpus, raw, fault, spendableFor(auth.state, this.credits));
      return;
    }
    if (route === 'POST /auth/keys') {
      this.oauth.exchange(ex, parseJson(raw));
      return;
    }
    if (route === 'GET /key') {
      const auth = this.authorized(ex);
      if (auth) await sendJsonBody(ex, 200, { data: keyData(auth.key, auth.state) }, fault);
      return;
    }
    if (route === 'GET /credits') {
      const auth = this.authorized(ex);
      if (!auth) return;
      if (!auth.state.is_management_key) ex.json(403, errorBody(403, 'Only management keys can perform this operation'));
      else await sendJsonBody(ex, 200, { data: { ...this.credits } }, fault);
      return;
    }
    if (route === 'GET /generation') {
      if (!this.authorized(ex)) return;
      const id = ex.url.searchParams.get('id');
      if (!id) {
        ex.json(400, errorBody(400, 'Missing required parameter: id'));
        return;
      }
      const data = this.generationBook.ready(id, this.options.generationReadyAfterMs ?? 1500);
      if (!data) ex.json(404, errorBody(404, `Generation ${id} not found`));
      else await sendJsonBody(ex, 200, { data }, fault);
      return;
    }
    ex.json(404, errorBody(404, `No route for ${method} ${apiPrefix}${apiPath}`));
  }
}

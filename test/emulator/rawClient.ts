// A bare node:http(s) client for tests that check the emulator itself (and what arrives on the wire),
// independent of the product's provider.
import http from 'node:http';
import https from 'node:https';

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  agent?: http.Agent | false;
  ca?: string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  httpVersion: string;
}

export const testKey = 'sk-or-v1-test';
export const managementKey = 'sk-or-v1-management';

export function auth(key = testKey): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

function start(origin: string, req: RawRequest): http.ClientRequest {
  const url = new URL(req.path, origin);
  const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  const headers: Record<string, string | number> = { ...req.headers };
  if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
  }
  const options: https.RequestOptions = { method: req.method ?? (body === undefined ? 'GET' : 'POST'), headers, agent: req.agent ?? false };
  if (req.ca) options.ca = req.ca;
  const request = url.protocol === 'https:' ? https.request(url, options) : http.request(url, options);
  request.end(body);
  return request;
}

/** Sends one request and reads the whole answer; rejects on a socket error (dropped connection). */
export function send(origin: string, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = start(origin, req);
    request.on('error', reject);
    request.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error(`response aborted after ${body.length} characters`)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, httpVersion: res.httpVersion }));
    });
  });
}

export interface OpenStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Resolves with the next raw SSE block (event or comment, without the blank line), or null at the end. */
  next(): Promise<string | null>;
  /** Raw text received so far. */
  received(): string;
  /** Closes the connection from the client side. */
  destroy(): void;
  /** Resolves when the response ended or errored: 'end' or the error message. */
  done: Promise<string>;
}

/** Opens a response and hands its SSE blocks out one at a time, so a test can stop reading mid-stream. */
export function open(origin: string, req: RawRequest): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const request = start(origin, req);
    request.once('error', reject);
    request.on('response', (res) => {
      let text = '';
      let buffer = '';
      let ended = false;
      const waiting: Array<() => void> = [];
      const wake = (): void => waiting.splice(0).forEach((w) => w());
      let finish!: (result: string) => void;
      const done = new Promise<string>((r) => (finish = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        buffer += chunk;
        wake();
      });
      res.on('end', () => ((ended = true), finish('end'), wake()));
      res.on('aborted', () => ((ended = true), finish('aborted'), wake()));
      res.on('error', (error) => ((ended = true), finish(error.message), wake()));
      request.on('error', (error) => ((ended = true), finish(error.message), wake()));
      request.on('close', () => ((ended = true), finish('closed'), wake()));
      const next = async (): Promise<string | null> => {
        for (;;) {
          const at = buffer.indexOf('\n\n');
          if (at >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            return block;
          }
          if (ended) return null;
          await new Promise<void>((r) => waiting.push(r));
        }
      };
      resolve({ status: res.statusCode ?? 0, headers: res.headers, next, received: () => text, destroy: () => request.destroy(), done });
    });
  });
}

/** Parses an SSE text into its data payloads (comments dropped), `[DONE]` kept as the string. */
export function dataEvents(text: string): unknown[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n'))
    .filter((data) => data.length > 0)
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}


import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RequestDispatcher } from '../../src/openrouter/http2Connection';
import { ConnectionPool } from '../../src/openrouter/pool';

/** A GET through a lease's dispatcher: resolves with the status once the answer ends, rejects on failure. */
function send(dispatcher: RequestDispatcher, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let status = 0;
    dispatcher.dispatch({ origin, path: '/', method: 'GET' }, {
      onRequestStart: () => {},
      onResponseStart: (_controller, code) => {
        status = code;
      },
      onResponseEnd: () => resolve(status),
      onResponseError: (_controller, error) => reject(error),
    });
  });
}

/** A loopback listener that accepts connections and never answers, so a TLS handshake hangs. */
async function silentServer(): Promise<{ origin: string; sockets: Set<net.Socket>; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  promise.then(() => { done = true; }, () => { done = true; });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('connection pool', () => {
  it('with allowH2, later calls wait for the first connection’s protocol; an abort ends the wait at once', async () => {
    const server = await silentServer();
    const pool = new ConnectionPool({ origin: server.origin, poolSize: 4, connectMs: 400, headersMs: 1_000, idleMs: 1_000, allowH2: true });
    try {
      const first = await pool.acquire();
      const request = send(first.dispatcher, server.origin);
      request.catch(() => {});
      const controller = new AbortController();
      const waiting = pool.acquire(controller.signal);
      assert.equal(await settled(waiting), false, 'the second call waits while the handshake is pending');
      controller.abort(new Error('stop'));
      await assert.rejects(waiting, /stop/);
      // The handshake times out; the wait ends and the next call gets its own slot.
      await assert.rejects(request);
      first.release();
      const next = await pool.acquire();
      assert.equal(next.reset, false);
      next.release();
    } finally {
      await pool.close();
      await server.close();
    }
  });

  it('without allowH2 a call never waits for another’s connection', async () => {
    const server = await silentServer();
    const pool = new ConnectionPool({ origin: server.origin.replace('https', 'http'), poolSize: 1, connectMs: 400, headersMs: 300, idleMs: 300, allowH2: false });
    try {
      const first = await pool.acquire();
      const request = send(first.dispatcher, server.origin.replace('https', 'http'));
      request.catch(() => {});
      const second = await pool.acquire();
      // The pool's one kept slot is busy, so the second call gets a throwaway socket right away.
      assert.equal(second.reset, true);
      first.release();
      second.release();
    } finally {
      await pool.close();
      await server.close();
    }
  });
});

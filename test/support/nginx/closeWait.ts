// Sees, from the kernel's socket table, the moment a server closed a connection to it: the client's end
// is then in CLOSE_WAIT (the FIN arrived) whether or not the client process has read it yet.
import { readFileSync } from 'node:fs';

const CLOSE_WAIT = '08';

/** Client sockets to 127.0.0.1:`port` whose peer has closed (IPv4 table, as nginx listens on 127.0.0.1). */
export function closedByPeer(port: number): number {
  const remote = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let count = 0;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[2] === remote && fields[3] === CLOSE_WAIT) count++;
  }
  return count;
}

/**
 * Blocks the event loop until the server closed one of its connections to `port`: the process then
 * holds a FIN (and, over HTTP/2, a GOAWAY) it has not read, exactly as a busy client meets a kept
 * connection the server dropped while it sat idle. Throws after `timeoutMs`.
 */
export function blockUntilPeerCloses(port: number, timeoutMs: number): void {
  const deadline = performance.now() + timeoutMs;
  // Atomics.wait pauses the thread between looks (1 ms) without letting the event loop run.
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (closedByPeer(port) === 0) {
    if (performance.now() > deadline) throw new Error(`no connection to port ${port} was closed by the server within ${timeoutMs} ms`);
    Atomics.wait(pause, 0, 0, 1);
  }
}

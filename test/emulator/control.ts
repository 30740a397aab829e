// The control API under /__emulator/, so other processes (extension host, benchmarks) can steer the
// emulator the way in-process tests do through the Emulator object.
import type { Emulator, FaultRule, KeyState } from './types';
import type { Exchange } from './exchange';
import { errorBody } from './faults';

function parse(raw: string): unknown {
  return raw ? JSON.parse(raw) : undefined;
}

export async function handleControl(ex: Exchange, emulator: Emulator): Promise<void> {
  const method = (ex.req.method ?? 'GET').toUpperCase();
  const path = ex.url.pathname.slice('/__emulator'.length);
  let body: unknown;
  try {
    body = parse(await ex.readBody());
  } catch {
    ex.json(400, errorBody(400, 'Invalid JSON'));
    return;
  }
  const ok = (): void => ex.json(200, { ok: true });
  const route = `${method} ${path}`;
  try {
    if (route === 'POST /faults') {
      const rules = (Array.isArray(body) ? body : [body]) as FaultRule[];
      rules.forEach((rule) => emulator.addFault(rule));
      return ok();
    }
    if (route === 'DELETE /faults') return (emulator.clearFaults(), ok());
    if (route === 'POST /release') return (emulator.releaseHeld(), ok());
    if (route === 'GET /counters') return ex.json(200, emulator.counters());
    if (route === 'GET /requests') return ex.json(200, emulator.requests());
    if (route === 'GET /generations') return ex.json(200, emulator.generations());
    if (route === 'POST /reset') return (emulator.reset(), ok());
    if (route === 'PUT /credits') {
      const credits = body as { total_credits?: unknown; total_usage?: unknown };
      if (typeof credits?.total_credits !== 'number' || typeof credits.total_usage !== 'number') {
        return ex.json(400, errorBody(400, 'Body must be { total_credits: number, total_usage: number }'));
      }
      emulator.setCredits({ total_credits: credits.total_credits, total_usage: credits.total_usage });
      return ok();
    }
    if (method === 'PUT' && path.startsWith('/keys/')) {
      emulator.setKey(decodeURIComponent(path.slice('/keys/'.length)), (body ?? null) as KeyState | null);
      return ok();
    }
    if (route === 'POST /drop-connections') {
      // Answer first: dropping also cuts the connection this request came on.
      ex.res.once('finish', () => emulator.dropAllConnections());
      return ok();
    }
    ex.json(404, errorBody(404, `No control route ${method} ${path}`));
  } catch (error) {
    ex.json(400, errorBody(400, error instanceof Error ? error.message : String(error)));
  }
}

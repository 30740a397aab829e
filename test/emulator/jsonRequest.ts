// The start of every POST handler: the body as a JSON object, or OpenRouter's 400 answered and undefined.
import type { Exchange } from './exchange';
import { errorBody } from './faults';

export function jsonObjectBody(ex: Exchange, raw: string): Record<string, unknown> | undefined {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    ex.json(400, errorBody(400, 'Invalid JSON in request body'));
    return undefined;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    ex.json(400, errorBody(400, 'Request body must be a JSON object'));
    return undefined;
  }
  return body as Record<string, unknown>;
}

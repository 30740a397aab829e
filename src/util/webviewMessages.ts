// Checks a message from a webview against its protocol before any handler sees it: a webview runs model
// output, so what it sends is untrusted input. Each protocol lists, per message type, the kind of every
// field; the types below make that list complete (a message type or field missing from it does not compile).
// No vscode import.

/** A required field's kind: a string, a number, a boolean, one of some strings, or anything (checked later). */
type RequiredField<T> = [T] extends [boolean]
  ? 'boolean'
  : [T] extends [number]
    ? 'number'
    : [T] extends [string]
      ? string extends T
        ? 'string'
        : readonly T[]
      : 'unknown';

/** An optional field's kind: the same, marked with `?` (a list of strings becomes `{ optional: [...] }`). */
type OptionalField<T> = [T] extends [boolean]
  ? 'boolean?'
  : [T] extends [number]
    ? 'number?'
    : [T] extends [string]
      ? string extends T
        ? 'string?'
        : { optional: readonly T[] }
      : 'unknown';

type FieldKind<T> = undefined extends T ? OptionalField<Exclude<T, undefined>> : RequiredField<T>;

type FieldsOf<M> = { [F in Exclude<keyof M, 'type'>]-?: FieldKind<M[F]> };

/** For a protocol `M` (a union on `type`): every message type, and for each every field with its kind. */
export type MessageShapes<M extends { type: string }> = { [K in M['type']]: FieldsOf<Extract<M, { type: K }>> };

type AnyField = 'string' | 'number' | 'boolean' | 'unknown' | 'string?' | 'number?' | 'boolean?' | readonly string[] | { optional: readonly string[] };

export type ParsedMessage<M> = { ok: true; message: M } | { ok: false; problem: string };

/** `raw` as an `M` when its type is known and every field has its kind (extra fields are dropped); else why not. */
export function parseMessage<M extends { type: string }>(shapes: MessageShapes<M>, raw: unknown): ParsedMessage<M> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problem: 'the message is not an object' };
  const record = raw as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(shapes, type)) return { ok: false, problem: `unknown message type ${JSON.stringify(String(type)).slice(0, 80)}` };
  const fields = (shapes as unknown as Record<string, Record<string, AnyField>>)[type]!;
  const message: Record<string, unknown> = { type };
  for (const [name, kind] of Object.entries(fields)) {
    const value = record[name];
    const problem = fieldProblem(kind, value);
    if (problem) return { ok: false, problem: `${type}.${name} ${problem}` };
    if (value !== undefined) message[name] = value;
  }
  return { ok: true, message: message as M };
}

function fieldProblem(kind: AnyField, value: unknown): string | undefined {
  if (kind === 'unknown') return undefined;
  if (typeof kind === 'object' && 'optional' in kind) return value === undefined ? undefined : oneOfProblem(kind.optional, value);
  if (Array.isArray(kind)) return oneOfProblem(kind as readonly string[], value);
  const name = kind as string;
  const optional = name.endsWith('?');
  if (value === undefined) return optional ? undefined : 'is missing';
  const expected = optional ? name.slice(0, -1) : name;
  if (typeof value !== expected || (expected === 'number' && !Number.isFinite(value))) return `must be a ${expected === 'number' ? 'finite number' : expected}`;
  return undefined;
}

function oneOfProblem(allowed: readonly string[], value: unknown): string | undefined {
  return typeof value === 'string' && allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`;
}

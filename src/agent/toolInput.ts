// Checks a tool call's arguments before the tool runs: JSON that parses to an object, and that object against the
// tool's JSON Schema. What is wrong is said in words the model can act on. The validator (@cfworker/json-schema:
// every draft from 4 to 2020-12, no code generation) is required on the first check, not when the extension loads.
import type * as CfworkerJsonSchema from '@cfworker/json-schema';
import { parseArguments, ToolArgumentsError } from '../answer/toolCalls';

let validatorPackage: typeof CfworkerJsonSchema | undefined;

function loadValidator(): typeof CfworkerJsonSchema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require inside a function stays lazy in the bundle
  validatorPackage ??= require('@cfworker/json-schema') as typeof CfworkerJsonSchema;
  return validatorPackage;
}

/** A compiled validator per schema object: tool lists are rebuilt per task, their schemas are not. */
const validators = new WeakMap<object, CfworkerJsonSchema.Validator>();

/** The most problems listed back to the model (a schema with many required fields stays readable). */
const maxProblems = 8;

export type ToolInputCheck = { ok: true; input: Record<string, unknown> } | { ok: false; problem: string };

/** Parses and validates `rawArguments` for `toolName`; `problem` is the text the model reads when it fails. */
export function checkToolInput(toolName: string, schema: Record<string, unknown>, rawArguments: string): ToolInputCheck {
  let input: Record<string, unknown>;
  try {
    input = parseArguments(toolName, rawArguments) as Record<string, unknown>;
  } catch (error) {
    const shown = error instanceof ToolArgumentsError ? preview(error.rawArguments) : '';
    return { ok: false, problem: `The arguments of your call to "${toolName}" are not a JSON object${shown ? `: ${shown}` : ''}. Call it again with a JSON object that matches its schema.` };
  }
  const problems = schemaProblems(schema, input);
  if (problems === undefined) return { ok: false, problem: `The tool "${toolName}" publishes an argument schema that cannot be read, so its arguments cannot be checked and it cannot be used. Do not call it again; do without it.` };
  if (problems.length === 0) return { ok: true, input };
  const listed = problems.slice(0, maxProblems).map((line) => `- ${line}`);
  if (problems.length > maxProblems) listed.push(`- and ${problems.length - maxProblems} more`);
  return { ok: false, problem: `The arguments of your call to "${toolName}" do not match its schema:\n${listed.join('\n')}\nCall it again with corrected arguments.` };
}

/** Each leaf problem as "where: what"; undefined when the schema itself cannot be read (the tool's fault, not the model's). */
export function schemaProblems(schema: Record<string, unknown>, input: unknown): string[] | undefined {
  let validator = validators.get(schema);
  if (!validator) {
    const { Validator } = loadValidator();
    try {
      validator = new Validator(schema, '2020-12', false);
    } catch {
      return undefined;
    }
    validators.set(schema, validator);
  }
  let result: CfworkerJsonSchema.ValidationResult;
  try {
    result = validator.validate(input);
  } catch {
    return undefined;
  }
  if (result.valid) return [];
  // "properties"/"items" wrappers only say a child failed; the child's own line says how.
  const leaves = result.errors.filter((e) => !['properties', 'items', 'prefixItems', 'additionalItems', 'allOf', '$ref', 'unevaluatedProperties'].includes(e.keyword) || result.errors.length === 1);
  const lines = (leaves.length > 0 ? leaves : result.errors).map((e) => `${where(e.instanceLocation)}: ${e.keyword === 'false' ? 'is not allowed here' : e.error}`);
  return [...new Set(lines)];
}

/** "#/edits/0/path" → "edits[0].path"; the whole object is "arguments". */
function where(instanceLocation: string): string {
  const parts = instanceLocation.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => decodeURIComponent(p.replace(/~1/g, '/').replace(/~0/g, '~')));
  if (parts.length === 0) return 'arguments';
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function preview(raw: string): string {
  const text = raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
  return text.trim() === '' ? '' : JSON.stringify(text);
}

// `reasoning_details` as OpenRouter streams them per provider family (reasoning.text with a signature for
// Anthropic, reasoning.summary plus reasoning.encrypted for OpenAI, reasoning.text plus an encrypted thought
// signature tied to the tool call for Gemini), and the refusal Anthropic thinking and Gemini 3 models answer
// when an assistant turn with tool calls comes back without them, or altered.
import { createHash } from 'node:crypto';
import { errorBody } from './faults';

type Detail = Record<string, unknown>;

function formatFor(modelId: string): string {
  if (modelId.startsWith('anthropic/')) return 'anthropic-claude-v1';
  if (modelId.startsWith('google/')) return 'google-gemini-v1';
  if (modelId.startsWith('openai/')) return 'openai-responses-v1';
  return 'unknown';
}

/** Models whose provider rejects a tool-call turn sent back without its reasoning, as the real ones do. */
export function demandsReasoningBack(modelId: string): boolean {
  return /^anthropic\/claude-(sonnet|opus|haiku)-4|^anthropic\/claude-3\.7-sonnet|^google\/gemini-3/.test(modelId);
}

function opaque(kind: string, seed: string): string {
  return createHash('sha256').update(`${kind}:${seed}`).digest('base64');
}

/**
 * One `reasoning_details` delta per reasoning piece (the same count the billing counts), the last one
 * carrying the signature or encrypted block the provider attaches when its reasoning ends.
 */
export function reasoningDeltas(modelId: string, pieces: readonly string[], seed: string, toolCallId: string | undefined): Detail[][] {
  const format = formatFor(modelId);
  const whole = pieces.join('');
  return pieces.map((piece, i) => {
    const last = i === pieces.length - 1;
    if (format === 'openai-responses-v1') {
      const summary: Detail[] = [{ type: 'reasoning.summary', summary: piece, format, index: 0 }];
      if (last) summary.push({ type: 'reasoning.encrypted', data: opaque('encrypted', seed + whole), id: `rs_${seed}`, format, index: 1 });
      return summary;
    }
    const text: Detail = { type: 'reasoning.text', text: piece, format, index: 0 };
    if (last && format === 'anthropic-claude-v1') text.signature = opaque('signature', seed + whole);
    const out = [text];
    if (last && format === 'google-gemini-v1' && toolCallId) out.push({ type: 'reasoning.encrypted', data: opaque('thought', seed + whole), id: toolCallId, format, index: 1 });
    return out;
  });
}

/** The streamed deltas as one array, the way the non-streamed message carries them: pieces of one index joined. */
export function wholeDetails(deltas: readonly Detail[][]): Detail[] {
  const byIndex = new Map<number, Detail>();
  for (const detail of deltas.flat()) {
    const index = typeof detail.index === 'number' ? detail.index : byIndex.size;
    const kept = byIndex.get(index);
    if (!kept) {
      byIndex.set(index, { ...detail });
      continue;
    }
    for (const [key, value] of Object.entries(detail)) {
      if ((key === 'text' || key === 'summary' || key === 'data') && typeof value === 'string') kept[key] = `${typeof kept[key] === 'string' ? kept[key] : ''}${value}`;
      else if (value !== undefined && value !== null) kept[key] = value;
    }
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, detail]) => detail);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The 400 OpenRouter relays when an assistant message that called a tool lost or changed the reasoning sent
 * with that call; undefined when every such turn came back as sent.
 */
export function reasoningRefusal(messages: readonly unknown[], sentWithCall: ReadonlyMap<string, { modelId: string; details: Detail[] }>): Record<string, unknown> | undefined {
  for (const [position, message] of messages.entries()) {
    if (!message || typeof message !== 'object') continue;
    const { role, tool_calls: calls, reasoning_details: returned } = message as { role?: unknown; tool_calls?: unknown; reasoning_details?: unknown };
    if (role !== 'assistant' || !Array.isArray(calls)) continue;
    for (const call of calls as Array<{ id?: unknown; function?: { name?: unknown } }>) {
      const sent = typeof call?.id === 'string' ? sentWithCall.get(call.id) : undefined;
      if (!sent || sameJson(returned, sent.details)) continue;
      const lost = !Array.isArray(returned) || returned.length === 0;
      const name = typeof call.function?.name === 'string' ? call.function.name : 'tool';
      const raw = sent.modelId.startsWith('google/')
        ? `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${position + 1}.`
        : lost
          ? `messages.${position}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`tool_use\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks).`
          : `messages.${position}.content.0: Invalid \`signature\` in \`thinking\` block`;
      const provider = sent.modelId.startsWith('google/') ? 'Google AI Studio' : 'Anthropic';
      return errorBody(400, 'Provider returned error', 400, { raw: JSON.stringify({ error: { code: 400, message: raw } }), provider_name: provider });
    }
  }
  return undefined;
}

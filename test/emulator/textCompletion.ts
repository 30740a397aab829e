// POST /completions (OpenRouter's text completions: `prompt`, and `suffix` for fill-in-the-middle):
// a deterministic middle, streamed as `text_completion` chunks or sent as one body, billed like a chat.
import type { AnswerPlan } from './answer';
import { splitBy } from './answer';
import { usageFor, type AnswerHeader, type Usage } from './completion';
import { preflight, type Spendable } from './preflight';
import { generationStats } from './generation';
import { providerNameFor, type EmulatedModel } from './models';
import type { Exchange } from './exchange';
import type { Fault } from './types';
import { errorBody } from './faults';
import { sendJsonBody, sendSse, type Outcome } from './sse';
import type { ChatContext } from './chat';
import { planMiddle } from './fimMiddle';
import { jsonObjectBody } from './jsonRequest';

function chunk(header: AnswerHeader, text: string, finish: string | null): Record<string, unknown> {
  return { ...header, object: 'text_completion', choices: [{ index: 0, text, finish_reason: finish, native_finish_reason: finish, logprobs: null }] };
}

export function textStreamEvents(header: AnswerHeader, pieces: string[], finish: string, usage: Usage): unknown[] {
  return [...pieces.map((piece) => chunk(header, piece, null)), chunk(header, '', finish), { ...header, object: 'text_completion', choices: [], usage }];
}

function validate(ex: Exchange, ctx: ChatContext, raw: string): { body: Record<string, unknown>; model: EmulatedModel } | undefined {
  const record = jsonObjectBody(ex, raw);
  if (!record) return undefined;
  if (typeof record.prompt !== 'string') {
    ex.json(400, errorBody(400, 'Input required: specify "prompt" (a string)'));
    return undefined;
  }
  const model = typeof record.model === 'string' ? ctx.models.get(record.model) : undefined;
  if (!model) {
    ex.json(400, errorBody(400, `${String(record.model)} is not a valid model ID`));
    return undefined;
  }
  return { body: record, model };
}

export async function handleTextCompletion(ex: Exchange, ctx: ChatContext, corpus: string | undefined, raw: string, fault: Fault | undefined, spendable?: Spendable): Promise<void> {
  const valid = validate(ex, ctx, raw);
  if (!valid) return;
  const { body, model } = valid;
  const prompt = body.prompt as string;
  const suffix = typeof body.suffix === 'string' ? body.suffix : '';
  let pieces = splitBy(planMiddle(prompt, corpus), 4);
  let finishReason: AnswerPlan['finishReason'] = 'stop';
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
  if (maxTokens !== undefined && maxTokens >= 0 && pieces.length > maxTokens) {
    pieces = pieces.slice(0, maxTokens);
    finishReason = 'length';
  }
  const plan: AnswerPlan = { reasoningPieces: [], contentPieces: pieces, finishReason, promptText: `${prompt}${suffix}` };
  const header: AnswerHeader = { id: ctx.nextGenerationId(), provider: providerNameFor(model.id), model: model.id, created: Math.floor(Date.now() / 1000) };
  const headers = { 'x-generation-id': header.id };
  const startedAt = Date.now();
  const streamed = body.stream === true;
  const fullUsage = usageFor(model, plan, pieces.length, 0);
  const refused = preflight(model, body, fullUsage.prompt_tokens, spendable);
  if (refused) {
    ex.json(402, refused);
    return;
  }
  let sent = pieces.length;
  let outcome: Outcome;
  if (streamed) {
    outcome = await sendSse(ex, textStreamEvents(header, pieces, finishReason, fullUsage), {
      onSent: (count) => (sent = Math.min(count, pieces.length)),
      fault,
      chunkDelayMs: ctx.chunkDelayMs,
      headers,
      errorChunk: (code, message) => ({ ...chunk(header, '', 'error'), error: { code, message } }),
    });
    if (outcome !== 'completed') sent = Math.min(sent, pieces.length);
    ctx.streamEnded(outcome);
  } else {
    const completion = { ...header, object: 'text_completion', choices: [{ index: 0, text: pieces.join(''), finish_reason: finishReason, native_finish_reason: finishReason, logprobs: null }], usage: fullUsage };
    outcome = await sendJsonBody(ex, 200, completion, fault, headers);
  }
  ctx.recordGeneration({
    id: header.id,
    endedAt: Date.now(),
    data: generationStats({
      header,
      canonicalSlug: model.canonical_slug,
      usage: usageFor(model, plan, sent, 0),
      reasoningTokens: 0,
      outcome,
      finishReason,
      streamed,
      startedAt,
      endedAt: Date.now(),
    }),
  });
}

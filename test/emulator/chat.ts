// POST /chat/completions: validation, then the deterministic answer sent as one JSON body or as SSE
// chunks (with the request's fault), then the generation record /generation serves later.
import { planAnswer, type ChatBodyLike } from './answer';
import { cacheDiscount, completionBody, errorChunk, outputPieces, streamEvents, usageFor, type AnswerHeader } from './completion';
import { generationStats } from './generation';
import { providerNameFor, specialModelIds, type EmulatedModel } from './models';
import type { Exchange } from './exchange';
import type { Fault } from './types';
import { errorBody } from './faults';
import { sendJsonBody, sendSse, type Outcome } from './sse';
import type { GenerationRecord } from './accounts';
import type { PromptCache } from './promptCache';
import { jsonObjectBody } from './jsonRequest';
import { contextRefusal, preflight, type Spendable } from './preflight';
import { messageText } from './answer';
import { runWebSearch, withAnnotationChunk, withWebSearch } from './webSearch';
import { readPdfs, withPdfs } from './pdfInput';
import { billsAfterAbort } from './cancellation';
import { withByok } from './byok';
import { routedModel } from './routers';
import { demandsReasoningBack, reasoningDeltas, reasoningRefusal, wholeDetails } from './reasoningDetails';

export interface ChatContext {
  models: Map<string, EmulatedModel>;
  chunkDelayMs: number;
  nextGenerationId(): string;
  nextToolCallSeq(): number;
  recordGeneration(record: GenerationRecord): void;
  /** Prefixes cached by earlier requests (cache_control breakpoints). */
  promptCache: PromptCache;
  /** The demo's readable answers instead of the echo (see demoAnswers.ts). */
  demoAnswers?: boolean;
  /** The reasoning sent with each tool call of a model that demands it back, by tool call id (cleared on reset). */
  reasoningByToolCall: Map<string, { modelId: string; details: Array<Record<string, unknown>> }>;
  streamEnded(outcome: Outcome): void;
  /** When a stream held by this `hold` fault may go on. */
  released(fault: Fault): Promise<void>;
}

function requestHeader(ex: Exchange, name: string): string | undefined {
  const value = ex.req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function resolveModel(ctx: ChatContext, body: Record<string, unknown>): EmulatedModel | undefined {
  const candidates = [body.model, ...(Array.isArray(body.models) ? body.models : [])];
  for (const id of candidates) {
    const model = typeof id === 'string' ? ctx.models.get(id) : undefined;
    if (model) return model;
  }
  return undefined;
}

/** Validates the body; answers the error itself and returns undefined when the request is bad. */
function validate(ex: Exchange, ctx: ChatContext, raw: string): { body: Record<string, unknown>; model: EmulatedModel } | undefined {
  const record = jsonObjectBody(ex, raw);
  if (!record) return undefined;
  if (!Array.isArray(record.messages) || record.messages.length === 0) {
    ex.json(400, errorBody(400, 'Input required: specify "messages" (a non-empty array)'));
    return undefined;
  }
  if (typeof record.model !== 'string' && !Array.isArray(record.models)) {
    ex.json(400, errorBody(400, 'No model specified: set "model"'));
    return undefined;
  }
  const model = resolveModel(ctx, record);
  if (!model) {
    ex.json(400, errorBody(400, `${String(record.model)} is not a valid model ID`));
    return undefined;
  }
  const refused = reasoningRefusal(record.messages, ctx.reasoningByToolCall);
  if (refused) {
    ex.json(400, refused);
    return undefined;
  }
  return { body: record, model };
}

/** `spendable`: what the caller's key may still spend, for OpenRouter's pre-flight credit check (402). */
export async function handleChat(ex: Exchange, ctx: ChatContext, raw: string, fault: Fault | undefined, spendable?: Spendable, byokProviders: readonly string[] = []): Promise<void> {
  const valid = validate(ex, ctx, raw);
  if (!valid) return;
  const { body } = valid;
  // A router answers with the model it picks; that model's name and prices are on the answer and the bill.
  const model = routedModel(valid.model, JSON.stringify(body.messages), ctx.models);
  const router = model === valid.model ? undefined : valid.model.id;
  const lastUser = [...(body.messages as Array<{ role?: unknown; content?: unknown }>)].reverse().find((m) => m?.role === 'user');
  const search = runWebSearch(body.tools, messageText(lastUser?.content), model);
  const pdfs = readPdfs(body, model);
  if (typeof search === 'string' || typeof pdfs === 'string') {
    ex.json(400, errorBody(400, typeof search === 'string' ? search : (pdfs as string)));
    return;
  }
  const plan = planAnswer(body as ChatBodyLike, model.supported_parameters.includes('reasoning'), ctx.nextToolCallSeq(), ctx.demoAnswers === true);
  const header: AnswerHeader = { id: ctx.nextGenerationId(), provider: providerNameFor(model.id), model: model.id, created: Math.floor(Date.now() / 1000) };
  if (plan.reasoningPieces.length > 0) {
    const calls = plan.toolCalls ?? [];
    plan.reasoningDetails = reasoningDeltas(model.id, plan.reasoningPieces, header.id, calls[0]?.id);
    if (demandsReasoningBack(model.id)) for (const call of calls) ctx.reasoningByToolCall.set(call.id, { modelId: model.id, details: wholeDetails(plan.reasoningDetails) });
  }
  const headers = { 'x-generation-id': header.id };
  const startedAt = Date.now();
  const streamed = body.stream === true;
  const cache = ctx.promptCache.apply(model, body.messages);
  const byok = byokProviders.includes(header.provider);
  const fullUsage = withByok(withPdfs(withWebSearch(usageFor(model, plan, outputPieces(plan), plan.reasoningPieces.length, cache), search), pdfs), byok);
  const tooLong = contextRefusal(model, body, fullUsage.prompt_tokens);
  if (tooLong) {
    ex.json(400, tooLong);
    return;
  }
  const refused = preflight(model, body, fullUsage.prompt_tokens, spendable);
  if (refused) {
    ex.json(402, refused);
    return;
  }

  let sentOutput = outputPieces(plan);
  let sentReasoning = plan.reasoningPieces.length;
  let outcome: Outcome;
  if (streamed) {
    // Count what was actually sent so an interrupted generation is billed for its part only.
    let sentEvents = 0;
    outcome = await sendSse(ex, withAnnotationChunk(streamEvents(header, plan, fullUsage), search), {
      onSent: (count) => (sentEvents = count),
      fault,
      ...(fault?.type === 'hold' ? { released: ctx.released(fault) } : {}),
      // The long model is paced so a client can always stop it mid-way, whatever the socket buffers hold.
      chunkDelayMs: model.id === specialModelIds.long ? Math.max(ctx.chunkDelayMs, 1) : ctx.chunkDelayMs,
      headers,
      errorChunk: (code, message) => errorChunk(header, code, message),
    });
    sentReasoning = Math.min(sentEvents, plan.reasoningPieces.length);
    sentOutput = Math.max(0, Math.min(sentEvents - plan.reasoningPieces.length, sentOutput));
    ctx.streamEnded(outcome);
  } else if (fault?.type === 'error-chunk') {
    // A non-streamed answer that fails upstream after starting: HTTP 200 with a top-level error.
    const failed = { ...completionBody(header, plan, fullUsage), choices: [], error: { code: fault.code ?? 502, message: fault.message ?? 'Provider returned error' } };
    outcome = (await sendJsonBody(ex, 200, failed, undefined, headers)) === 'completed' ? 'errored' : 'client-aborted';
  } else {
    const answer = completionBody(header, plan, fullUsage) as { choices: Array<{ message: Record<string, unknown> }> };
    if (search) answer.choices[0]!.message.annotations = search.annotations;
    outcome = await sendJsonBody(ex, 200, answer, fault, headers);
  }
  // The searches and the PDF parsing ran before the model wrote, so they are billed even when the answer was cut short.
  // A provider that cannot be cancelled finishes the answer after an abort and bills all of it.
  const billedInFull = outcome === 'client-aborted' && billsAfterAbort(header.provider);
  const usage = billedInFull ? fullUsage : withByok(withPdfs(withWebSearch(usageFor(model, plan, sentOutput, sentReasoning, cache), search), pdfs), byok);
  const cached = usage.prompt_tokens_details.cached_tokens + usage.prompt_tokens_details.cache_write_tokens > 0;
  ctx.recordGeneration({
    id: header.id,
    endedAt: Date.now(),
    data: generationStats({
      header,
      canonicalSlug: model.canonical_slug,
      usage,
      cacheDiscount: cached ? cacheDiscount(model, usage) : null,
      reasoningTokens: billedInFull ? plan.reasoningPieces.length : sentReasoning,
      outcome,
      finishReason: plan.finishReason,
      streamed,
      startedAt,
      endedAt: Date.now(),
      referer: requestHeader(ex, 'http-referer'),
      userAgent: requestHeader(ex, 'user-agent'),
      user: typeof body.user === 'string' ? body.user : undefined,
      sessionId: typeof body.session_id === 'string' ? body.session_id : undefined,
      ...(search ? { webSearch: { results: search.results, engine: search.engine } } : {}),
      ...(router ? { router } : {}),
    }),
  });
}

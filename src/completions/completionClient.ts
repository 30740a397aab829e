// One completion request over the shared provider: streamed, so that closing it (the user typed on)
// stops the generation at once; the answer is read until it is complete or has enough for the editor.
import type { OpenRouterProvider } from '../openrouter/provider';
import type { Usage } from '../openrouter/types';
import type { CompletionPrompt } from './fimPrompt';

/** What is known of one completion request once it ends: the one place its cost becomes known. */
export interface CompletionOutcome {
  model: string;
  /** OpenRouter's generation id (from the response headers), for `/generation` when no usage came. */
  generationId: string | undefined;
  /** The usage chunk's figures (with `cost` in USD); absent when the request was cancelled or failed. */
  usage: Usage | undefined;
  cancelled: boolean;
  failed: boolean;
  latencyMs: number;
}

export interface FetchOptions {
  signal: AbortSignal;
  /** The answer is read no further than this (the rest is not shown anyway). */
  maxChars: number;
  /** Stop at the first line break. */
  singleLine: boolean;
  /** Called once per request, however it ended. */
  onOutcome: (outcome: CompletionOutcome) => void;
}

export type CompletionTransport = Pick<OpenRouterProvider, 'streamComplete' | 'streamExecute'>;

/** Sends the prompt and returns the raw answer text (uncleaned). Throws AbortError when cancelled. */
export async function fetchCompletion(provider: CompletionTransport, prompt: CompletionPrompt, options: FetchOptions): Promise<string> {
  const started = performance.now();
  let generationId: string | undefined;
  let usage: Usage | undefined;
  let text = '';
  let failed = false;
  const callOptions = { signal: options.signal, onResponse: (info: { generationId?: string }) => (generationId = info.generationId) };
  const enough = (): boolean => text.length >= options.maxChars || (options.singleLine && text.includes('\n'));
  try {
    if (prompt.kind === 'text') {
      for await (const chunk of provider.streamComplete(prompt.request, callOptions)) {
        if (chunk.usage) usage = chunk.usage;
        text += chunk.choices[0]?.text ?? '';
        if (enough()) break;
      }
    } else {
      for await (const chunk of provider.streamExecute(prompt.request, callOptions)) {
        if (chunk.usage) usage = chunk.usage;
        text += chunk.choices[0]?.delta?.content ?? '';
        if (enough()) break;
      }
    }
    return text;
  } catch (error) {
    failed = !options.signal.aborted;
    throw error;
  } finally {
    options.onOutcome({
      model: prompt.request.model,
      generationId,
      usage,
      cancelled: options.signal.aborted,
      failed,
      latencyMs: performance.now() - started,
    });
  }
}

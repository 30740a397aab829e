// An answer's figures from /generation (the chat's stats line, a comparison's columns, the usage record), which
// answers 404 until OpenRouter has the numbers. No vscode import.
import { AbortError, APIError } from '../openrouter/errors';
import { sleep } from '../openrouter/retry';
import type { GenerationStats } from '../openrouter/types';

const defaultDelaysMs = [500, 1000, 2000, 3000, 4000];

/**
 * Polls /generation with a short bounded backoff; undefined when it never answered, or the signal aborted.
 * `onGiveUp` hears why it stopped asking (not for an abort).
 */
export async function lookUpGeneration(
  getGenerationStats: (id: string, opts: { signal?: AbortSignal }) => Promise<GenerationStats>,
  id: string,
  signal?: AbortSignal,
  delaysMs: readonly number[] = defaultDelaysMs,
  onGiveUp?: (error: unknown) => void,
): Promise<GenerationStats | undefined> {
  for (let attempt = 0; attempt <= delaysMs.length && !signal?.aborted; attempt++) {
    try {
      return await getGenerationStats(id, signal ? { signal } : {});
    } catch (error) {
      if (!(error instanceof APIError && error.status === 404) || attempt === delaysMs.length) {
        if (!(error instanceof AbortError) && !signal?.aborted) onGiveUp?.(error);
        return undefined;
      }
      // An abort ends the wait and, at the loop's test, the lookup.
      await sleep(delaysMs[attempt]!, signal, { unref: true }).catch(() => undefined);
    }
  }
  return undefined;
}

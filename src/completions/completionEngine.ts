// Decides, per keystroke, whether and when to ask for a completion: a cached or typed-ahead answer first,
// else a debounced request; every new keystroke cancels the one pending or in flight. No vscode import.
import { sleep } from '../openrouter/retry';
import { CompletionCache } from './completionCache';
import { buildPrompt, type CursorContext } from './fimPrompt';
import { cleanMiddle } from './middleText';
import type { RateGuard } from './rateGuard';

export interface CompletionInput extends CursorContext {
  /** Identifies the document (its URI). */
  documentKey: string;
  /** Document offset of the cursor. */
  offset: number;
}

export interface EngineConfig {
  model: string;
  debounceMs: number;
  contextTokens: number;
  maxTokens: number;
}

/** Sends the prompt and returns the answer's raw text; rejects (AbortError) when the signal aborts. */
export type PromptSender = (prompt: ReturnType<typeof buildPrompt>, signal: AbortSignal, limits: { maxChars: number; singleLine: boolean }) => Promise<string>;

export type EngineEvent =
  | { type: 'cache-hit' }
  | { type: 'request' }
  | { type: 'cancelled'; sent: boolean }
  | { type: 'rate-limited'; waitMs: number; limit: number }
  | { type: 'answered'; shown: boolean }
  | { type: 'failed'; error: unknown }
  | { type: 'busy'; busy: boolean }
  /** The window held a secret: the prompt was cut short of it (`skipped` false) or not sent at all. */
  | { type: 'secrets'; documentKey: string; account: string; skipped: boolean };

/**
 * Checks the text around the cursor before it is sent: the window to send instead (cut short of any secret, with
 * `removed` saying what was left out), or `skip` when nothing may be sent.
 */
export type PromptScreen = (prefix: string, suffix: string) => Promise<{ prefix: string; suffix: string; removed?: string } | { skip: string }>;

/** Multi-line answers only where a new line or block starts; inside a line, the rest of that line. */
export function wantsSingleLine(prefix: string, suffix: string): boolean {
  const lineAfter = suffix.slice(0, suffix.indexOf('\n') < 0 ? suffix.length : suffix.indexOf('\n'));
  if (lineAfter.trim().length > 0) return true;
  const lineBefore = prefix.slice(prefix.lastIndexOf('\n') + 1);
  if (lineBefore.trim().length === 0) return false;
  return !/[{([:]\s*$/.test(lineBefore);
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

export class CompletionEngine {
  readonly cache: CompletionCache;
  private current: AbortController | undefined;
  private busyCount = 0;

  constructor(
    private readonly send: PromptSender,
    private readonly config: () => EngineConfig,
    private readonly guard: RateGuard,
    private readonly onEvent: (event: EngineEvent) => void = () => undefined,
    cache?: CompletionCache,
    /** Asked before each request, after the debounce: false holds it (a spent budget), with no event. */
    private readonly mayRequest: () => Promise<boolean> = () => Promise.resolve(true),
    /** Asked after the debounce, before the rate guard: a skipped request costs nothing. */
    private readonly screen: PromptScreen = (prefix, suffix) => Promise.resolve({ prefix, suffix }),
  ) {
    this.cache = cache ?? new CompletionCache();
  }

  /** Cancels the pending or in-flight request, if any (the user typed on, or the feature was turned off). */
  cancel(): void {
    this.current?.abort();
    this.current = undefined;
  }

  /** The ghost text for this cursor, or undefined (nothing fits, cancelled, over the rate limit). */
  async complete(input: CompletionInput, signal?: AbortSignal): Promise<string | undefined> {
    this.cancel();
    const cached = this.cache.lookup(input);
    if (cached !== undefined) {
      this.emit({ type: 'cache-hit' });
      return cached;
    }
    const controller = new AbortController();
    this.current = controller;
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) controller.abort();
    const config = this.config();
    let sent = false;
    this.setBusy(+1);
    try {
      if (config.debounceMs > 0) await sleep(config.debounceMs, controller.signal);
      if (controller.signal.aborted) throw new Error('aborted');
      if (!(await this.mayRequest()) || controller.signal.aborted) return undefined;
      const screened = await this.screen(input.prefix, input.suffix);
      if (controller.signal.aborted) throw new Error('aborted');
      if ('skip' in screened) {
        this.emit({ type: 'secrets', documentKey: input.documentKey, account: screened.skip, skipped: true });
        return undefined;
      }
      if (screened.removed) this.emit({ type: 'secrets', documentKey: input.documentKey, account: screened.removed, skipped: false });
      if (!this.guard.tryTake()) {
        this.emit({ type: 'rate-limited', waitMs: this.guard.waitMs(), limit: this.guard.maxPerMinute });
        return undefined;
      }
      const singleLine = wantsSingleLine(input.prefix, input.suffix);
      const prompt = buildPrompt({ ...input, prefix: screened.prefix, suffix: screened.suffix }, { model: config.model, contextTokens: config.contextTokens, maxTokens: config.maxTokens, singleLine });
      sent = true;
      this.emit({ type: 'request' });
      const raw = await this.send(prompt, controller.signal, { maxChars: config.maxTokens * 8, singleLine });
      const middle = cleanMiddle(raw, { prefix: input.prefix, suffix: input.suffix, singleLine });
      if (middle !== undefined) this.cache.add(input, middle);
      // An answer that arrives after the user moved on is cached for a return, but not shown.
      const shown = !controller.signal.aborted && middle !== undefined;
      this.emit({ type: 'answered', shown });
      return shown ? middle : undefined;
    } catch (error) {
      if (isAbort(error, controller.signal)) {
        this.emit({ type: 'cancelled', sent });
        return undefined;
      }
      this.emit({ type: 'failed', error });
      return undefined;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (this.current === controller) this.current = undefined;
      this.setBusy(-1);
    }
  }

  private setBusy(delta: number): void {
    const was = this.busyCount > 0;
    this.busyCount += delta;
    const is = this.busyCount > 0;
    if (was !== is) this.emit({ type: 'busy', busy: is });
  }

  private emit(event: EngineEvent): void {
    try {
      this.onEvent(event);
    } catch {
      // A listener cannot break a completion.
    }
  }
}

// The one conversion from a VS Code CancellationToken to an AbortSignal. Structural types only, so it
// has no runtime vscode import and is unit-tested under plain Node.

/** The part of `vscode.CancellationToken` this needs. */
export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

export interface TokenSignal {
  readonly signal: AbortSignal;
  /** Stops listening to the token; call it when the operation ends so no listener outlives it. */
  dispose(): void;
}

/** An AbortSignal that aborts when the token is cancelled (already aborted when it already is). */
export function toAbortSignal(token: CancellationTokenLike | undefined): TokenSignal {
  const controller = new AbortController();
  if (!token) return { signal: controller.signal, dispose: () => undefined };
  if (token.isCancellationRequested) {
    controller.abort();
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => void listener.dispose() };
}

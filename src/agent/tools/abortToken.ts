// The reverse of util/cancellation's toAbortSignal: a CancellationToken for VS Code APIs that follows a tool
// call's AbortSignal. Runs `work` with it and lets go of the listener afterwards.
import * as vscode from 'vscode';

export async function withToken<T>(signal: AbortSignal, work: (token: vscode.CancellationToken) => Thenable<T>): Promise<T> {
  const source = new vscode.CancellationTokenSource();
  const cancel = (): void => source.cancel();
  if (signal.aborted) source.cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  try {
    return await work(source.token);
  } finally {
    signal.removeEventListener('abort', cancel);
    source.dispose();
  }
}

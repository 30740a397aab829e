import type * as vscode from 'vscode';

/** Owns disposables registered through `_register()` and disposes them once, newest first. */
export abstract class Disposable implements vscode.Disposable {
  private readonly _disposables: vscode.Disposable[] = [];
  private _isDisposed = false;

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables);
  }

  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this._isDisposed) {
      value.dispose();
    } else {
      this._disposables.push(value);
    }
    return value;
  }
}

/** Disposes every item even when one throws, then empties the array. */
export function disposeAll(disposables: vscode.Disposable[]): void {
  const errors: unknown[] = [];
  while (disposables.length) {
    try {
      disposables.pop()?.dispose();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed to dispose.');
}

/** Wraps a plain function (an unsubscribe, a clearInterval) as a disposable. */
export function toDisposable(fn: () => void): vscode.Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}

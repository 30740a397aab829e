// The user's answer to the extension's modal questions, for tests that need one. The test host never shows a
// modal dialog (the workbench refuses every one while extension tests run, so the extension hears no answer),
// so these tests stand in for the dialog alone: every modal `showWarningMessage` is recorded with its text and
// answered as the test says, while everything before it (the page, the messages, the extension's checks) and
// after it (`openExternal`, the workbench's opener, the browser) is the real thing. Error messages are recorded too.
// The suite shares the extension's `vscode` API object (it loads from inside the extension's folder), so the
// stand-in is what the extension calls.
import * as vscode from 'vscode';

export interface Question {
  message: string;
  detail: string;
  choices: string[];
}

export interface ModalAnswers {
  /** Modal questions asked since `answerModals`, in order. */
  readonly asked: Question[];
  /** Error messages shown since `answerModals`, in order. */
  readonly errors: string[];
  /** Resolves with the `count`-th question (1-based) once it has been asked; rejects when none came in `timeoutMs`. */
  question(count: number, timeoutMs?: number): Promise<Question>;
  /** Puts VS Code's own dialogs back. */
  dispose(): void;
}

/**
 * Answers each modal warning with what `answer` returns for it (a choice's title, or undefined for Cancel; a
 * promise lets the test decide later). Undo with `dispose()`, in a `finally`.
 */
export function answerModals(answer: (question: Question) => string | undefined | Promise<string | undefined>): ModalAnswers {
  const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const originalWarning = window.showWarningMessage;
  const originalError = window.showErrorMessage;
  const asked: Question[] = [];
  const errors: string[] = [];
  const waiting: Array<{ count: number; resolve: (q: Question) => void }> = [];

  window.showWarningMessage = ((message: string, ...rest: unknown[]) => {
    const options = rest[0] as vscode.MessageOptions | undefined;
    if (typeof options !== 'object' || options === null || options.modal !== true) return (originalWarning as (...args: unknown[]) => unknown)(message, ...rest);
    const choices = rest.slice(1).map((item) => (typeof item === 'string' ? item : (item as vscode.MessageItem).title));
    const question: Question = { message, detail: options.detail ?? '', choices };
    asked.push(question);
    for (const w of waiting.filter((w) => w.count <= asked.length)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(asked[w.count - 1]!);
    }
    return Promise.resolve(answer(question)).then((title) => (title === undefined ? undefined : rest.slice(1).find((item) => (typeof item === 'string' ? item : (item as vscode.MessageItem).title) === title)));
  }) as typeof window.showWarningMessage;
  window.showErrorMessage = ((message: string, ...rest: unknown[]) => {
    errors.push(message);
    return (originalError as (...args: unknown[]) => unknown)(message, ...rest);
  }) as typeof window.showErrorMessage;
  if (vscode.window.showWarningMessage === originalWarning) throw new Error('the vscode API object could not be patched: the dialogs cannot be answered');

  return {
    asked,
    errors,
    question: (count, timeoutMs = 20_000) =>
      asked.length >= count
        ? Promise.resolve(asked[count - 1]!)
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no question number ${count} was asked within ${timeoutMs} ms (${asked.length} asked)`)), timeoutMs);
            waiting.push({ count, resolve: (q) => (clearTimeout(timer), resolve(q)) });
          }),
    dispose: () => {
      window.showWarningMessage = originalWarning;
      window.showErrorMessage = originalError;
    },
  };
}

/** A promise with its resolve function, for an answer the test gives later. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((ok) => (resolve = ok));
  return { promise, resolve };
}

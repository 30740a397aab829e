// One typed channel per webview: messages out are the protocol's, messages in are checked against the
// protocol's shapes (src/util/webviewMessages.ts) before the handler sees them; a malformed one is logged and
// dropped, never handled half-read.
import type * as vscode from 'vscode';
import type { Log } from '../log/logger';
import { errorText } from './errorText';
import { parseMessage, type MessageShapes } from './webviewMessages';

export class WebviewChannel<In extends { type: string }, Out> {
  constructor(
    private readonly webview: vscode.Webview,
    private readonly shapes: MessageShapes<In>,
    private readonly log: Pick<Log, 'warn'>,
    private readonly name: string,
  ) {}

  post(message: Out): Thenable<boolean> {
    return this.webview.postMessage(message);
  }

  /** Calls `handler` with each well-formed message; a handler's rejection is logged, not thrown. */
  onMessage(handler: (message: In) => void | Promise<void>): vscode.Disposable {
    return this.webview.onDidReceiveMessage((raw: unknown) => {
      const parsed = parseMessage(this.shapes, raw);
      if (!parsed.ok) {
        this.log.warn(`The ${this.name} panel sent a message that was ignored: ${parsed.problem}.`);
        return;
      }
      void Promise.resolve()
        .then(() => handler(parsed.message))
        .catch((error: unknown) => this.log.warn(`The ${this.name} panel's ${parsed.message.type} failed: ${errorText(error)}`));
    });
  }
}

// Sign in with OpenRouter (OAuth PKCE) and Sign Out. The browser flow comes back through a loopback listener
// made reachable by `asExternalUri` (desktop, remote, code-server, tunnels); where no browser can reach VS Code
// (SSH without forwarding, containers), the headless flow has the user paste the code OpenRouter shows.
import * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKeyStore';
import type { CallbackReceiver } from './loopbackCallback';
import { commandIds } from '../commands/commandIds';
import type { Settings } from '../config/settings';
import type { ProviderHost } from '../host/providerHost';
import type { Log, Logger } from '../log/logger';
import { APIError, AbortError, authorizationUrl, codeFromPaste, createPkcePair } from '../openrouter';
import type { PkcePair } from '../openrouter';
import { toAbortSignal } from '../util/cancellation';
import { Disposable } from '../util/dispose';
import { errorText } from '../util/errorText';

/** What a sign-in command did; returned to callers (tests) as well as told to the user. */
export interface SignInResult {
  outcome: 'signed-in' | 'cancelled' | 'failed' | 'signed-out' | 'not-signed-in';
  message: string;
}

/** How long the browser flow waits for the user to approve (OpenRouter's codes live 10 minutes). */
const APPROVAL_WAIT_MS = 10 * 60_000;

export const BROWSER_FLOW = 'Sign in with the browser';
export const CODE_FLOW = 'Sign in with a code';

export interface SignInDeps {
  keys: ApiKeyStore;
  host: ProviderHost;
  settings: Settings;
  logger: Logger;
  log: Log;
  /** Opens the way back for the browser flow (a loopback listener under Node). */
  listen: () => Promise<CallbackReceiver>;
}

export class SignInCommands extends Disposable {
  constructor(private readonly deps: SignInDeps) {
    super();
    this._register(vscode.commands.registerCommand(commandIds.signIn, () => this.signIn()));
    this._register(vscode.commands.registerCommand(commandIds.signOut, () => this.signOut()));
  }

  async signIn(): Promise<SignInResult> {
    const flow = await vscode.window.showQuickPick(
      [
        { label: BROWSER_FLOW, iconPath: new vscode.ThemeIcon('globe'), detail: "OpenRouter's page opens in your browser; approve there and you come back signed in." },
        { label: CODE_FLOW, iconPath: new vscode.ThemeIcon('key'), detail: 'For SSH, containers and set-ups where the browser cannot reach VS Code: approve, then paste the code the page shows.' },
      ],
      { title: 'Sign in with OpenRouter', placeHolder: 'A new API key for this editor is created in your account and kept in VS Code\'s secret store.' },
    );
    if (!flow) return { outcome: 'cancelled', message: 'Sign-in cancelled.' };
    const pkce = await createPkcePair();
    // The verifier is a one-time secret: the log never prints it, even inside an error.
    this.deps.logger.addSecret(pkce.verifier);
    const code = flow.label === BROWSER_FLOW ? await this.codeFromBrowser(pkce) : await this.codeFromPaste(pkce);
    if (typeof code !== 'string') return code;
    return this.exchange(code, pkce);
  }

  async signOut(): Promise<SignInResult> {
    if ((await this.deps.keys.source()) !== 'secret-storage') {
      return this.tell('info', { outcome: 'not-signed-in', message: 'No OpenRouter key is stored in VS Code, so there is nothing to sign out of.' });
    }
    await this.deps.keys.clear();
    const envStillSet = await this.deps.keys.has();
    return this.tell('info', {
      outcome: 'signed-out',
      message: envStillSet
        ? 'Signed out: the stored OpenRouter key was removed. OPENROUTER_API_KEY from the environment is still used.'
        : 'Signed out of OpenRouter: the key was removed from VS Code. It still exists in your OpenRouter account (Settings → Keys), where you can delete it.',
    });
  }

  private async codeFromBrowser(pkce: PkcePair): Promise<string | SignInResult> {
    let receiver: CallbackReceiver;
    try {
      receiver = await this.deps.listen();
    } catch (error) {
      return this.tell('error', { outcome: 'failed', message: `Could not get ready for the browser's answer (${errorText(error)}). Run Sign In again and choose "${CODE_FLOW}".` });
    }
    try {
      const external = await vscode.env.asExternalUri(vscode.Uri.parse(receiver.url));
      const url = authorizationUrl(this.deps.settings.values.baseUrl, pkce.challenge, external.toString(true));
      this.deps.log.info(`Sign-in: opening OpenRouter's authorisation page (${new URL(url).origin}); waiting for the browser to come back.`);
      const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
      if (!opened) return this.tell('warning', { outcome: 'cancelled', message: `The browser did not open. Run Sign In again and choose "${CODE_FLOW}".` });
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Waiting for you to approve on OpenRouter\'s page in the browser…', cancellable: true },
        (_progress, token) => waitForCode(receiver.code, token),
      );
    } finally {
      receiver.dispose();
    }
  }

  private async codeFromPaste(pkce: PkcePair): Promise<string | SignInResult> {
    const url = authorizationUrl(this.deps.settings.values.baseUrl, pkce.challenge);
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
    const pasted = await vscode.window.showInputBox({
      title: 'Sign in with OpenRouter: paste the code',
      prompt: `Approve on OpenRouter's page (${url}), then paste the code it shows. Codes work once, for 10 minutes.`,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() && !codeFromPaste(value) ? 'That does not look like a sign-in code: paste the code exactly as the page shows it.' : undefined),
    });
    const code = pasted === undefined ? undefined : codeFromPaste(pasted);
    return code ?? { outcome: 'cancelled', message: 'Sign-in cancelled.' };
  }

  private async exchange(code: string, pkce: PkcePair): Promise<SignInResult> {
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Signing in to OpenRouter…', cancellable: true }, (_progress, token) => {
        const cancel = toAbortSignal(token);
        return this.deps.host.provider.exchangeAuthCode(code, pkce.verifier, { signal: cancel.signal }).finally(() => cancel.dispose());
      });
      this.deps.logger.addSecret(result.key);
      await this.deps.keys.set(result.key);
      return this.tell('info', { outcome: 'signed-in', message: 'Signed in to OpenRouter: a new key for this editor is stored in VS Code\'s secret store.' });
    } catch (error) {
      if (error instanceof AbortError) return { outcome: 'cancelled', message: 'Sign-in cancelled; nothing was stored.' };
      const why = error instanceof APIError ? (error.serverMessage ?? error.message) : errorText(error);
      return this.tell('error', { outcome: 'failed', message: `OpenRouter did not complete the sign-in: ${why}. Nothing was stored; run Sign In again (each code works once).` });
    }
  }

  private tell(kind: 'info' | 'warning' | 'error', result: SignInResult): SignInResult {
    const show = kind === 'info' ? vscode.window.showInformationMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(result.message);
    if (kind === 'info') this.deps.log.info(result.message);
    else this.deps.log.warn(result.message);
    return result;
  }
}

/** The browser's code, unless the user cancels or the approval takes longer than a code lives. */
function waitForCode(code: Promise<string>, token: vscode.CancellationToken): Promise<string | SignInResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish({ outcome: 'cancelled', message: 'Sign-in timed out after 10 minutes without an approval. Run Sign In again.' }), APPROVAL_WAIT_MS);
    const cancelled = token.onCancellationRequested(() => finish({ outcome: 'cancelled', message: 'Sign-in cancelled.' }));
    function finish(value: string | SignInResult): void {
      clearTimeout(timer);
      cancelled.dispose();
      resolve(value);
    }
    code.then(finish, (error: unknown) => finish({ outcome: 'failed', message: errorText(error) }));
  });
}

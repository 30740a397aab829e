import * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKeyStore';
import { checkApiKey } from './apiKeyStore';
import { toAbortSignal } from '../util/cancellation';
import { commandIds } from '../commands/commandIds';
import { Disposable } from '../util/dispose';
import type { Log } from '../log/logger';
import type { ProviderHost } from '../host/providerHost';
import { AbortError } from '../openrouter/errors';
import type { ValidateResult } from '../openrouter/types';
import { errorText } from '../util/errorText';

/** What a key command did; returned to callers (tests) as well as told to the user. */
export interface KeyCommandResult {
  outcome: 'saved' | 'saved-unverified' | 'rejected' | 'cancelled' | 'valid' | 'invalid' | 'unreachable' | 'no-key' | 'cleared';
  message: string;
}

export const KEYS_PAGE = 'https://openrouter.ai/settings/keys';

/**
 * Set, validate and clear the API key. Outside production (development and test runs) `setApiKey` takes the
 * key as an argument; an installed extension always asks the user, so no other extension or `command:` link
 * can swap the account behind their back.
 */
export class ApiKeyCommands extends Disposable {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly host: ProviderHost,
    private readonly log: Log,
    private readonly acceptKeyArgument: boolean,
  ) {
    super();
    this._register(vscode.commands.registerCommand(commandIds.setApiKey, (key?: unknown) => this.fromCommand(key)));
    this._register(vscode.commands.registerCommand(commandIds.validateApiKey, () => this.validate()));
    this._register(vscode.commands.registerCommand(commandIds.clearApiKey, () => this.clear()));
  }

  private fromCommand(key: unknown): Promise<KeyCommandResult> {
    if (key === undefined || (this.acceptKeyArgument && typeof key === 'string')) return this.set(typeof key === 'string' ? key : undefined);
    // Never echoed: it may be a real key. The user is asked instead and told why.
    this.log.warn('Set API Key was called with a key argument (by another extension or a link); the argument was ignored and you were asked instead.');
    return this.set(undefined, 'Something (another extension or a link) asked to replace your OpenRouter key; its key was ignored. Paste your own key to change it, or press Escape to keep the current one.');
  }

  async set(given?: string, why?: string): Promise<KeyCommandResult> {
    const raw =
      given ??
      (await vscode.window.showInputBox({
        title: 'OpenRouter API Key',
        prompt: why ?? `Paste your OpenRouter API key (create one at ${KEYS_PAGE}). It is kept in VS Code's secret store.`,
        placeHolder: 'sk-or-v1-…',
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => checkApiKey(value).problem,
      }));
    if (raw === undefined) return { outcome: 'cancelled', message: 'No key entered.' };
    const { key, problem } = checkApiKey(raw);
    if (!key || problem) return this.tell('error', { outcome: 'rejected', message: problem ?? 'The API key is empty.' });

    let check: ValidateResult;
    try {
      check = await this.withProgress('Checking the key with OpenRouter…', (signal) => this.host.validateKey(key, { signal }));
    } catch (error) {
      if (error instanceof AbortError) return { outcome: 'cancelled', message: 'The check was cancelled; the key was not saved.' };
      check = { ok: false, message: errorText(error) };
    }
    if (!check.ok && !isKeyRejection(check.status)) {
      // Offline (or OpenRouter in trouble) is no reason to refuse a key the user has in hand: save it, say it is unchecked.
      await this.keys.set(key);
      return this.tell('warning', { outcome: 'saved-unverified', message: `OpenRouter API key saved, but it could not be checked: ${check.message}` });
    }
    if (!check.ok) {
      this.log.warn(`The key was not saved: OpenRouter answered ${check.status}: ${check.message}`);
      return this.tell('error', { outcome: 'rejected', message: `OpenRouter did not accept this key, so it was not saved: ${check.message}` });
    }
    await this.keys.set(key);
    return this.tell('info', { outcome: 'saved', message: `OpenRouter API key saved and working${check.key.label ? ` (${check.key.label})` : ''}.` });
  }

  async validate(): Promise<KeyCommandResult> {
    if (!(await this.keys.has())) return this.noKey();
    const problem = await this.keys.problem();
    if (problem) return this.tell('error', { outcome: 'invalid', message: problem });
    let check: ValidateResult;
    try {
      check = await this.withProgress('Checking the OpenRouter key…', (signal) => this.host.provider.validateConfig({ signal }));
    } catch (error) {
      if (error instanceof AbortError) return { outcome: 'cancelled', message: 'The check was cancelled.' };
      check = { ok: false, message: errorText(error) };
    }
    if (check.ok) return this.tell('info', { outcome: 'valid', message: `The OpenRouter API key works${check.key.label ? ` (${check.key.label})` : ''}.` });
    if (isKeyRejection(check.status)) return this.tell('error', { outcome: 'invalid', message: `OpenRouter did not accept the key: ${check.message}` });
    return this.tell('error', { outcome: 'unreachable', message: `Could not check the key with OpenRouter: ${check.message}` });
  }

  async clear(): Promise<KeyCommandResult> {
    await this.keys.clear();
    const envStillSet = await this.keys.has();
    return this.tell('info', {
      outcome: 'cleared',
      message: envStillSet ? 'Stored OpenRouter API key removed; OPENROUTER_API_KEY from the environment is still used.' : 'OpenRouter API key removed.',
    });
  }

  private noKey(): KeyCommandResult {
    const result: KeyCommandResult = { outcome: 'no-key', message: 'No OpenRouter API key is set. Run "OpenRouter: Sign In", or "OpenRouter: Set API Key" to paste one.' };
    void vscode.window.showInformationMessage(result.message, 'Sign In', 'Set API Key').then((choice) => {
      if (choice) void vscode.commands.executeCommand(choice === 'Sign In' ? commandIds.signIn : commandIds.setApiKey);
    });
    return result;
  }

  private withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
        const cancel = toAbortSignal(token);
        return task(cancel.signal).finally(() => cancel.dispose());
      }),
    );
  }

  private tell(kind: 'info' | 'warning' | 'error', result: KeyCommandResult): KeyCommandResult {
    const show = kind === 'info' ? vscode.window.showInformationMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    // Not awaited: the command's result must not wait for the user to dismiss a notification.
    void show(result.message);
    if (kind === 'info') this.log.info(result.message);
    else this.log.warn(result.message);
    return result;
  }
}

/** 401 (unknown or disabled key) and 403 (not permitted) are about the key; anything else is about reaching OpenRouter. */
function isKeyRejection(status: number | undefined): boolean {
  return status === 401 || status === 403;
}

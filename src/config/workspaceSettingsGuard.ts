import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import type { Log } from '../log/logger';
import { Settings } from './settings';
import { scanWorkspaceSettings } from './userOnlySettings';
import { errorText } from '../util/errorText';

const TOLD_KEY = 'openrouter.toldIgnoredWorkspaceSettings';
const OPEN_WORKSPACE_SETTINGS = 'Open Workspace Settings';
const OPEN_USER_SETTINGS = 'Open User Settings';

interface Source {
  uri: vscode.Uri;
  section?: 'settings';
}

/**
 * VS Code already ignores a workspace's value for the user-only settings (they are `application`-scoped);
 * this tells the user, once per workspace and setting, that a repository tried to set one and that it was
 * ignored, and logs it on every read. It reads `.vscode/settings.json` of every folder and the
 * `.code-workspace` file, and reads them again when they change.
 */
export class WorkspaceSettingsGuard extends Disposable {
  private watchers: vscode.Disposable[] = [];
  private readonly found = new Map<string, string[]>();
  private scanning: Promise<void> = Promise.resolve();

  constructor(
    private readonly workspaceState: vscode.Memento,
    private readonly log: Log,
  ) {
    super();
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.watchAll()));
    this._register({ dispose: () => this.unwatch() });
    this.watchAll();
  }

  /** The user-only settings the workspace sets now (all ignored), by file. For the tests and the log. */
  get ignored(): ReadonlyMap<string, readonly string[]> {
    return this.found;
  }

  /** Resolves once every read started so far is done. */
  settled(): Promise<void> {
    return this.scanning;
  }

  private sources(): Source[] {
    const sources: Source[] = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ uri: vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json') }));
    const file = vscode.workspace.workspaceFile;
    if (file && file.scheme !== 'untitled') sources.push({ uri: file, section: 'settings' });
    return sources;
  }

  private watchAll(): void {
    this.unwatch();
    this.found.clear();
    for (const source of this.sources()) {
      const folder = vscode.Uri.joinPath(source.uri, '..');
      const name = source.uri.path.slice(source.uri.path.lastIndexOf('/') + 1);
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, name));
      const rescan = (): void => this.queue(source);
      this.watchers.push(watcher, watcher.onDidCreate(rescan), watcher.onDidChange(rescan), watcher.onDidDelete(rescan));
      this.queue(source);
    }
  }

  private unwatch(): void {
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = [];
  }

  /** Reads run one after another, so two quick saves cannot report out of order. */
  private queue(source: Source): void {
    this.scanning = this.scanning.then(() => this.scan(source)).catch((error: unknown) => {
      this.log.warn(`Could not check ${source.uri.fsPath} for ignored settings: ${errorText(error)}`);
    });
  }

  private async scan(source: Source): Promise<void> {
    if (this.isDisposed) return;
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(source.uri));
    } catch {
      this.found.delete(source.uri.toString());
      return;
    }
    const { found } = scanWorkspaceSettings(text, source.section);
    if (found.length === 0) {
      this.found.delete(source.uri.toString());
      return;
    }
    this.found.set(source.uri.toString(), found);
    const where = vscode.workspace.asRelativePath(source.uri, true);
    this.log.warn(`${where} sets ${found.join(', ')}: ignored. These settings are read from your user settings only.`);
    const told = new Set(this.workspaceState.get<string[]>(TOLD_KEY, []));
    const fresh = found.filter((key) => !told.has(key));
    if (fresh.length === 0) return;
    await this.workspaceState.update(TOLD_KEY, [...told, ...fresh]);
    void this.tell(fresh, source.uri, where);
  }

  private async tell(keys: string[], uri: vscode.Uri, where: string): Promise<void> {
    const names = keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}`;
    const choice = await vscode.window.showWarningMessage(
      `OpenRouter ignored ${names} in ${where}. Where your API key is sent, how OpenRouter connects, your budgets, the low-balance warning and the log level come only from your user settings, so a repository cannot redirect the key or lift a limit.`,
      OPEN_USER_SETTINGS,
      OPEN_WORKSPACE_SETTINGS,
    );
    if (choice === OPEN_USER_SETTINGS) await Settings.open(keys.join(' '));
    else if (choice === OPEN_WORKSPACE_SETTINGS) await vscode.window.showTextDocument(uri);
  }
}

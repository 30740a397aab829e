// The one place that decides what may be sent to a model: excluded files (the `openrouter.exclusion.*` settings),
// links that lead out of the workspace, and credentials in any text. Built once in the composition root.
import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Log } from '../log/logger';
import { Disposable } from '../util/dispose';
import { EXCLUDED_SCHEMES, matchingPattern, mergePatterns, parseUntitledPolicy, type Exclusion, type ExclusionRules } from './exclusionRules';
import { findSecrets, stripSecrets, type SecretFinding } from './secretScan';

export const EXCLUSION_SECTION = 'openrouter.exclusion';
export const exclusionSettings = {
  patterns: `${EXCLUSION_SECTION}.patterns`,
  workspacePatterns: `${EXCLUSION_SECTION}.workspacePatterns`,
  allowOutsideWorkspace: `${EXCLUSION_SECTION}.allowOutsideWorkspace`,
  untitled: `${EXCLUSION_SECTION}.untitled`,
} as const;

/** Completions go out unasked on every pause in typing; an attachment is the user's explicit choice. */
export type ContentUse = 'completion' | 'attachment';

export type { Exclusion, SecretFinding };

export class ContentGate extends Disposable {
  private current: ExclusionRules;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly log: Log) {
    super();
    this.current = this.read();
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(EXCLUSION_SECTION)) return;
        this.current = this.read();
        this._onDidChange.fire();
      }),
    );
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this._onDidChange.fire()));
  }

  get rules(): Readonly<ExclusionRules> {
    return this.current;
  }

  /** Why this document or file is never sent (for this use), or undefined when it may be. */
  isExcluded(uri: vscode.Uri, use: ContentUse = 'attachment'): Exclusion | undefined {
    // A notebook cell is judged as its notebook.
    if (uri.scheme === 'vscode-notebook-cell') uri = vscode.workspace.notebookDocuments.find((notebook) => notebook.uri.path === uri.path)?.uri ?? uri;
    if (EXCLUDED_SCHEMES.includes(uri.scheme)) return { pattern: `${uri.scheme}:`, setting: 'VS Code settings and state are never sent' };
    if (uri.scheme === 'untitled') {
      const policy = this.current.untitled;
      return policy === 'exclude' || (policy === 'attachOnly' && use === 'completion') ? { pattern: 'untitled buffer', setting: exclusionSettings.untitled } : undefined;
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const relative = folder ? vscode.workspace.asRelativePath(uri, false) : undefined;
    const pattern = matchingPattern(relative ? [relative, uri.path] : [uri.path], this.current.patterns);
    if (pattern) return { pattern, setting: exclusionSettings.patterns };
    if (!folder && !this.current.allowOutsideWorkspace) return { pattern: 'outside the workspace folders', setting: exclusionSettings.allowOutsideWorkspace };
    return undefined;
  }

  /** For text that names its file only by path (attachments handed over as text): the patterns alone. */
  isExcludedPath(path: string): Exclusion | undefined {
    const pattern = matchingPattern([path], this.current.patterns);
    return pattern ? { pattern, setting: exclusionSettings.patterns } : undefined;
  }

  /**
   * For a file about to be read: the same check, after following links. A link inside the workspace to a
   * file elsewhere (`~/.aws/credentials`) is judged by where it leads.
   */
  async checkFile(uri: vscode.Uri, use: ContentUse = 'attachment'): Promise<Exclusion | undefined> {
    const direct = this.isExcluded(uri, use);
    if (direct || uri.scheme !== 'file') return direct;
    const real = await realOrSelf(uri.fsPath);
    if (real === uri.fsPath) return undefined;
    const target = vscode.Uri.file(real);
    const pattern = matchingPattern([target.path], this.current.patterns);
    if (pattern) return { pattern, setting: exclusionSettings.patterns, target: real };
    if (this.current.allowOutsideWorkspace || (await this.insideFolders(real))) return undefined;
    return { pattern: 'link to outside the workspace folders', setting: exclusionSettings.allowOutsideWorkspace, target: real };
  }

  /** The sentence shown and logged when `name` is not sent. */
  explain(name: string, exclusion: Exclusion): string {
    const target = exclusion.target;
    const via = target ? ` It is a link to ${target}.` : '';
    if (exclusion.setting === exclusionSettings.patterns) return `${name} is never sent to a model: it matches \`${exclusion.pattern}\` in ${exclusionSettings.patterns}.${via}`;
    if (exclusion.setting === exclusionSettings.allowOutsideWorkspace) return `${name} is not sent to a model: it is ${target ? 'a link to a file' : 'a file'} outside the workspace folders (${exclusionSettings.allowOutsideWorkspace} is off).${via}`;
    if (exclusion.setting === exclusionSettings.untitled) return `${name} is not sent to a model: it is an untitled buffer (${exclusionSettings.untitled}).`;
    return `${name} is never sent to a model: ${exclusion.setting}.`;
  }

  /** Every credential in `text` (kinds and offsets, never the text). */
  findSecrets(text: string): Promise<SecretFinding[]> {
    return findSecrets(text);
  }

  /** `text` with each credential replaced by a marker; logs what was removed (never the secret). */
  async stripSecrets(text: string, where: string): Promise<{ text: string; findings: SecretFinding[] }> {
    const stripped = await stripSecrets(text);
    if (stripped.findings.length) this.log.warn(`${where}: removed ${stripped.findings.length === 1 ? 'a secret' : `${stripped.findings.length} secrets`} (${[...new Set(stripped.findings.map((f) => f.rule))].join(', ')}) before sending.`);
    return stripped;
  }

  private async insideFolders(realPath: string): Promise<boolean> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const root = await realOrSelf(folder.uri.fsPath);
      const sep = root.includes('\\') ? '\\' : '/';
      if (realPath === root || realPath.startsWith(root.endsWith(sep) ? root : root + sep)) return true;
    }
    return false;
  }

  private read(): ExclusionRules {
    const config = vscode.workspace.getConfiguration();
    // The user's list only (the setting is application-scoped); workspaces and folders add theirs.
    const user = config.inspect<unknown>(exclusionSettings.patterns)?.globalValue;
    const workspace = config.inspect<unknown>(exclusionSettings.workspacePatterns);
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => vscode.workspace.getConfiguration(undefined, folder.uri).inspect<unknown>(exclusionSettings.workspacePatterns)?.workspaceFolderValue);
    const rules: ExclusionRules = {
      patterns: mergePatterns(user, [workspace?.globalValue, workspace?.workspaceValue, ...folders]),
      allowOutsideWorkspace: config.inspect<unknown>(exclusionSettings.allowOutsideWorkspace)?.globalValue === true,
      untitled: parseUntitledPolicy(config.inspect<unknown>(exclusionSettings.untitled)?.globalValue),
    };
    this.log.info(`Never sent to a model: ${rules.patterns.length} path patterns, files outside the workspace ${rules.allowOutsideWorkspace ? 'allowed' : 'excluded'}, untitled buffers: ${rules.untitled}.`);
    return rules;
  }
}

async function realOrSelf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

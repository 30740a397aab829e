// The one door through which the agent's tools reach workspace files: a path the model names is resolved inside
// a workspace folder (never `..`, an absolute path or a link leading out), checked against the content
// exclusions, and text read from it has its secrets cut out before the model sees it.
import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ContentGate } from '../../exclusion/contentGate';
import { linkRefusal, normalizeRelativePath } from './workspacePaths';

export interface WorkspaceFile {
  uri: vscode.Uri;
  folder: vscode.WorkspaceFolder;
  /** As the model and the user see it: relative to the workspace (with the folder's name first in a multi-root workspace). */
  relative: string;
}

export type Resolved = { ok: true; file: WorkspaceFile } | { ok: false; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: false });

export class WorkspaceAccess {
  constructor(private readonly gate: ContentGate) {}

  /** The file or folder the model means, or why it may not be used. */
  async resolve(path: string): Promise<Resolved> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!folders.length) return { ok: false, reason: 'No folder is open in VS Code, so there are no workspace files to use.' };
    const checked = normalizeRelativePath(path);
    if (!checked.ok) return checked;
    const [first, ...rest] = checked.relative.split('/');
    // In a multi-root workspace a path may start with a folder's name.
    const named = folders.length > 1 ? folders.find((folder) => folder.name === first) : undefined;
    const folder = named ?? folders[0]!;
    const inFolder = named ? rest.join('/') : checked.relative;
    const uri = inFolder ? vscode.Uri.joinPath(folder.uri, inFolder) : folder.uri;
    const relative = folders.length > 1 ? [folder.name, inFolder].filter(Boolean).join('/') : inFolder;
    if (uri.scheme === 'file') {
      const refusal = await linkRefusal(uri.fsPath, folder.uri.fsPath, relative, realpath);
      if (refusal) return { ok: false, reason: refusal };
    }
    const exclusion = inFolder ? await this.gate.checkFile(uri, 'attachment') : undefined;
    if (exclusion) return { ok: false, reason: this.gate.explain(relative, exclusion) };
    return { ok: true, file: { uri, folder, relative } };
  }

  /** The workspace-relative name of `uri` as tools print it. */
  relativeOf(uri: vscode.Uri): string {
    return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  }

  /** Whether the model may see `uri` found by a search (not excluded); links are judged by where they lead. */
  async visible(uri: vscode.Uri): Promise<boolean> {
    return !(await this.gate.checkFile(uri, 'attachment'));
  }

  /**
   * The file's text as the user sees it (an editor's unsaved text first), or why it cannot be given: a folder, a
   * binary file, or larger than `maxBytes`.
   */
  async readText(file: WorkspaceFile, maxBytes: number): Promise<{ text: string } | { reason: string }> {
    const open = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === file.uri.toString());
    if (open) return { text: open.getText() };
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(file.uri);
    } catch {
      return { reason: `${file.relative} does not exist. Use list_files to see what is there.` };
    }
    if (stat.type & vscode.FileType.Directory) return { reason: `${file.relative} is a folder: use list_files to see what it holds.` };
    if (stat.size > maxBytes) return { reason: `${file.relative} is ${stat.size} bytes, more than the ${maxBytes} bytes a tool reads at once. Use search_text to find the part you need.` };
    const bytes = await vscode.workspace.fs.readFile(file.uri);
    if (bytes.subarray(0, 8000).includes(0)) return { reason: `${file.relative} is a binary file: it is not read as text.` };
    return { text: decoder.decode(bytes) };
  }

  /** `text` with every credential replaced by a marker, before it goes to the model. */
  async withoutSecrets(text: string, where: string): Promise<string> {
    return (await this.gate.stripSecrets(text, where)).text;
  }
}

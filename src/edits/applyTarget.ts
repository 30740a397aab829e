// Which file a code block is for: the name the block gives (inside a workspace folder), else the user picks
// (the active editor first). Never a path outside the workspace, and never through a symbolic link.
import * as vscode from 'vscode';

export interface ApplyTarget {
  uri: vscode.Uri;
  exists: boolean;
}

async function stat(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
}

/** Why `uri` may not be written by Apply, or undefined when it may. */
export async function writeRefusal(uri: vscode.Uri): Promise<string | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return `${uri.fsPath || uri.path} is outside the workspace folders, so Apply does not write it.`;
  const rel = uri.path.slice(folder.uri.path.length);
  if (rel.split('/').includes('..')) return `${rel} leaves the workspace folder.`;
  const info = await stat(uri);
  if (info && (info.type & vscode.FileType.SymbolicLink) !== 0) return `${vscode.workspace.asRelativePath(uri)} is a symbolic link: Apply does not write through links (the file it points to may be outside the workspace).`;
  if (info && (info.type & vscode.FileType.Directory) !== 0) return `${vscode.workspace.asRelativePath(uri)} is a folder.`;
  return undefined;
}

/** A relative path named by the model, resolved in the workspace folders; undefined when it is not a safe relative path. */
async function resolveHint(hint: string): Promise<ApplyTarget | undefined> {
  const clean = hint.replace(/^\.\//, '');
  if (clean.startsWith('/') || /^[a-z]:/i.test(clean) || clean.split('/').includes('..')) return undefined;
  const folders = vscode.workspace.workspaceFolders ?? [];
  for (const folder of folders) {
    const uri = vscode.Uri.joinPath(folder.uri, clean);
    if (await stat(uri)) return { uri, exists: true };
  }
  // Relative to the workspace: a file only one folder holds under that name is that file.
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folders[0]?.uri ?? vscode.Uri.file('/'), `**/${clean}`), '**/node_modules/**', 2);
  if (found.length === 1) return { uri: found[0]!, exists: true };
  return folders[0] ? { uri: vscode.Uri.joinPath(folders[0].uri, clean), exists: false } : undefined;
}

type TargetPick = vscode.QuickPickItem & { pick: () => Promise<ApplyTarget | undefined> };

/** Asks where the block goes: the name it gives first (or as a new file), then open editors, then any file. */
export async function chooseTarget(hint: string | undefined): Promise<ApplyTarget | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showWarningMessage('Open a folder first: Apply changes files of the workspace only.');
    return undefined;
  }
  const named = hint ? await resolveHint(hint) : undefined;
  if (named?.exists) return named;
  const items: TargetPick[] = [];
  if (named) items.push({ label: `$(new-file) Create ${vscode.workspace.asRelativePath(named.uri)}`, description: 'the file the answer names (created only when you accept)', pick: () => Promise.resolve(named) });
  const seen = new Set<string>();
  const editors = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors].filter((e): e is vscode.TextEditor => !!e && e.document.uri.scheme === 'file' && !!vscode.workspace.getWorkspaceFolder(e.document.uri));
  for (const editor of editors) {
    const key = editor.document.uri.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    items.push({ label: `$(file) ${vscode.workspace.asRelativePath(editor.document.uri)}`, description: seen.size === 1 ? 'active editor' : 'open editor', pick: () => Promise.resolve({ uri: editor.document.uri, exists: true }) });
  }
  items.push({ label: '$(folder-opened) Choose a file…', pick: pickFile });
  items.push({ label: '$(new-file) New file…', pick: newFile });
  const choice = await vscode.window.showQuickPick(items, { title: 'Apply the code block to…', placeHolder: hint ? `The answer names ${hint}, which is not in the workspace` : 'The answer does not say which file this block is for' });
  return choice?.pick();
}

async function pickFile(): Promise<ApplyTarget | undefined> {
  const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri, openLabel: 'Apply Here' })) ?? [];
  return uri ? { uri, exists: true } : undefined;
}

async function newFile(): Promise<ApplyTarget | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const path = await vscode.window.showInputBox({ title: 'New file for the code block', prompt: 'A path inside the workspace folder', validateInput: (value) => (!value.trim() || value.startsWith('/') || value.split('/').includes('..') ? 'A relative path inside the workspace' : undefined) });
  if (!path || !folder) return undefined;
  const uri = vscode.Uri.joinPath(folder.uri, path.trim());
  return { uri, exists: !!(await stat(uri)) };
}

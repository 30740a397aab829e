// Whether a workspace file is ignored by git: the .gitignore files of its folder and every folder above it up to
// the workspace folder, read once per tool call. Listing and text search leave ignored files out (build output,
// dependencies), as the Explorer's search does.
import ignore, { type Ignore } from 'ignore';
import * as vscode from 'vscode';

export class GitignoreRules {
  private readonly perFolder = new Map<string, Promise<Ignore | undefined>>();

  /** True when `uri`, inside `folder`, is ignored by a .gitignore on its way from the folder. */
  async ignores(folder: vscode.WorkspaceFolder, uri: vscode.Uri): Promise<boolean> {
    const relative = uri.path.slice(folder.uri.path.length).replace(/^\/+/, '');
    const parts = relative.split('/');
    for (let depth = 0; depth < parts.length; depth++) {
      const base = parts.slice(0, depth).join('/');
      const rules = await this.rulesOf(folder.uri, base);
      const rest = parts.slice(depth).join('/');
      if (rules && rest && rules.ignores(rest)) return true;
    }
    return false;
  }

  private rulesOf(root: vscode.Uri, base: string): Promise<Ignore | undefined> {
    const key = `${root.toString()}|${base}`;
    let rules = this.perFolder.get(key);
    if (!rules) {
      rules = readRules(base ? vscode.Uri.joinPath(root, base, '.gitignore') : vscode.Uri.joinPath(root, '.gitignore'));
      this.perFolder.set(key, rules);
    }
    return rules;
  }
}

async function readRules(uri: vscode.Uri): Promise<Ignore | undefined> {
  try {
    return ignore().add(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  } catch {
    return undefined;
  }
}

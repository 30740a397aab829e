// What each answer's accepted edits changed: per file, its text before the first edit (null: the answer
// created it) and after the last. Kept as one JSON file per answer in the extension's storage, through
// VS Code's file system API, so Undo works after a reload (and in a browser build).
import * as vscode from 'vscode';

export interface FileCheckpoint {
  uri: string;
  before: string | null;
  after: string;
}

export interface AnswerCheckpoint {
  turnId: string;
  /** Shown in the Undo list: the answer's model and when its first edit was accepted. */
  label: string;
  at: number;
  files: FileCheckpoint[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function fileName(turnId: string): string {
  return `${turnId.replace(/[^\w-]/g, '_')}.json`;
}

export class CheckpointStore {
  constructor(private readonly folder: vscode.Uri) {}

  async get(turnId: string): Promise<AnswerCheckpoint | undefined> {
    try {
      const parsed = JSON.parse(decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.folder, fileName(turnId))))) as AnswerCheckpoint;
      return parsed && Array.isArray(parsed.files) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  /** Every answer with edits, newest first. */
  async list(): Promise<AnswerCheckpoint[]> {
    let entries: Array<[string, vscode.FileType]>;
    try {
      entries = await vscode.workspace.fs.readDirectory(this.folder);
    } catch {
      return [];
    }
    const all = await Promise.all(entries.filter(([name]) => name.endsWith('.json')).map(([name]) => this.get(name.slice(0, -'.json'.length))));
    return all.filter((c): c is AnswerCheckpoint => c !== undefined).sort((a, b) => b.at - a.at);
  }

  /** Notes one accepted edit: the first `before` of a file stays, its `after` follows the latest edit. */
  async record(turnId: string, label: string, uri: vscode.Uri, before: string | null, after: string): Promise<void> {
    const checkpoint = (await this.get(turnId)) ?? { turnId, label, at: Date.now(), files: [] };
    const existing = checkpoint.files.find((file) => file.uri === uri.toString());
    if (existing) existing.after = after;
    else checkpoint.files.push({ uri: uri.toString(), before, after });
    await vscode.workspace.fs.createDirectory(this.folder);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.folder, fileName(turnId)), encoder.encode(JSON.stringify(checkpoint)));
  }

  async forget(turnId: string): Promise<void> {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.folder, fileName(turnId))).then(undefined, () => undefined);
  }
}

// What each answer changed in the workspace, so "Undo this answer's changes" puts it back, also after a window
// reload: per file, its bytes before the answer first changed it (null: it did not exist) and what the answer
// left (null: the answer deleted it). One JSON file per answer (chat id + answer id) in the extension's global
// storage on this machine, through VS Code's file system API; nothing here is sent anywhere.
//
// Anything that changes files for an answer (Apply, agent tools) wraps the change:
//   await checkpoints.track({ chatId, answerId, label }, uri, () => write(uri));
// or calls recordBefore(answer, uri) before changing the file and recordAfter(answer, uri) once it is done.
import * as vscode from 'vscode';
import { currentBytes, sameBytes } from './fileState';
import { checkpointsToPrune, type Retention } from './retentionRule';

/** The answer a change belongs to: edits are grouped per answer for Undo. */
export interface AnswerRef {
  chatId: string;
  answerId: string;
  /** Shown in the Undo list (e.g. the model's name); the first one given stays. */
  label?: string;
}

export interface FileCheckpoint {
  uri: string;
  /** Base64 bytes before the answer first changed the file; null: the answer created it. */
  before: string | null;
  /** Base64 bytes the answer left; null: the answer deleted it. */
  after: string | null;
  /** Restored by Undo. */
  undone?: boolean;
}

export interface AnswerCheckpoint {
  chatId: string;
  answerId: string;
  label: string;
  /** When the answer first changed a file (epoch ms). */
  at: number;
  files: FileCheckpoint[];
}

/** What the chat shows under an answer: which files it changed, and whether Undo put them back. */
export interface AnswerChangeSummary {
  answerId: string;
  files: Array<{ path: string; change: 'edited' | 'created' | 'deleted'; undone: boolean }>;
}


const decoder = new TextDecoder();
const encoder = new TextEncoder();

function safe(id: string): string {
  return id.replace(/[^\w-]/g, '_');
}

function fileName(chatId: string, answerId: string): string {
  return `${safe(chatId)}.${safe(answerId)}.json`;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesOf(value: string | null): Uint8Array | null {
  return value === null ? null : fromBase64(value);
}

export class CheckpointStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AnswerRef>();
  /** A checkpoint was recorded, undone or pruned. */
  readonly onDidChange = this.changed.event;
  /** Writes one after another: two tools of one answer may record at once. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly folder: vscode.Uri,
    private readonly retention: () => Retention = () => ({ keep: 100, maxAgeDays: 30 }),
  ) {}

  dispose(): void {
    this.changed.dispose();
  }

  async get(chatId: string, answerId: string): Promise<AnswerCheckpoint | undefined> {
    return this.read(fileName(chatId, answerId));
  }

  /** The checkpoint of `answerId`, in whichever chat (for the command palette's Undo, which knows only the answer). */
  async find(answerId: string, chatId?: string): Promise<AnswerCheckpoint | undefined> {
    if (chatId !== undefined) return this.get(chatId, answerId);
    const name = (await this.names()).find((n) => n.endsWith(`.${safe(answerId)}.json`));
    return name ? this.read(name) : undefined;
  }

  /** Every answer with changes, newest first. */
  async list(): Promise<AnswerCheckpoint[]> {
    const all = await Promise.all((await this.names()).map((name) => this.read(name)));
    return all.filter((c): c is AnswerCheckpoint => c !== undefined).sort((a, b) => b.at - a.at);
  }

  /** The answers of one chat that changed files, for the chat's Undo buttons: file names only, never content. */
  async changesOf(chatId: string): Promise<AnswerChangeSummary[]> {
    const names = (await this.names()).filter((name) => name.startsWith(`${safe(chatId)}.`));
    const checkpoints = (await Promise.all(names.map((name) => this.read(name)))).filter((c): c is AnswerCheckpoint => c?.chatId === chatId);
    return checkpoints.map((c) => ({
      answerId: c.answerId,
      files: c.files.map((file) => ({
        path: vscode.workspace.asRelativePath(vscode.Uri.parse(file.uri)),
        change: file.before === null ? 'created' : file.after === null ? 'deleted' : 'edited',
        undone: file.undone === true,
      })),
    }));
  }

  /** Call before an answer writes, creates or deletes `uri`: keeps the file's state unless this answer changed it already. */
  recordBefore(answer: AnswerRef, uri: vscode.Uri): Promise<void> {
    return this.update(answer, async (checkpoint) => {
      const existing = checkpoint.files.find((file) => file.uri === uri.toString());
      if (existing && !existing.undone) return;
      const bytes = await currentBytes(uri);
      const state = bytes === null ? null : toBase64(bytes);
      const entry: FileCheckpoint = { uri: uri.toString(), before: state, after: state };
      if (existing) checkpoint.files.splice(checkpoint.files.indexOf(existing), 1, entry);
      else checkpoint.files.push(entry);
    });
  }

  /** Call once the answer's change to `uri` is done: keeps what it left, so Undo can tell a later hand edit. */
  recordAfter(answer: AnswerRef, uri: vscode.Uri): Promise<void> {
    return this.update(answer, async (checkpoint) => {
      const existing = checkpoint.files.find((file) => file.uri === uri.toString());
      if (!existing) return;
      const bytes = await currentBytes(uri);
      existing.after = bytes === null ? null : toBase64(bytes);
      // Nothing changed after all (the write failed, or the answer put the file back): nothing to undo.
      if (sameBytes(bytesOf(existing.before), bytes)) checkpoint.files.splice(checkpoint.files.indexOf(existing), 1);
    });
  }

  /** Records `uri` around `change`, the usual way to checkpoint one file change of an answer. */
  async track<T>(answer: AnswerRef, uri: vscode.Uri, change: () => Promise<T>): Promise<T> {
    await this.recordBefore(answer, uri);
    try {
      return await change();
    } finally {
      await this.recordAfter(answer, uri);
    }
  }

  /** Marks files of an answer as put back by Undo (the chat then says so). */
  markUndone(answer: AnswerRef, uris: readonly string[]): Promise<void> {
    return this.update(answer, (checkpoint) => {
      for (const file of checkpoint.files) if (uris.includes(file.uri)) file.undone = true;
    });
  }

  /** Drops checkpoints beyond the newest `keep` answers and those not changed for `maxAgeDays` (by file time: no content is read). */
  prune(now = Date.now()): Promise<void> {
    return this.serial(async () => {
      const stamped = await Promise.all((await this.names()).map(async (name) => ({ name, at: await vscode.workspace.fs.stat(vscode.Uri.joinPath(this.folder, name)).then((stat) => stat.mtime, () => 0) })));
      const dropped = checkpointsToPrune(stamped.sort((a, b) => b.at - a.at), this.retention(), now);
      for (const { name } of dropped) {
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.folder, name)).then(undefined, () => undefined);
        const [chatId = '', answerId = ''] = name.split('.');
        this.changed.fire({ chatId, answerId });
      }
    });
  }

  private update(answer: AnswerRef, change: (checkpoint: AnswerCheckpoint) => void | Promise<void>): Promise<void> {
    return this.serial(async () => {
      const name = fileName(answer.chatId, answer.answerId);
      const existing = await this.read(name);
      const checkpoint = existing ?? { chatId: answer.chatId, answerId: answer.answerId, label: answer.label ?? 'Answer', at: Date.now(), files: [] };
      await change(checkpoint);
      const target = vscode.Uri.joinPath(this.folder, name);
      if (checkpoint.files.length === 0) await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
      else {
        await vscode.workspace.fs.createDirectory(this.folder);
        await vscode.workspace.fs.writeFile(target, encoder.encode(JSON.stringify(checkpoint)));
      }
      this.changed.fire(answer);
      if (!existing && checkpoint.files.length) void this.prune();
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async names(): Promise<string[]> {
    try {
      return (await vscode.workspace.fs.readDirectory(this.folder)).map(([name]) => name).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
  }

  private async read(name: string): Promise<AnswerCheckpoint | undefined> {
    try {
      const parsed = JSON.parse(decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.folder, name)))) as Partial<AnswerCheckpoint>;
      return typeof parsed.chatId === 'string' && typeof parsed.answerId === 'string' && Array.isArray(parsed.files) ? (parsed as AnswerCheckpoint) : undefined;
    } catch {
      return undefined;
    }
  }
}

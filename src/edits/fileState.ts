// A workspace file as the user sees it (an editor's unsaved text counts), read and written the way Apply and
// Undo need: text for merging, exact bytes for checkpoints, so Undo gives back a file byte for byte.
import * as vscode from 'vscode';

const encoder = new TextEncoder();

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
}

async function diskBytes(uri: vscode.Uri): Promise<Uint8Array | null> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    return null;
  }
}

/** The text of `uri` as the user sees it (an editor's unsaved text, else the disk's), or undefined if there is no file. */
export async function currentText(uri: vscode.Uri): Promise<string | undefined> {
  const open = openDocument(uri);
  if (open?.isDirty) return open.getText();
  const bytes = await diskBytes(uri);
  return bytes === null ? undefined : new TextDecoder().decode(bytes);
}

/** The bytes of `uri` as the user sees it: an editor's unsaved text (UTF-8), else the disk's bytes; null when there is no file. */
export async function currentBytes(uri: vscode.Uri): Promise<Uint8Array | null> {
  const open = openDocument(uri);
  if (open?.isDirty) return encoder.encode(open.getText());
  return diskBytes(uri);
}

/** Whether `uri` has an editor with unsaved changes. */
export function hasUnsavedChanges(uri: vscode.Uri): boolean {
  return openDocument(uri)?.isDirty === true;
}

/** Puts `text` into the unsaved editor of `uri` and saves it, so nothing unsaved is left to conflict with the disk. */
async function settleEditor(open: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(open.uri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit to ${vscode.workspace.asRelativePath(open.uri)}`);
  if (!(await open.save())) throw new Error(`${vscode.workspace.asRelativePath(open.uri)} could not be saved`);
}

/**
 * Replaces the whole text of `uri`, or creates it. An editor with unsaved text gets the edit and is saved (its
 * unsaved text is what the change was worked out from); otherwise the disk is written and editors follow it.
 */
export async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  const open = openDocument(uri);
  if (open?.isDirty) return settleEditor(open, text);
  // The text was read without the file's byte-order mark: a file that had one keeps it.
  const body = encoder.encode(text);
  if (!startsWithBom(await diskBytes(uri))) return vscode.workspace.fs.writeFile(uri, body);
  const bytes = new Uint8Array(body.length + 3);
  bytes.set([0xef, 0xbb, 0xbf]);
  bytes.set(body, 3);
  await vscode.workspace.fs.writeFile(uri, bytes);
}

/**
 * Makes `uri` hold exactly `bytes`, or removes it (null). An editor's unsaved changes are given up first (the
 * caller asked the user), so the editor then shows the restored file, not a conflict.
 */
export async function restoreBytes(uri: vscode.Uri, bytes: Uint8Array | null): Promise<void> {
  const open = openDocument(uri);
  if (open?.isDirty) await settleEditor(open, new TextDecoder().decode(bytes ?? (await diskBytes(uri)) ?? new Uint8Array()));
  if (bytes === null) {
    if ((await diskBytes(uri)) !== null) await vscode.workspace.fs.delete(uri, { useTrash: false });
    return;
  }
  await vscode.workspace.fs.writeFile(uri, bytes);
}

function startsWithBom(bytes: Uint8Array | null): boolean {
  return bytes !== null && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

export function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Turns what the user picked (an editor, its selection, a workspace file, an image file) into an
// attachment: bounded text with its path and token estimate, or an image as a data URL.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { estimateTextTokens, IMAGE_TOKENS } from '../../lm/tokenEstimate';
import type { TurnAttachment } from '../../webview/protocol';
import { checkTextFile, formatBytes, imageMimeTypes, imageProblem, textTooLarge } from './limits';
import { attachmentText } from './promptBuilder';

export type ReadResult = { ok: true; attachment: TurnAttachment; dataUrl?: string } | { ok: false; problem: string };

function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

export function textAttachment(fields: Omit<TurnAttachment, 'id' | 'tokens' | 'bytes'>): TurnAttachment {
  const attachment: TurnAttachment = { id: randomUUID(), ...fields, bytes: new TextEncoder().encode(fields.text ?? '').byteLength, tokens: 0 };
  attachment.tokens = estimateTextTokens(attachmentText(attachment));
  return attachment;
}

/** The whole document as the editor has it (unsaved edits included). */
export function documentAttachment(document: vscode.TextDocument): ReadResult {
  const path = displayPath(document.uri);
  const text = document.getText();
  const tooLarge = textTooLarge(baseName(path), new TextEncoder().encode(text).byteLength);
  if (tooLarge) return { ok: false, problem: tooLarge };
  const attachment = textAttachment({ kind: 'file', label: baseName(path), detail: '', path, text, languageId: document.languageId });
  attachment.detail = `${path} · ${formatBytes(attachment.bytes)}`;
  return { ok: true, attachment };
}

export function selectionAttachment(editor: vscode.TextEditor): ReadResult | undefined {
  const selection = editor.selections.find((s) => !s.isEmpty);
  if (!selection) return undefined;
  const document = editor.document;
  const path = displayPath(document.uri);
  const first = selection.start.line + 1;
  const last = selection.end.line + (selection.end.character === 0 && selection.end.line > selection.start.line ? 0 : 1);
  const lines = first === last ? `line ${first}` : `lines ${first}–${last}`;
  const text = document.getText(selection);
  const tooLarge = textTooLarge(`The selection in ${baseName(path)}`, new TextEncoder().encode(text).byteLength);
  if (tooLarge) return { ok: false, problem: tooLarge };
  const attachment = textAttachment({ kind: 'selection', label: `${baseName(path)}:${first === last ? first : `${first}-${last}`}`, detail: '', path: `${path} (${lines})`, text, languageId: document.languageId });
  attachment.detail = `${path}, ${lines} · ${formatBytes(attachment.bytes)}`;
  return { ok: true, attachment };
}

export function isImagePath(path: string): boolean {
  const extension = path.split('.').pop()?.toLowerCase() ?? '';
  return extension in imageMimeTypes;
}

/** A file on disk (or an open editor's text when it is open): text checked for size and binary content, or an image. */
export async function fileAttachment(uri: vscode.Uri): Promise<ReadResult> {
  const path = displayPath(uri);
  const name = baseName(path);
  if (isImagePath(path)) return imageFileAttachment(uri);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return documentAttachment(open);
  const stat = await vscode.workspace.fs.stat(uri);
  const tooLarge = textTooLarge(name, stat.size);
  if (tooLarge) return { ok: false, problem: tooLarge };
  const checked = checkTextFile(name, await vscode.workspace.fs.readFile(uri));
  if (!checked.ok) return checked;
  const attachment = textAttachment({ kind: 'file', label: name, detail: '', path, text: checked.text, languageId: languageFor(path) });
  attachment.detail = `${path} · ${formatBytes(attachment.bytes)}`;
  return { ok: true, attachment };
}

export async function imageFileAttachment(uri: vscode.Uri): Promise<ReadResult> {
  const path = displayPath(uri);
  const name = baseName(path);
  const mimeType = imageMimeTypes[path.split('.').pop()?.toLowerCase() ?? ''] ?? '';
  const stat = await vscode.workspace.fs.stat(uri);
  const early = imageProblem(name, mimeType, stat.size);
  if (early) return { ok: false, problem: early };
  const bytes = await vscode.workspace.fs.readFile(uri);
  return imageAttachment(name, path, mimeType, `data:${mimeType};base64,${Buffer.from(bytes).toString('base64')}`, bytes.byteLength);
}

export function imageAttachment(name: string, path: string, mimeType: string, dataUrl: string, bytes: number): ReadResult {
  const problem = imageProblem(name, mimeType, bytes);
  if (problem) return { ok: false, problem };
  return { ok: true, attachment: { id: randomUUID(), kind: 'image', label: name, detail: `${path} · ${formatBytes(bytes)} ${mimeType.replace('image/', '').toUpperCase()}`, path, bytes, tokens: IMAGE_TOKENS, mimeType }, dataUrl };
}

/** A fence language from the file's extension, as markdown renderers know them. */
function languageFor(path: string): string {
  const extension = path.includes('.') ? (path.split('.').pop()?.toLowerCase() ?? '') : '';
  const known: Record<string, string> = { ts: 'typescript', tsx: 'tsx', js: 'javascript', jsx: 'jsx', mjs: 'javascript', cjs: 'javascript', py: 'python', rs: 'rust', go: 'go', java: 'java', rb: 'ruby', md: 'markdown', json: 'json', yml: 'yaml', yaml: 'yaml', sh: 'bash', css: 'css', html: 'html', c: 'c', h: 'c', cpp: 'cpp', cs: 'csharp', kt: 'kotlin', swift: 'swift', php: 'php', sql: 'sql', toml: 'toml', xml: 'xml' };
  return known[extension] ?? '';
}

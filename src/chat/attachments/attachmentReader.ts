// Turns what the user picked (an editor, its selection, a workspace file, an image file) into an
// attachment: bounded text with its path and token estimate, or an image as a data URL.
import * as vscode from 'vscode';
import type { ContentGate } from '../../exclusion/contentGate';
import { estimateTextTokens, IMAGE_TOKENS } from '../../models/tokenEstimate';
import type { TurnAttachment } from '../conversation';
import { checkTextFile, formatBytes, imageMimeTypes, imageProblem, textTooLarge } from './limits';
import { attachmentText } from './promptBuilder';
import { maxPdfBytes, pdfAttachment } from './pdfAttachment';

export type ReadResult = { ok: true; attachment: TurnAttachment; dataUrl?: string } | { ok: false; problem: string };

function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

export function textAttachment(fields: Omit<TurnAttachment, 'id' | 'tokens' | 'bytes'>): TurnAttachment {
  const attachment: TurnAttachment = { id: crypto.randomUUID(), ...fields, bytes: new TextEncoder().encode(fields.text ?? '').byteLength, tokens: 0 };
  attachment.tokens = estimateTextTokens(attachmentText(attachment));
  return attachment;
}

/** Why `uri` is not attached (an excluded file, a link out of the workspace), or undefined when it may be. */
async function refusal(gate: ContentGate, uri: vscode.Uri): Promise<ReadResult | undefined> {
  const exclusion = await gate.checkFile(uri, 'attachment');
  return exclusion ? { ok: false, problem: `${gate.explain(baseName(displayPath(uri)), exclusion)} It was not attached.` } : undefined;
}

/** The text without its secrets, and the words the chip adds when some were removed. */
async function withoutSecrets(gate: ContentGate, text: string, path: string): Promise<{ text: string; note: string }> {
  const { text: stripped, findings } = await gate.stripSecrets(text, `attachment ${path}`);
  return { text: stripped, note: findings.length ? ` · ${findings.length === 1 ? 'a secret' : `${findings.length} secrets`} removed` : '' };
}

/** The whole document as the editor has it (unsaved edits included). */
export async function documentAttachment(gate: ContentGate, document: vscode.TextDocument): Promise<ReadResult> {
  const refused = await refusal(gate, document.uri);
  if (refused) return refused;
  const path = displayPath(document.uri);
  const tooLarge = textTooLarge(baseName(path), new TextEncoder().encode(document.getText()).byteLength);
  if (tooLarge) return { ok: false, problem: tooLarge };
  const { text, note } = await withoutSecrets(gate, document.getText(), path);
  const attachment = textAttachment({ kind: 'file', label: baseName(path), detail: '', path, text, languageId: document.languageId });
  attachment.detail = `${path} · ${formatBytes(attachment.bytes)}${note}`;
  return { ok: true, attachment };
}

export async function selectionAttachment(gate: ContentGate, editor: vscode.TextEditor): Promise<ReadResult | undefined> {
  const selection = editor.selections.find((s) => !s.isEmpty);
  if (!selection) return undefined;
  const document = editor.document;
  const refused = await refusal(gate, document.uri);
  if (refused) return refused;
  const path = displayPath(document.uri);
  const first = selection.start.line + 1;
  const last = selection.end.line + (selection.end.character === 0 && selection.end.line > selection.start.line ? 0 : 1);
  const lines = first === last ? `line ${first}` : `lines ${first}–${last}`;
  const tooLarge = textTooLarge(`The selection in ${baseName(path)}`, new TextEncoder().encode(document.getText(selection)).byteLength);
  if (tooLarge) return { ok: false, problem: tooLarge };
  const { text, note } = await withoutSecrets(gate, document.getText(selection), path);
  const attachment = textAttachment({ kind: 'selection', label: `${baseName(path)}:${first === last ? first : `${first}-${last}`}`, detail: '', path: `${path} (${lines})`, text, languageId: document.languageId });
  attachment.detail = `${path}, ${lines} · ${formatBytes(attachment.bytes)}${note}`;
  return { ok: true, attachment };
}

export function isImagePath(path: string): boolean {
  const extension = path.split('.').pop()?.toLowerCase() ?? '';
  return extension in imageMimeTypes;
}

/** A file on disk (or an open editor's text when it is open): text checked for size and binary content, or an image. */
export async function fileAttachment(gate: ContentGate, uri: vscode.Uri): Promise<ReadResult> {
  const path = displayPath(uri);
  const name = baseName(path);
  if (isImagePath(path)) return imageFileAttachment(gate, uri);
  if (isPdfPath(path)) return pdfFileAttachment(gate, uri);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return documentAttachment(gate, open);
  const refused = await refusal(gate, uri);
  if (refused) return refused;
  const stat = await vscode.workspace.fs.stat(uri);
  const tooLarge = textTooLarge(name, stat.size);
  if (tooLarge) return { ok: false, problem: tooLarge };
  const checked = checkTextFile(name, await vscode.workspace.fs.readFile(uri));
  if (!checked.ok) return checked;
  const { text, note } = await withoutSecrets(gate, checked.text, path);
  const attachment = textAttachment({ kind: 'file', label: name, detail: '', path, text, languageId: languageFor(path) });
  attachment.detail = `${path} · ${formatBytes(attachment.bytes)}${note}`;
  return { ok: true, attachment };
}

export async function imageFileAttachment(gate: ContentGate, uri: vscode.Uri): Promise<ReadResult> {
  const refused = await refusal(gate, uri);
  if (refused) return refused;
  const path = displayPath(uri);
  const name = baseName(path);
  const mimeType = imageMimeTypes[path.split('.').pop()?.toLowerCase() ?? ''] ?? '';
  const stat = await vscode.workspace.fs.stat(uri);
  const early = imageProblem(name, mimeType, stat.size);
  if (early) return { ok: false, problem: early };
  const bytes = await vscode.workspace.fs.readFile(uri);
  return imageAttachment(name, path, mimeType, `data:${mimeType};base64,${Buffer.from(bytes).toString('base64')}`, bytes.byteLength);
}

export function isPdfPath(path: string): boolean {
  return path.toLowerCase().endsWith('.pdf');
}

/** A PDF from disk, checked for size before it is read; sent as a file part (see pdfAttachment.ts). */
export async function pdfFileAttachment(gate: ContentGate, uri: vscode.Uri): Promise<ReadResult> {
  const refused = await refusal(gate, uri);
  if (refused) return refused;
  const path = displayPath(uri);
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > maxPdfBytes) return { ok: false, problem: `${baseName(path)} is ${formatBytes(stat.size)}; PDFs are sent up to ${formatBytes(maxPdfBytes)}. Attach the pages you need as a smaller PDF.` };
  return pdfAttachment(baseName(path), path, await vscode.workspace.fs.readFile(uri));
}

export function imageAttachment(name: string, path: string, mimeType: string, dataUrl: string, bytes: number): ReadResult {
  const problem = imageProblem(name, mimeType, bytes);
  if (problem) return { ok: false, problem };
  return { ok: true, attachment: { id: crypto.randomUUID(), kind: 'image', label: name, detail: `${path} · ${formatBytes(bytes)} ${mimeType.replace('image/', '').toUpperCase()}`, path, bytes, tokens: IMAGE_TOKENS, mimeType }, dataUrl };
}

/** A fence language from the file's extension, as markdown renderers know them. */
function languageFor(path: string): string {
  const extension = path.includes('.') ? (path.split('.').pop()?.toLowerCase() ?? '') : '';
  const known: Record<string, string> = { ts: 'typescript', tsx: 'tsx', js: 'javascript', jsx: 'jsx', mjs: 'javascript', cjs: 'javascript', py: 'python', rs: 'rust', go: 'go', java: 'java', rb: 'ruby', md: 'markdown', json: 'json', yml: 'yaml', yaml: 'yaml', sh: 'bash', css: 'css', html: 'html', c: 'c', h: 'c', cpp: 'cpp', cs: 'csharp', kt: 'kotlin', swift: 'swift', php: 'php', sql: 'sql', toml: 'toml', xml: 'xml' };
  return known[extension] ?? '';
}

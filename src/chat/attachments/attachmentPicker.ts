// The `@` picker: the active file, its selection, the other open editors and every workspace file in one
// quick pick (workspace files arrive as VS Code finds them), plus an image from disk.
import * as vscode from 'vscode';
import type { ContentGate } from '../../exclusion/contentGate';
import { fileAttachment, imageFileAttachment, pdfFileAttachment, selectionAttachment, documentAttachment, type ReadResult } from './attachmentReader';
import { imageMimeTypes } from './limits';

/** Workspace files listed at most (the filter narrows them as the user types). */
const maxWorkspaceFiles = 5000;

interface PickItem extends vscode.QuickPickItem {
  read?: () => Promise<ReadResult | undefined> | ReadResult | undefined;
}

/**
 * The files VS Code's own search leaves out: `files.exclude` and `search.exclude` (node_modules, .git…). Passing
 * any exclude to findFiles replaces its default, so both settings are combined here.
 */
function excludedFiles(): string | undefined {
  const patterns = ['files.exclude', 'search.exclude'].flatMap((section) =>
    Object.entries(vscode.workspace.getConfiguration().get<Record<string, unknown>>(section) ?? {})
      .filter(([, on]) => on === true)
      .map(([glob]) => glob),
  );
  return patterns.length ? `{${[...new Set(patterns)].join(',')}}` : undefined;
}

function openEditorUris(except: vscode.Uri | undefined): vscode.Uri[] {
  const seen = new Set<string>(except ? [except.toString()] : []);
  const uris: vscode.Uri[] = [];
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (!(input instanceof vscode.TabInputText) || seen.has(input.uri.toString())) continue;
      seen.add(input.uri.toString());
      uris.push(input.uri);
    }
  }
  return uris;
}

function fileItem(gate: ContentGate, uri: vscode.Uri, kindLabel?: string): PickItem {
  const relative = uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false);
  const name = relative.split(/[\\/]/).pop() ?? relative;
  const folder = relative.slice(0, Math.max(0, relative.length - name.length - 1));
  return { label: `$(file) ${name}`, description: [kindLabel, folder].filter(Boolean).join(' · '), read: () => fileAttachment(gate, uri) };
}

/** Shows the picker; resolves with what was read (or why not), or undefined when the user cancelled. */
export async function pickAttachment(gate: ContentGate): Promise<ReadResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  const top: PickItem[] = [];
  if (editor) {
    const name = editor.document.uri.path.split('/').pop() ?? 'the active file';
    const selection = editor.selections.find((s) => !s.isEmpty);
    if (selection) top.push({ label: '$(selection) Selection', description: `${name}, lines ${selection.start.line + 1}–${selection.end.line + 1}`, read: () => selectionAttachment(gate, editor) });
    top.push({ label: '$(file-code) Active file', description: name, read: () => documentAttachment(gate, editor.document) });
  }
  top.push({ label: '$(file-media) Image from file…', description: 'PNG, JPEG, WebP or GIF, for models that read images', read: () => pickImageFile(gate) });
  top.push({ label: '$(file-pdf) PDF from file…', description: 'read by the model, or parsed by OpenRouter for models that read text only', read: () => pickPdfFile(gate) });
  const openEditors = openEditorUris(editor?.document.uri).map((uri) => fileItem(gate, uri, 'open editor'));
  const separator = (label: string): PickItem => ({ label, kind: vscode.QuickPickItemKind.Separator });

  const quickPick = vscode.window.createQuickPick<PickItem>();
  quickPick.title = 'Attach to the chat question';
  quickPick.placeholder = 'Type to find a file; the active file, the selection and open editors come first';
  quickPick.matchOnDescription = true;
  const base = [...top, ...(openEditors.length ? [separator('Open editors'), ...openEditors] : [])];
  quickPick.items = base;
  quickPick.busy = true;
  const search = new vscode.CancellationTokenSource();
  void vscode.workspace.findFiles('**/*', excludedFiles(), maxWorkspaceFiles, search.token).then(
    (uris) => {
      const listed = new Set(openEditorUris(undefined).map((u) => u.toString()));
      const files = uris
        .filter((uri) => !listed.has(uri.toString()))
        .sort((a, b) => a.path.localeCompare(b.path))
        .map((uri) => fileItem(gate, uri));
      if (files.length) quickPick.items = [...base, separator('Workspace files'), ...files];
      quickPick.busy = false;
    },
    () => (quickPick.busy = false),
  );
  try {
    const picked = await new Promise<PickItem | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
      quickPick.onDidHide(() => resolve(undefined));
      quickPick.show();
    });
    quickPick.hide();
    return await picked?.read?.();
  } finally {
    search.cancel();
    search.dispose();
    quickPick.dispose();
  }
}

async function pickImageFile(gate: ContentGate): Promise<ReadResult | undefined> {
  const [uri] =
    (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Attach Image', filters: { Images: Object.keys(imageMimeTypes) } })) ?? [];
  return uri ? imageFileAttachment(gate, uri) : undefined;
}

async function pickPdfFile(gate: ContentGate): Promise<ReadResult | undefined> {
  const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Attach PDF', filters: { PDF: ['pdf'] } })) ?? [];
  return uri ? pdfFileAttachment(gate, uri) : undefined;
}

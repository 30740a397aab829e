// The text "Ask About Selection" puts into the chat input: the file, the lines, and the code fenced
// with a fence longer than any backtick run inside it (so the quote cannot close early).

export interface SelectionContext {
  /** Workspace-relative path (or file name) of the document. */
  path: string;
  /** VS Code language id, used as the fence's info string. */
  languageId: string;
  text: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

const infoStringFor: Record<string, string> = { plaintext: '', typescriptreact: 'tsx', javascriptreact: 'jsx', shellscript: 'bash' };

export function quoteSelection(selection: SelectionContext): string {
  const longestRun = Math.max(0, ...(selection.text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const info = infoStringFor[selection.languageId] ?? selection.languageId.replace(/[^\w+#.-]/g, '');
  const lines = selection.startLine === selection.endLine ? `line ${selection.startLine}` : `lines ${selection.startLine}–${selection.endLine}`;
  const code = selection.text.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  return `From \`${selection.path}\` (${lines}):\n\n${fence}${info}\n${code}\n${fence}\n\n`;
}

import * as vscode from 'vscode';
import { toAbortSignal } from '../util/cancellation';
import { languageEnabled, CONTEXT_TOKENS } from './completionConfig';
import type { CompletionEngine } from './completionEngine';
import type { CompletionSettingsReader } from './completionSettings';
import type { ContentGate, Exclusion } from '../exclusion/contentGate';

/** Characters read on each side of the cursor; the prompt then keeps the whole lines that fit its token budget. */
const PREFIX_CHARS = CONTEXT_TOKENS * 6;
const SUFFIX_CHARS = CONTEXT_TOKENS * 2;

/** Ghost text at the cursor from the completion engine; VS Code cancels the token when the user types on. */
export class InlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  constructor(
    private readonly engine: CompletionEngine,
    private readonly settings: CompletionSettingsReader,
    private readonly gate: ContentGate,
    /** Told when a document's text is withheld, so the status item can say why. */
    private readonly onExcluded: (document: vscode.TextDocument, exclusion: Exclusion) => void,
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    if (!languageEnabled(this.settings.values.languages, document.languageId)) return undefined;
    const exclusion = await this.gate.checkFile(document.uri, 'completion');
    if (exclusion) {
      this.onExcluded(document, exclusion);
      return undefined;
    }
    if (token.isCancellationRequested) return undefined;
    const offset = document.offsetAt(position);
    const prefix = document.getText(new vscode.Range(document.positionAt(Math.max(0, offset - PREFIX_CHARS)), position));
    const suffix = document.getText(new vscode.Range(position, document.positionAt(offset + SUFFIX_CHARS)));
    const cancel = toAbortSignal(token);
    try {
      const middle = await this.engine.complete(
        { documentKey: document.uri.toString(), offset, prefix, suffix, languageId: document.languageId, path: vscode.workspace.asRelativePath(document.uri) },
        cancel.signal,
      );
      if (middle === undefined || token.isCancellationRequested) return undefined;
      return [new vscode.InlineCompletionItem(middle, new vscode.Range(position, position))];
    } finally {
      cancel.dispose();
    }
  }
}

// A panel's first script and style sheet (media/<panel>.js and media/<panel>.page.css, esbuild.mjs), read once and
// written into each page it opens (webviewPage.ts), with media/'s webview URL for what the page loads later. Read
// through `vscode.workspace.fs`, so the same code serves VS Code for the Web.
import * as vscode from 'vscode';
import { errorText } from './errorText';
import type { WebviewPageParts } from './webviewPage';

export type PanelName = 'chat' | 'compare' | 'usage';

export class PanelAssets {
  private readonly files = new Map<string, Promise<string>>();

  /** `media`: the extension's media folder. */
  constructor(readonly media: vscode.Uri) {}

  /** What `panel`'s page in `webview` is written from, but its first message. */
  async parts(panel: PanelName, webview: vscode.Webview): Promise<WebviewPageParts> {
    const [script, style] = await Promise.all([this.text(`${panel}.js`), this.text(`${panel}.page.css`)]);
    return { cspSource: webview.cspSource, mediaUri: `${webview.asWebviewUri(this.media).toString()}/`, script, style };
  }

  private text(name: string): Promise<string> {
    let file = this.files.get(name);
    if (!file) {
      file = Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.media, name))).then(
        (bytes) => new TextDecoder().decode(bytes),
        (error: unknown) => {
          // Not kept: the next open reads it again.
          this.files.delete(name);
          throw new Error(`The extension's file media/${name} could not be read (${errorText(error)}). Reinstall the OpenRouter extension.`);
        },
      );
      this.files.set(name, file);
    }
    return file;
  }
}

// Opening a link from model output (the sidebar chat, Compare Models) outside VS Code: only an absolute
// http(s) or mailto address, only after the user saw the whole of it in a modal question and chose to open it.
// The pages never follow a link themselves (webview/shared/linkGuard.ts); this is the one place that does.
import * as vscode from 'vscode';
import type { Log } from '../log/logger';
import { errorText } from './errorText';

const openableSchemes = new Set(['http:', 'https:', 'mailto:']);
const openChoice = 'Open Link';

/**
 * Asks "Open this link from <where> in your browser?" with the full address (international host names shown
 * as punycode, so a look-alike host cannot pass for another) and opens it once when the user chose Open Link.
 * A dialog that could not be shown counts as No. Returns whether the link was opened.
 */
export async function openLinkAfterAsking(href: string, where: string, log: Log): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    log.warn(`${where}: refused a link that is not a full address.`);
    return false;
  }
  if (!openableSchemes.has(url.protocol)) {
    log.warn(`${where}: refused to open a ${url.protocol} link.`);
    return false;
  }
  const choice = await Promise.resolve(vscode.window.showWarningMessage(`Open this link from ${where} in your browser?`, { modal: true, detail: url.href }, openChoice)).catch((error: unknown) => {
    log.warn(`${where}: the question before opening a link could not be shown, so the link stays closed: ${errorText(error)}`);
    return undefined;
  });
  if (choice !== openChoice) return false;
  return vscode.env.openExternal(vscode.Uri.parse(url.href, true));
}

// Lets a test running in the extension host ask the harness to act in the browser as a user would
// (command palette, quick picks, status bar, webviews, screenshots). See README.md for the actions.
import { request } from 'node:http';

export interface QuickPickItemView {
  label: string;
  description: string;
  detail: string;
  ariaLabel: string;
  /** The section title drawn on this row when it starts a section ('' otherwise). */
  separator: string;
  checked?: boolean;
}

export interface StatusBarItemView {
  id: string;
  text: string;
  ariaLabel: string;
  /** The item's background/foreground kind, from its classes (e.g. `warning-kind`, `error-kind`). */
  kind: string;
}

/** Result types of the actions; an action not listed here still works through browserAction(). */
export interface BrowserActions {
  screenshot: { args: { name: string }; result: { path: string } };
  /** `focus: 'editor'` puts the keyboard focus in the active text editor first, for commands shown only there. */
  openCommandPalette: { args: { focus?: 'editor' }; result: null };
  runCommandFromPalette: { args: { title: string; focus?: 'editor' }; result: { ran: string } };
  typeInQuickInput: { args: { text: string; replace?: boolean }; result: null };
  quickInputValue: { args: Record<string, never>; result: { value: string; visible: boolean } };
  quickPickItems: { args: { waitFor?: string; timeoutMs?: number }; result: QuickPickItemView[] };
  pickQuickPickItem: { args: { label: string; exact?: boolean }; result: { picked: string } };
  quickInputTitle: { args: Record<string, never>; result: { title: string; message: string; busy: boolean } };
  clickQuickInputButton: { args: { title: string }; result: null };
  /** Clicks the button (matched by its tooltip) on the first row whose text contains `label`. */
  clickQuickPickItemButton: { args: { label: string; button: string }; result: null };
  closeQuickInput: { args: Record<string, never>; result: null };
  pressKey: { args: { key: string }; result: null };
  clickNotificationButton: { args: { message: string; button: string; timeoutMs?: number }; result: null };
  readStatusBarItem: { args: { id?: string; text?: string; timeoutMs?: number }; result: StatusBarItemView };
  waitForStatusBarText: { args: { id?: string; text?: string; pattern: string; timeoutMs?: number }; result: StatusBarItemView };
  clickStatusBarItem: { args: { id?: string; text?: string }; result: null };
  hoverStatusBarItem: { args: { id?: string; text?: string }; result: { tooltip: string } };
  notifications: { args: Record<string, never>; result: string[] };
  /** The notification center's messages; open it first (`notifications.showList`). */
  notificationCenter: { args: { timeoutMs?: number }; result: string[] };
  /** The webview actions act in the first open webview, or with `within` in the one whose page holds that selector. */
  webviewWaitFor: { args: { selector: string; text?: string; timeoutMs?: number; within?: string }; result: { text: string } };
  webviewText: { args: { selector: string; within?: string }; result: { texts: string[] } };
  /** A click as the user makes it: the left button unless `button` says otherwise, with the keys held in `modifiers`. */
  webviewClick: { args: { selector: string; within?: string; button?: 'left' | 'middle' | 'right'; modifiers?: Array<'Alt' | 'Control' | 'Meta' | 'Shift'> }; result: null };
  webviewFill: { args: { selector: string; text: string; within?: string }; result: null };
  webviewPress: { args: { selector: string; key: string; within?: string }; result: null };
  webviewEvaluate: { args: { expression: string; within?: string }; result: unknown };
  /** Right-clicks the active editor (its selection, or its first line); returns the context menu's entries, clicking `pick` when given. */
  editorContextMenu: { args: { pick?: string; on?: 'selection' | 'first-line' }; result: { items: string[] } };
  clickActivityBarItem: { args: { label: string }; result: null };
  /** Waits for an inline suggestion's ghost text holding `text` in the focused editor. */
  editorGhostText: { args: { text: string; timeoutMs?: number }; result: { text: string } };
  /** Runs a side bar title-bar command: its icon when shown, else its "..." menu entry; says where it was and what else is there. */
  clickViewTitleAction: { args: { title: string }; result: { where: 'icon' | 'menu'; icons: string[]; menu?: string[] } };
  /** Drags the side bar's edge to `width` px; returns the width it then has. */
  setSideBarWidth: { args: { width: number }; result: { width: number } };
  dom: { args: { selector: string; max?: number }; result: { html: string } };
  /**
   * The addresses of every page (browser tab) the workbench opened outside itself since the run began, in order:
   * each external link VS Code opened. Waits until at least `count` opened (default 0: answers at once).
   */
  openedPages: { args: { count?: number; timeoutMs?: number }; result: string[] };
}

const driverUrl = process.env.VSCODE_TEST_DRIVER_URL;

/** True when the harness's browser driver is there (not under @vscode/test-electron). */
export function hasBrowserDriver(): boolean {
  return Boolean(driverUrl);
}

/** Performs one named action in the browser and returns its result; rejects with the driver's error. */
export function browserAction<K extends keyof BrowserActions>(action: K, args: BrowserActions[K]['args']): Promise<BrowserActions[K]['result']>;
export function browserAction(action: string, args?: Record<string, unknown>): Promise<unknown>;
export function browserAction(action: string, args: Record<string, unknown> = {}): Promise<unknown> {
  if (!driverUrl) return Promise.reject(new Error(`browser action "${action}" needs the browser harness (npm run test:integration)`));
  const body = JSON.stringify({ action, args });
  return new Promise((resolve, reject) => {
    const req = request(`${driverUrl}/action`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          const answer = JSON.parse(text) as { ok: boolean; result?: unknown; error?: string };
          if (answer.ok) resolve(answer.result ?? null);
          else reject(new Error(`browser action "${action}" failed: ${answer.error ?? text}`));
        } catch {
          reject(new Error(`browser action "${action}": unreadable answer (${res.statusCode}) ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

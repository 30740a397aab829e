// The Usage view: an editor panel (OpenRouter: Show Usage) redrawn whenever the record, the key's
// usage or the budget changes, and on demand; its CSV export goes through a save dialog.
import * as vscode from 'vscode';
import type { Settings } from '../config/settings';
import type { Log } from '../log/logger';
import type { KeyInfo } from '../openrouter/types';
import { Disposable, toDisposable } from '../util/dispose';
import { errorText } from '../util/errorText';
import { WebviewChannel } from '../util/webviewChannel';
import type { PanelAssets } from '../util/panelAssets';
import type { UsageFromView, UsageReport, UsageToView } from '../protocols/usage';
import type { BudgetGuard } from './budgetGuard';
import { dayKey } from './usageDays';
import { usageMessageShapes } from './usageMessageShapes';
import { usageHtml } from './usageHtml';
import type { UsageRecorder } from './usageRecorder';
import { buildReport, CHART_DAYS, usageCsv } from './usageReport';

export const usagePanelType = 'openrouter.usage';

export interface UsagePanelDeps {
  /** The panels' scripts and sheets (media/). */
  pages: PanelAssets;
  recorder: UsageRecorder;
  guard: BudgetGuard;
  settings: Settings;
  /** The credits item: the key's usage from its last `/key`, and a refresh of it (the view shows it current). */
  keyUsage: { readonly keyInfo: KeyInfo | undefined; readonly onDidUpdate: vscode.Event<unknown>; refresh(): Promise<void> };
  log: Log;
}

export class UsagePanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel<UsageFromView, UsageToView> | undefined;
  private ready = false;
  /** The page's HTML carries the last report: its `ready` needs none in reply. */
  private pageCurrent = false;
  private lastReport: UsageReport | undefined;
  private readonly mediaUri: vscode.Uri;

  constructor(private readonly deps: UsagePanelDeps) {
    super();
    this.mediaUri = deps.pages.media;
    this._register(deps.recorder.onDidRecord(() => void this.update()));
    this._register(deps.keyUsage.onDidUpdate(() => void this.update()));
    this._register(deps.guard.onDidChange(() => void this.update()));
    this._register(toDisposable(() => this.panel?.dispose()));
  }

  /** What the view was last sent (tests read it). */
  get report(): UsageReport | undefined {
    return this.lastReport;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  async show(): Promise<void> {
    // The key's usage today/this week/this month as of now; the view redraws when it arrives.
    void this.deps.keyUsage.refresh();
    if (this.panel) {
      this.panel.reveal();
      await this.update();
      return;
    }
    const panel = vscode.window.createWebviewPanel(usagePanelType, 'OpenRouter Usage', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [this.mediaUri] });
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.mediaUri, 'openrouter.svg');
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.panel = undefined;
      this.channel = undefined;
    });
    // Another window may have recorded answers meanwhile: coming back into view redraws.
    panel.onDidChangeViewState((event) => (event.webviewPanel.visible ? void this.update() : (this.pageCurrent = false)));
    const channel = new WebviewChannel<UsageFromView, UsageToView>(panel.webview, usageMessageShapes, this.deps.log, 'Usage');
    this.channel = channel;
    channel.onMessage((message) => this.receive(message));
    // The page comes with the report as its first message: the figures are drawn without asking.
    const [report, parts] = await Promise.all([
      this.update().catch((error: unknown) => void this.deps.log.warn(`The Usage view could not build its report: ${errorText(error)}`)),
      this.deps.pages.parts('usage', panel.webview),
    ]);
    if (this.panel !== panel) return;
    const firstMessage: UsageToView | undefined = report ? { type: 'report', report } : undefined;
    panel.webview.html = usageHtml({ ...parts, ...(firstMessage ? { firstMessage } : {}) });
    this.pageCurrent = report !== undefined && this.lastReport === report;
  }

  /** Rebuilds the report from the record (every window's files) and sends it to the view, if open. */
  async update(): Promise<UsageReport> {
    const report = buildReport(await this.deps.recorder.entries(CHART_DAYS), Date.now(), this.deps.keyUsage.keyInfo, this.deps.guard.status, this.deps.settings.values['usage.recordPrompts']);
    this.lastReport = report;
    this.pageCurrent = false;
    if (this.panel && this.ready) void this.channel?.post({ type: 'report', report });
    return report;
  }

  /** The save dialog, then the CSV of the last 30 days per day and model. */
  async exportCsv(): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `openrouter-usage-${dayKey(Date.now())}.csv`;
    const target = await vscode.window.showSaveDialog({
      title: 'Export OpenRouter usage as CSV',
      saveLabel: 'Export',
      filters: { CSV: ['csv'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (!target) return undefined;
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(await this.csv()));
      void vscode.window.showInformationMessage(`OpenRouter usage exported to ${target.scheme === 'file' ? target.fsPath : target.toString()}.`);
      return target;
    } catch (error) {
      this.deps.log.warn(`Usage export failed: ${errorText(error)}`);
      void vscode.window.showErrorMessage(`Could not export the usage: ${errorText(error)}. Choose another place to save it.`);
      return undefined;
    }
  }

  /** Writes the CSV to `path` without a dialog (the test-only command); returns what it wrote. */
  async exportCsvTo(path: string): Promise<string> {
    const text = await this.csv();
    await vscode.workspace.fs.writeFile(vscode.Uri.file(path), new TextEncoder().encode(text));
    return text;
  }

  private async csv(): Promise<string> {
    return usageCsv(await this.deps.recorder.entries(CHART_DAYS), Date.now());
  }

  private async receive(message: UsageFromView): Promise<void> {
    switch (message?.type) {
      case 'ready':
        this.ready = true;
        if (!this.pageCurrent) await this.update();
        return;
      case 'refresh':
        await Promise.all([this.update(), this.deps.keyUsage.refresh()]);
        return;
      case 'exportCsv':
        await this.exportCsv();
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'openrouter.budget');
        return;
      default:
        this.deps.log.debug('The Usage view sent a message it may not send; ignored.');
    }
  }
}

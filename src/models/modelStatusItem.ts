import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { Disposable } from '../util/dispose';
import type { ModelCatalog } from './modelCatalog';
import { formatAge, formatModelDetail, modelDisplayName } from './modelFormat';

/** Shows the selected model; a click opens the picker. */
export class ModelStatusItem extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(
    private readonly catalog: ModelCatalog,
    private readonly emulatorNote: string | undefined,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('openrouter.model', vscode.StatusBarAlignment.Right, 101));
    this.item.name = 'OpenRouter Model';
    this.item.command = commandIds.selectModel;
    this._register(
      catalog.onDidChange((change) => {
        if (change !== 'selection' && change !== 'models') return;
        this.update();
        // A new endpoint drops the list: the names cached for that endpoint, if any, come from the disk.
        if (change === 'models' && !catalog.models) void catalog.cached().then(() => this.update());
      }),
    );
    this.update();
    this.item.show();
    // Names come from the cached list; reading it touches only the disk.
    void catalog.cached().then(() => this.update());
  }

  get text(): string {
    return this.item.text;
  }

  private update(): void {
    if (this.isDisposed) return;
    const id = this.catalog.selectedModelId;
    const model = this.catalog.find(id);
    this.item.text = `$(sparkle) ${model ? modelDisplayName(model) : id}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown('**OpenRouter model**\n\n');
    tooltip.appendText(model ? `${modelDisplayName(model)} (${id})\n${formatModelDetail(model)}` : id);
    const age = this.catalog.ageMs;
    if (age !== undefined) tooltip.appendText(`\n\nModel list updated ${formatAge(age)}${this.catalog.isFetching ? ', refreshing…' : this.catalog.isStale ? ' (a refresh is due)' : ''}.`);
    tooltip.appendMarkdown('\n\nClick to choose another model.');
    if (this.emulatorNote) tooltip.appendMarkdown(`\n\n$(beaker) ${this.emulatorNote}`);
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `OpenRouter model: ${model ? modelDisplayName(model) : id}` };
  }
}

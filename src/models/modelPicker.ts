import * as vscode from 'vscode';
import { commandIds } from '../commands/commandIds';
import { Disposable } from '../util/dispose';
import type { Log } from '../log/logger';
import type { Model } from '../openrouter/types';
import type { ModelCatalog } from './modelCatalog';
import { formatAge, formatModelDetail, isFreeModel, modelDisplayName } from './modelFormat';
import { errorText } from '../util/errorText';
import { showModelDetail } from './modelDetailPick';
import { presetModelId, routers } from './modelVariants';

export interface ModelItem extends vscode.QuickPickItem {
  readonly modelId?: string;
  /** A row that asks for something instead of naming a model. */
  readonly action?: 'preset';
}

const STAR = new vscode.ThemeIcon('star-empty');
const STARRED = new vscode.ThemeIcon('star-full');
const starButton: vscode.QuickInputButton = { iconPath: STAR, tooltip: 'Add to favourites' };
const unstarButton: vscode.QuickInputButton = { iconPath: STARRED, tooltip: 'Remove from favourites' };
const detailButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('server'), tooltip: 'Providers and variants' };
const refreshButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('refresh'), tooltip: 'Refresh the model list from OpenRouter' };
const freeOnlyOff: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('filter'), tooltip: 'Free only: show only free models' };
const freeOnlyOn: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('filter-filled'), tooltip: 'Free only (on): show all models' };

/** The one answer that switches to a model id given to the command. */
const switchChoice = 'Switch Model';

interface BaseEntry {
  model: Model;
  free: boolean;
  label: string;
  description: string;
  detail: string;
}

/**
 * `OpenRouter: Select Model`. The cached list shows at once (with its age); a fetch runs behind a busy
 * indicator when the list is missing or on the refresh button. Item texts are built once per list.
 */
export class ModelPicker extends Disposable {
  private entriesFor: readonly Model[] | undefined;
  private entries: BaseEntry[] = [];

  constructor(
    private readonly catalog: ModelCatalog,
    private readonly log: Log,
  ) {
    super();
    this._register(
      // Without an argument (palette, status bar, menus) it opens the picker; a model id given to it comes from
      // something other than the user's own pick (another extension, a command link, a keybinding) and is checked.
      vscode.commands.registerCommand(commandIds.selectModel, (id?: unknown) => (typeof id === 'string' ? this.selectGiven(id) : this.pick())),
    );
    this._register(
      vscode.commands.registerCommand(commandIds.showModelDetail, async () => {
        const model = this.catalog.find(this.catalog.selectedModelId) ?? (await this.catalog.listed(this.catalog.selectedModelId));
        if (!model) {
          void vscode.window.showInformationMessage('OpenRouter: choose a model first ("OpenRouter: Select Model"); its providers and variants are shown for it.');
          return undefined;
        }
        return showModelDetail(this.catalog, model, this.log);
      }),
    );
    this._register(
      vscode.commands.registerCommand(commandIds.refreshModels, async () => {
        try {
          const models = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: 'Refreshing OpenRouter models…' },
            () => this.catalog.refresh(),
          );
          return models.length;
        } catch (error) {
          void vscode.window.showErrorMessage(`Could not load the OpenRouter model list: ${errorText(error)}`);
          return undefined;
        }
      }),
    );
  }

  /** Items in display order (with separators), for the current list; exposed for tests. */
  buildItems(freeOnly: boolean): ModelItem[] {
    const models = this.catalog.models ?? [];
    if (models !== this.entriesFor) {
      this.entries = models.map((model) => {
        const free = isFreeModel(model);
        return {
          model,
          free,
          label: free ? `${modelDisplayName(model)} $(gift)` : modelDisplayName(model),
          description: model.id,
          detail: formatModelDetail(model),
        };
      });
      this.entriesFor = models;
    }
    const favourites = new Set(this.catalog.favourites);
    const selected = this.catalog.selectedModelId;
    const byId = new Map(this.entries.map((e) => [e.model.id, e]));
    const visible = (e: BaseEntry | undefined): e is BaseEntry => e !== undefined && (!freeOnly || e.free);
    const toItem = (e: BaseEntry): ModelItem => ({
      modelId: e.model.id,
      label: e.model.id === selected ? `$(check) ${e.label}` : e.label,
      description: e.description,
      detail: e.detail,
      buttons: [favourites.has(e.model.id) ? unstarButton : starButton, detailButton],
    });
    const items: ModelItem[] = [];
    const section = (label: string, list: BaseEntry[]): void => {
      if (list.length === 0) return;
      items.push({ label, kind: vscode.QuickPickItemKind.Separator });
      for (const e of list) items.push(toItem(e));
    };
    section('Favourites', [...favourites].map((id) => byId.get(id)).filter(visible));
    section('Recently used', this.catalog.recentlyUsed.filter((id) => !favourites.has(id)).map((id) => byId.get(id)).filter(visible));
    if (!freeOnly) {
      section('Routers and presets', routers.map((r) => byId.get(r.id)).filter(visible));
      items.push({ label: '$(symbol-namespace) Use a preset…', description: '@preset/…', detail: 'A preset saved on openrouter.ai: its model, routing and system prompt', action: 'preset' });
    }
    if (!freeOnly) section('Free models', this.entries.filter((e) => e.free));
    section(freeOnly ? 'Free models' : 'Other models', this.entries.filter((e) => visible(e) && (freeOnly || !e.free)));
    return items;
  }

  /**
   * A model id handed to the command: only a model the list has, and only after the user agreed in a modal that
   * names it and its price (switching models can raise spending). The current model changes nothing and asks
   * nothing. Returns the model selected, or undefined when it was refused or declined.
   */
  private async selectGiven(id: string): Promise<string | undefined> {
    const current = this.catalog.selectedModelId;
    if (id === current) return id;
    const shown = JSON.stringify(id.length > 120 ? `${id.slice(0, 120)}…` : id);
    const model = await this.catalog.listed(id);
    if (!model) {
      const why = this.catalog.models ? `${shown} is not a model OpenRouter lists` : `the model list could not be loaded to check ${shown}`;
      void vscode.window.showErrorMessage(`OpenRouter: the model was not changed: ${why}. The model stays ${current || 'unset'}; choose one with "OpenRouter: Select Model".`);
      this.log.warn(`Refused a request to select ${shown}: ${this.catalog.models ? 'not in the model list' : 'no model list'}.`);
      return undefined;
    }
    const choice = await Promise.resolve(
      vscode.window.showWarningMessage(
        `Switch the OpenRouter model to ${modelDisplayName(model)}?`,
        { modal: true, detail: `Something other than the model picker (another extension, a link or a keybinding) asked to switch from ${current || 'no model'} to ${model.id}: ${formatModelDetail(model)}. The chat and new requests will use it, at its price.` },
        switchChoice,
      ),
    ).catch((error: unknown) => {
      this.log.warn(`The question before switching to ${model.id} could not be shown, so the model stays: ${errorText(error)}`);
      return undefined;
    });
    if (choice !== switchChoice) {
      this.log.info(`Kept ${current}: switching to ${model.id} was not confirmed.`);
      return undefined;
    }
    await this.catalog.select(model.id);
    return model.id;
  }

  private pick(): Promise<string | undefined> {
    return new Promise<string | undefined>((resolve) => {
      const qp = vscode.window.createQuickPick<ModelItem>();
      const disposables: vscode.Disposable[] = [qp];
      let freeOnly = false;
      let settled = false;
      const finish = (value: string | undefined): void => {
        if (settled) return;
        settled = true;
        resolve(value);
        for (const d of disposables) d.dispose();
      };
      qp.matchOnDescription = true;
      qp.matchOnDetail = true;
      qp.placeholder = 'Filter by name or id (e.g. "claude", "free", "openai/")';
      const render = (): void => {
        qp.buttons = [freeOnly ? freeOnlyOn : freeOnlyOff, refreshButton];
        qp.title = this.title(freeOnly);
        const active = qp.activeItems[0]?.modelId;
        qp.items = this.buildItems(freeOnly);
        const again = active ? qp.items.find((i) => i.modelId === active) : undefined;
        if (again) qp.activeItems = [again];
      };
      const load = async (force: boolean): Promise<void> => {
        qp.busy = true;
        qp.title = this.title(freeOnly);
        try {
          if (force || !(await this.catalog.cached())) await this.catalog.refresh();
        } catch (error) {
          this.log.warn(`Model list: ${errorText(error)}`);
          qp.placeholder = `Could not load the model list: ${errorText(error)} — use the refresh button to try again`;
        } finally {
          qp.busy = false;
          if (!settled) render();
        }
      };
      disposables.push(
        qp.onDidTriggerButton((button) => {
          if (button === refreshButton) {
            void load(true);
          } else {
            freeOnly = !freeOnly;
            render();
          }
        }),
        qp.onDidTriggerItemButton(async (event) => {
          const id = event.item.modelId;
          if (!id) return;
          if (event.button === detailButton) {
            const model = this.catalog.find(id);
            qp.hide();
            if (model) await showModelDetail(this.catalog, model, this.log);
            return;
          }
          await this.catalog.toggleFavourite(id);
          render();
        }),
        qp.onDidAccept(async () => {
          if (qp.selectedItems[0]?.action === 'preset') {
            qp.hide();
            finish(await this.pickPreset());
            return;
          }
          const id = qp.selectedItems[0]?.modelId;
          if (!id) return;
          await this.catalog.select(id);
          qp.hide();
          finish(id);
        }),
        qp.onDidHide(() => finish(undefined)),
      );
      if (this.catalog.models) render();
      qp.show();
      void load(false);
    });
  }

  /** Asks for a preset's slug and selects `@preset/<slug>`: OpenRouter applies the preset's model and settings. */
  private async pickPreset(): Promise<string | undefined> {
    const text = await vscode.window.showInputBox({
      title: 'Use an OpenRouter preset',
      prompt: 'The preset’s slug, as in its address on openrouter.ai (its model, routing and system prompt apply)',
      placeHolder: '@preset/my-preset',
      validateInput: (value) => presetModelId(value).problem,
    });
    const id = text === undefined ? undefined : presetModelId(text).id;
    if (id) await this.catalog.select(id);
    return id;
  }

  private title(freeOnly: boolean): string {
    const count = this.catalog.models?.length;
    const age = this.catalog.ageMs;
    const parts = ['Select OpenRouter Model'];
    if (count !== undefined) parts.push(`${count} models`);
    if (freeOnly) parts.push('free only');
    if (this.catalog.isFetching) parts.push('loading…');
    else if (age !== undefined) parts.push(`updated ${formatAge(age)}`);
    return parts.join(' · ');
  }
}

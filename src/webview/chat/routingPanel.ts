// The panel's per-chat routing choices: provider sort, preferred/ignored providers, fallbacks, data
// policy, fallback models, reasoning effort and the output limit. Each control starts at "Settings default"; a choice
// applies to the current chat only and is stored with it by the extension.
import type { ChatRouting } from '../../protocols/chat';
import { h } from '../shared/dom';
import { ProviderRows } from './providerRows';
import { formatUsd } from '../../util/usd';
import { WEB_SEARCH_MAX_USES, WEB_SEARCH_PRICE_USD } from '../../routing/webSearch';

type Defaults = Required<ChatRouting> | undefined;

const listFields = ['order', 'ignore', 'fallbackModels'] as const;

const effortNames: Array<[string, string]> = [['default', 'Model default'], ['none', 'None (no reasoning, nothing billed for it)'], ['minimal', 'Minimal'], ['low', 'Low'], ['medium', 'Medium'], ['high', 'High'], ['xhigh', 'Extra high']];
type ListField = (typeof listFields)[number];

function fromList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

const summaryLabels: Record<keyof ChatRouting, string> = {
  sort: 'sort',
  order: 'prefer',
  only: 'only',
  ignore: 'ignore',
  allowFallbacks: 'fallbacks',
  dataCollection: 'data collection',
  zeroDataRetention: 'zero retention',
  fallbackModels: 'fallback models',
  reasoningEffort: 'effort',
  maxOutputTokens: 'output limit',
  webSearch: 'web search',
  pdfEngine: 'PDF engine',
  quantizations: 'quantizations',
  maxPriceIn: 'max $/1M in',
  maxPriceOut: 'max $/1M out',
  minThroughput: 'min tok/s',
  maxLatency: 'max latency s',
  requireParameters: 'require parameters',
};

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value ?? '');
}

export class RoutingPanel {
  readonly element: HTMLElement;
  /** One line under the toolbar, shown when this chat has its own choices. */
  readonly summary: HTMLElement;
  private readonly summaryText = h('span', { id: 'routing-summary-text' });
  private readonly sort = h('select', { id: 'routing-sort', 'aria-label': 'Provider sort' });
  private readonly lists: Record<ListField, HTMLInputElement> = {
    order: h('input', { id: 'routing-order', type: 'text', 'aria-label': 'Preferred providers, comma-separated', placeholder: 'e.g. anthropic, google-vertex' }),
    ignore: h('input', { id: 'routing-ignore', type: 'text', 'aria-label': 'Ignored providers, comma-separated', placeholder: 'e.g. deepinfra' }),
    fallbackModels: h('input', { id: 'routing-fallback-models', type: 'text', 'aria-label': 'Fallback models, comma-separated', placeholder: 'e.g. openai/gpt-4o-mini' }),
  };
  private readonly fallbacks = h('select', { id: 'routing-fallbacks', 'aria-label': 'Allow fallbacks to other providers' });
  private readonly dataCollection = h('select', { id: 'routing-data', 'aria-label': 'Data collection by providers' });
  private readonly zdr = h('select', { id: 'routing-zdr', 'aria-label': 'Zero data retention providers only' });
  private readonly effort = h('select', { id: 'routing-effort', 'aria-label': 'Reasoning effort' });
  private readonly effortRow: HTMLElement;
  private readonly maxOutput = h('input', { id: 'routing-max-output', type: 'number', min: '0', step: '1', inputmode: 'numeric', 'aria-label': "Output limit in tokens for this chat (0: the model's maximum)" });
  private readonly webSearch = h('select', { id: 'routing-web-search', 'aria-label': 'Web search for this chat' });
  private readonly pdfEngine = h('select', { id: 'routing-pdf-engine', 'aria-label': 'How PDFs are read by models without file input' });
  private readonly problems = h('div', { class: 'notice error', role: 'alert', hidden: true });
  private routing: ChatRouting = {};
  /** The efforts the chosen model takes (its catalogue metadata), least first. */
  private efforts: readonly string[] = [];
  private defaults: Defaults;
  /** Changes sent and not yet answered: an older answer must not undo a newer choice on screen. */
  private unanswered = 0;

  private readonly providerRows: ProviderRows;

  constructor(
    private readonly onChange: (routing: ChatRouting) => void,
    askForProviders: () => void,
  ) {
    const row = (label: string, control: HTMLElement) => h('label', { class: 'routing-row' }, h('span', {}, label), control);
    this.providerRows = new ProviderRows(row, () => this.send(this.read()), (name, list) => this.pin(name, list), askForProviders);
    this.effortRow = row('Reasoning effort', this.effort);
    const reset = h('button', { type: 'button', id: 'routing-reset', class: 'secondary', 'aria-label': 'Reset routing to the settings' }, 'Reset to settings');
    this.element = h(
      'section',
      { id: 'routing-panel', class: 'panel routing-panel', 'aria-label': 'Routing for this chat', hidden: true },
      row('Sort providers by', this.sort),
      row('Preferred providers', this.lists.order),
      row('Ignored providers', this.lists.ignore),
      row('Fallbacks', this.fallbacks),
      row('Data collection', this.dataCollection),
      row('Zero data retention', this.zdr),
      row('Fallback models', this.lists.fallbackModels),
      this.effortRow,
      row('Output limit (tokens)', this.maxOutput),
      row('Web search', this.webSearch),
      row('PDFs (models without file input)', this.pdfEngine),
      ...this.providerRows.rows,
      this.problems,
      h('div', { class: 'routing-actions' }, reset),
    );
    const resetSummary = h('button', { type: 'button', class: 'link-button', 'aria-label': 'Reset routing to the settings' }, 'Reset');
    this.summary = h('div', { id: 'routing-summary', class: 'routing-summary', role: 'status', hidden: true }, this.summaryText, ' ', resetSummary);
    for (const control of [this.sort, this.fallbacks, this.dataCollection, this.zdr, this.effort, this.maxOutput, this.webSearch, this.pdfEngine, ...Object.values(this.lists)]) {
      control.addEventListener('change', () => this.send(this.read()));
    }
    for (const button of [reset, resetSummary]) button.addEventListener('click', () => this.send({}));
    this.fillOptions();
  }

  /** Shows this chat's choices (and what the settings say for the rest); `answer` when it replies to a change sent from here. */
  update(routing: ChatRouting, defaults: Defaults, problems: string[] = [], answer = false): void {
    if (answer && this.unanswered > 0 && --this.unanswered > 0) return;
    this.routing = routing;
    if (defaults) this.defaults = defaults;
    this.fillOptions();
    for (const field of listFields) {
      // A field being typed in keeps its text: it is sent when the user leaves it.
      if (document.activeElement !== this.lists[field]) this.lists[field].value = routing[field]?.join(', ') ?? '';
      if (this.defaults) this.lists[field].placeholder = `Settings: ${describe(this.defaults[field])}`;
    }
    if (document.activeElement !== this.maxOutput) this.maxOutput.value = routing.maxOutputTokens === undefined ? '' : String(routing.maxOutputTokens);
    if (this.defaults) this.maxOutput.placeholder = `Settings: ${this.defaults.maxOutputTokens === 0 ? "model's maximum" : this.defaults.maxOutputTokens}`;
    this.providerRows.update(routing);
    this.problems.hidden = problems.length === 0;
    this.problems.textContent = problems.join(' ');
    const parts = Object.entries(routing).map(([key, value]) => `${summaryLabels[key as keyof ChatRouting] ?? key} ${describe(value)}`);
    this.summary.hidden = parts.length === 0;
    this.summaryText.textContent = parts.length ? `Routing for this chat: ${parts.join(' · ')}` : '';
  }

  /** A new chat or another chat's snapshot: nothing sent from here is awaited any more. */
  reset(routing: ChatRouting, defaults: Defaults): void {
    this.unanswered = 0;
    this.update(routing, defaults);
  }

  private send(routing: ChatRouting): void {
    this.unanswered++;
    this.onChange(routing);
  }

  /** Adds a provider from the model's list to the preferred or ignored providers (out of the other list). */
  private pin(name: string, list: 'order' | 'ignore'): void {
    const other = list === 'order' ? 'ignore' : 'order';
    const add = fromList(this.lists[list].value).filter((p) => p.toLowerCase() !== name.toLowerCase());
    this.lists[list].value = [...add, name].join(', ');
    this.lists[other].value = fromList(this.lists[other].value).filter((p) => p.toLowerCase() !== name.toLowerCase()).join(', ');
    this.send(this.read());
  }

  /** Reasoning effort is offered only for a model that supports reasoning, and only the efforts it takes. */
  setEfforts(efforts: readonly string[] | undefined): void {
    this.efforts = efforts ?? [];
    this.effortRow.hidden = this.efforts.length === 0;
    this.fillOptions();
  }

  private read(): ChatRouting {
    const routing: ChatRouting = {};
    if (this.sort.value) routing.sort = this.sort.value as NonNullable<ChatRouting['sort']>;
    for (const field of listFields) {
      const list = fromList(this.lists[field].value);
      if (list.length) routing[field] = list;
    }
    if (this.fallbacks.value) routing.allowFallbacks = this.fallbacks.value === 'true';
    if (this.dataCollection.value) routing.dataCollection = this.dataCollection.value as NonNullable<ChatRouting['dataCollection']>;
    if (this.zdr.value) routing.zeroDataRetention = this.zdr.value === 'true';
    // A hidden effort (model without reasoning) keeps what the chat had, for when a reasoning model is chosen again.
    if (this.effort.value) routing.reasoningEffort = this.effort.value as NonNullable<ChatRouting['reasoningEffort']>;
    // The extension checks the number (the webview is untrusted); an empty field means the setting.
    if (this.maxOutput.value.trim() !== '') routing.maxOutputTokens = Number(this.maxOutput.value);
    if (this.webSearch.value === 'true') routing.webSearch = true;
    this.providerRows.read(routing);
    if (this.pdfEngine.value) routing.pdfEngine = this.pdfEngine.value as NonNullable<ChatRouting['pdfEngine']>;
    return routing;
  }

  private fillOptions(): void {
    const d = this.defaults;
    const choices = (select: HTMLSelectElement, current: string, fallback: string, options: Array<[string, string]>) => {
      select.replaceChildren(
        h('option', { value: '', selected: current === '' }, `Settings default (${fallback})`),
        ...options.map(([value, label]) => h('option', { value, selected: current === value }, label)),
      );
    };
    const r = this.routing;
    choices(this.sort, r.sort ?? '', d?.sort ?? 'none', [['none', 'OpenRouter balancing'], ['price', 'Price'], ['throughput', 'Throughput'], ['latency', 'Latency']]);
    choices(this.fallbacks, r.allowFallbacks === undefined ? '' : String(r.allowFallbacks), d ? describe(d.allowFallbacks) : 'on', [['true', 'Allowed'], ['false', 'Not allowed']]);
    choices(this.dataCollection, r.dataCollection ?? '', d?.dataCollection ?? 'allow', [['allow', 'Allow'], ['deny', 'Deny (no providers that store or train)']]);
    choices(this.zdr, r.zeroDataRetention === undefined ? '' : String(r.zeroDataRetention), d ? describe(d.zeroDataRetention) : 'off', [['true', 'Only zero-retention providers'], ['false', 'Any provider']]);
    // Off is the default (no setting): on adds OpenRouter's web search tool, priced per search it runs.
    this.webSearch.replaceChildren(
      h('option', { value: '', selected: r.webSearch !== true }, 'Off'),
      h('option', { value: 'true', selected: r.webSearch === true }, `On (Exa: up to ${WEB_SEARCH_MAX_USES} searches, ${formatUsd(WEB_SEARCH_PRICE_USD)} each)`),
    );
    // The paid OCR engine only when chosen here; models that read files themselves always get `native`.
    choices(this.pdfEngine, r.pdfEngine ?? '', 'free text engine', [['cloudflare-ai', 'Free text engine'], ['mistral-ocr', 'OCR for scans ($2 per 1,000 pages)']]);
    // A stored choice the model does not take stays listed, marked: the extension sends the nearest it takes.
    const offered = effortNames.filter(([value]) => value === 'default' || this.efforts.includes(value) || value === r.reasoningEffort);
    const marked = offered.map(([value, label]): [string, string] => [value, value === 'default' || this.efforts.includes(value) ? label : `${label} (not offered by this model)`]);
    choices(this.effort, r.reasoningEffort ?? '', d?.reasoningEffort ?? 'default', marked);
  }
}

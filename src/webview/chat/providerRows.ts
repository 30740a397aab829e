// The routing panel's finer provider choices: pin or exclude one of the providers serving the chosen model
// (listed from OpenRouter when the list is opened), quantization levels, the most to pay, preferred speed, and
// providers that support every parameter. Listens for the `providers` message itself.
import type { ChatRouting, ExtensionMessage, ProviderChoice } from '../../protocols/chat';
import { h } from '../shared/dom';

type Preferences = Pick<ChatRouting, 'quantizations' | 'maxPriceIn' | 'maxPriceOut' | 'minThroughput' | 'maxLatency' | 'requireParameters'>;
const numberInputs = [
  ['maxPriceIn', 'Most to pay, $ per 1M input tokens (0: no limit; providers above are refused)'],
  ['maxPriceOut', 'Most to pay, $ per 1M output tokens (0: no limit; providers above are refused)'],
  ['minThroughput', 'Prefer providers at least this fast, tokens per second at the median (0: no preference)'],
  ['maxLatency', 'Prefer providers that start within this many seconds at the median (0: no preference)'],
] as const;

export class ProviderRows {
  readonly rows: HTMLElement[];
  private readonly providers = h('select', { id: 'routing-providers', 'aria-label': 'Providers serving the chosen model' });
  private readonly status = h('div', { class: 'muted routing-providers-status', role: 'status' });
  private readonly quantizations = h('input', { id: 'routing-quantizations', type: 'text', 'aria-label': 'Quantization levels, comma-separated', placeholder: 'any (e.g. fp8, bf16)' });
  private readonly numbers = Object.fromEntries(
    numberInputs.map(([field, label]) => [field, h('input', { id: `routing-${field}`, type: 'number', min: '0', step: 'any', 'aria-label': label, placeholder: 'none' })]),
  ) as Record<(typeof numberInputs)[number][0], HTMLInputElement>;
  private readonly requireParameters = h('select', { id: 'routing-require-parameters', 'aria-label': 'Only providers that support every parameter sent' });
  private listedFor: string | undefined;

  constructor(
    row: (label: string, control: HTMLElement) => HTMLElement,
    private readonly changed: () => void,
    pin: (name: string, list: 'order' | 'ignore') => void,
    askForProviders: () => void,
  ) {
    const prefer = h('button', { type: 'button', class: 'secondary', id: 'routing-provider-prefer' }, 'Prefer');
    const ignore = h('button', { type: 'button', class: 'secondary', id: 'routing-provider-ignore' }, 'Ignore');
    prefer.addEventListener('click', () => this.providers.value && pin(this.providers.value, 'order'));
    ignore.addEventListener('click', () => this.providers.value && pin(this.providers.value, 'ignore'));
    this.providers.replaceChildren(h('option', { value: '' }, 'Open to list the providers of the chosen model'));
    // Listed when the user comes to the list, not on every model change.
    this.providers.addEventListener('focus', () => askForProviders());
    this.rows = [
      row('Providers of this model', h('span', { class: 'routing-provider-pick' }, this.providers, prefer, ignore)),
      this.status,
      row('Quantizations', this.quantizations),
      row('Max price in ($/1M)', this.numbers.maxPriceIn),
      row('Max price out ($/1M)', this.numbers.maxPriceOut),
      row('Min throughput (tok/s)', this.numbers.minThroughput),
      row('Max latency (s)', this.numbers.maxLatency),
      row('Require parameters', this.requireParameters),
    ];
    for (const control of [this.quantizations, this.requireParameters, ...Object.values(this.numbers)]) control.addEventListener('change', () => this.changed());
    window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => {
      if (event.data.type === 'providers') this.showProviders(event.data.modelId, event.data.providers, event.data.problem);
    });
  }

  private showProviders(modelId: string, providers: ProviderChoice[], problem: string | undefined): void {
    const keep = this.listedFor === modelId ? this.providers.value : '';
    this.listedFor = modelId;
    this.providers.replaceChildren(
      h('option', { value: '' }, providers.length ? `${providers.length} provider${providers.length === 1 ? '' : 's'} serve ${modelId}` : `No providers listed for ${modelId}`),
      ...providers.map((p) => h('option', { value: p.name, title: p.summary, selected: p.name === keep }, `${p.name} · ${p.summary}`)),
    );
    this.status.textContent = problem ?? '';
  }

  /** The chat's choices as the controls show them now. */
  read(into: ChatRouting): void {
    const levels = this.quantizations.value.split(',').map((q) => q.trim().toLowerCase()).filter(Boolean);
    if (levels.length) into.quantizations = levels;
    for (const [field] of numberInputs) if (this.numbers[field].value.trim() !== '') into[field] = Number(this.numbers[field].value);
    if (this.requireParameters.value) into.requireParameters = this.requireParameters.value === 'true';
  }

  update(routing: Preferences): void {
    if (document.activeElement !== this.quantizations) this.quantizations.value = routing.quantizations?.join(', ') ?? '';
    for (const [field] of numberInputs) if (document.activeElement !== this.numbers[field]) this.numbers[field].value = routing[field] === undefined ? '' : String(routing[field]);
    const r = routing.requireParameters;
    this.requireParameters.replaceChildren(
      h('option', { value: '', selected: r === undefined }, 'Settings default (off)'),
      h('option', { value: 'true', selected: r === true }, 'Only providers that support every parameter sent'),
      h('option', { value: 'false', selected: r === false }, 'Any provider'),
    );
  }
}

import { standIn } from './vscode/install';
import { memoryMemento, silent, workspaceConsent } from './vscode/providerHostFixture';
import assert from 'node:assert/strict';
import { Settings } from '../../src/config/settings';
import type { PriceSource } from '../../src/config/workspaceConsent';
import type { Model } from '../../src/openrouter/types';
import { RoutingSettingsReader } from '../../src/routing/routingSettingsReader';
import { EventEmitter } from './vscode/standIn';

/** Lets the promise chain behind a notice run to its end (no timer involved). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A catalogue with prices per 1M tokens (prompt, completion), told to listeners when it loads. */
function catalogue(): PriceSource & { load(prices: Record<string, [number, number]>): void } {
  const models = new Map<string, Model>();
  const changed = new EventEmitter<unknown>();
  return {
    find: (id) => models.get(id),
    onDidChange: changed.event,
    cached: () => Promise.resolve(),
    load(prices) {
      for (const [id, [prompt, completion]] of Object.entries(prices)) models.set(id, { id, pricing: { prompt: String(prompt / 1e6), completion: String(completion / 1e6) } });
      changed.fire('models');
    },
  };
}

const warnings = (): string[] => standIn.messages.filter((m) => m.level === 'warning').map((m) => m.text);

describe('workspace settings through the consent', () => {
  const made: Array<{ dispose(): void }> = [];
  /** Disposed after the test: a reader left behind would still hear the next test's settings. */
  const keep = <T extends { dispose(): void }>(thing: T): T => (made.push(thing), thing);
  beforeEach(() => standIn.reset());
  afterEach(() => made.splice(0).forEach((thing) => thing.dispose()));

  it('sends the user’s data collection choice until the workspace’s is allowed, and applies a more private one at once', async () => {
    standIn.setConfiguration('openrouter.routing.dataCollection', 'deny');
    standIn.setWorkspaceConfiguration('openrouter.routing.dataCollection', 'allow');
    standIn.setWorkspaceConfiguration('openrouter.routing.zeroDataRetention', true);
    const consent = keep(workspaceConsent());
    const routing = keep(new RoutingSettingsReader(silent, consent));
    assert.equal(routing.settings.dataCollection, 'deny');
    assert.equal(routing.settings.zeroDataRetention, true);
    assert.deepEqual(consent.settings.map((s) => s.name), ['openrouter.routing.dataCollection']);

    const changed = new Promise((resolve) => routing.onDidChange(resolve));
    await consent.accept();
    await changed;
    assert.equal(routing.settings.dataCollection, 'allow');
  });

  it('shows one notice naming each setting with both values, and keeps the user’s values when told to', async () => {
    standIn.setConfiguration('openrouter.routing.reasoningEffort', 'low');
    standIn.setWorkspaceConfiguration('openrouter.routing.reasoningEffort', 'xhigh');
    standIn.setWorkspaceConfiguration('openrouter.routing.only', []);
    standIn.setConfiguration('openrouter.routing.only', ['anthropic']);
    const memento = memoryMemento();
    const consent = keep(workspaceConsent(silent, memento));
    keep(new RoutingSettingsReader(silent, consent));
    await settle();
    assert.equal(warnings().length, 1, JSON.stringify(warnings()));
    assert.match(warnings()[0] ?? '', /openrouter\.routing\.reasoningEffort: yours low, this workspace xhigh/);
    assert.match(warnings()[0] ?? '', /openrouter\.routing\.only: yours anthropic, this workspace none \(allows every provider\)/);

    await consent.keep();
    // The next window of this workspace: the answer holds, no second notice.
    standIn.messages.length = 0;
    const routing = keep(new RoutingSettingsReader(silent, keep(workspaceConsent(silent, memento))));
    await settle();
    assert.deepEqual(warnings(), []);
    assert.equal(routing.settings.reasoningEffort, 'low');
  });

  it('remembers an allowed value per workspace, and asks again when the workspace changes it', async () => {
    standIn.setConfiguration('openrouter.routing.reasoningEffort', 'low');
    standIn.setWorkspaceConfiguration('openrouter.routing.reasoningEffort', 'xhigh');
    const memento = memoryMemento();
    await keep(workspaceConsent(silent, memento)).accept(['openrouter.routing.dataCollection']);
    const first = keep(workspaceConsent(silent, memento));
    keep(new RoutingSettingsReader(silent, first));
    await first.accept(['openrouter.routing.reasoningEffort']);

    const routing = keep(new RoutingSettingsReader(silent, keep(workspaceConsent(silent, memento))));
    assert.equal(routing.settings.reasoningEffort, 'xhigh', 'allowed before, in this workspace');
    standIn.setWorkspaceConfiguration('openrouter.routing.reasoningEffort', 'high');
    assert.equal(routing.settings.reasoningEffort, 'low', 'a new value is a new question');
  });

  it('keeps the user’s model while the workspace’s price is unknown, and applies it once the catalogue shows it is cheaper', async () => {
    standIn.setConfiguration('openrouter.defaultModel', 'openai/gpt-4o');
    standIn.setWorkspaceConfiguration('openrouter.defaultModel', 'openai/gpt-4o-mini');
    const consent = keep(workspaceConsent());
    const prices = catalogue();
    const settings = keep(new Settings(silent, consent, {}));
    consent.usePrices(prices);
    assert.equal(settings.values.defaultModel, 'openai/gpt-4o');

    const changed = new Promise((resolve) => settings.onDidChange(resolve));
    prices.load({ 'openai/gpt-4o': [2.5, 10], 'openai/gpt-4o-mini': [0.15, 0.6] });
    await changed;
    assert.equal(settings.values.defaultModel, 'openai/gpt-4o-mini');
    assert.equal(consent.settings.length, 0, 'nothing to ask: the cheaper model is used');

    standIn.setWorkspaceConfiguration('openrouter.defaultModel', 'anthropic/claude-opus-4');
    prices.load({ 'anthropic/claude-opus-4': [15, 75] });
    assert.equal(settings.values.defaultModel, 'openai/gpt-4o');
    assert.match(consent.settings.map((s) => s.effect).join(), /costs \$77\.5 more per 1M tokens/);
  });
});

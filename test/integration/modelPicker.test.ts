import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandIds, internalCommandIds } from '../../src/commands/commandIds';
import type { Model } from '../../src/openrouter/types';
import { answerModals } from './modalAnswers';
import { apiGet, emulator, resetWorld, state } from './openrouterKit';

interface PickerRow {
  label: string;
  description?: string;
  detail?: string;
  modelId?: string;
  separator: boolean;
}

const rows = async (freeOnly = false): Promise<PickerRow[]> => (await vscode.commands.executeCommand(internalCommandIds.pickerItems, freeOnly)) as PickerRow[];
const sections = (items: PickerRow[]): string[] => items.filter((i) => i.separator).map((i) => i.label);
/** The rows under one separator. */
function section(items: PickerRow[], name: string): PickerRow[] {
  const start = items.findIndex((i) => i.separator && i.label === name);
  if (start < 0) return [];
  const end = items.findIndex((i, index) => index > start && i.separator);
  return items.slice(start + 1, end < 0 ? undefined : end);
}

describe('model picker', () => {
  let served: Model[];

  before(async () => {
    await resetWorld();
    served = (await apiGet<{ data: Model[] }>('/models')).data;
    const count = (await vscode.commands.executeCommand(commandIds.refreshModels)) as number;
    assert.equal(count, served.length);
  });

  it('lists every model the server has, once outside the favourites and recent sections', async () => {
    const items = await rows();
    const listed = [...section(items, 'Free models'), ...section(items, 'Other models')].map((i) => i.modelId);
    assert.deepEqual([...listed].sort(), served.map((m) => m.id).sort());
  });

  it('shows price per million input and output tokens, context length and modality', async () => {
    const paid = served.find((m) => Number(m.pricing?.prompt) > 0 && Number(m.pricing?.completion) > 0 && m.context_length);
    assert.ok(paid);
    const item = (await rows()).find((i) => i.modelId === paid.id && !i.separator);
    assert.ok(item?.detail, `an item for ${paid.id}`);
    const [inPart, outPart] = item.detail.split(' · ');
    const dollars = (text: string | undefined): number => Number(/\$([\d.,]+)\/M/.exec(text ?? '')?.[1]?.replace(/,/g, ''));
    const near = (shown: number, expected: number): boolean => Math.abs(shown - expected) <= expected * 0.05 + 0.005;
    assert.ok(near(dollars(inPart), Number(paid.pricing?.prompt) * 1e6), `input price in "${item.detail}"`);
    assert.ok(near(dollars(outPart), Number(paid.pricing?.completion) * 1e6), `output price in "${item.detail}"`);
    assert.match(item.detail, new RegExp(`${Math.round((paid.context_length ?? 0) / 1000)}K context|M context`));
    assert.match(item.detail, /→/);
    assert.equal(item.description, paid.id, 'the id is shown (and filterable) beside the name');
  });

  it('marks free models and lists them together; the free-only toggle shows only them', async () => {
    const free = served.filter((m) => Number(m.pricing?.prompt) === 0 && Number(m.pricing?.completion) === 0).map((m) => m.id);
    assert.ok(free.length > 0, 'the emulator serves free models');
    const items = await rows();
    const freeSection = section(items, 'Free models');
    assert.deepEqual(freeSection.map((i) => i.modelId).sort(), [...free].sort());
    assert.ok(freeSection.every((i) => i.detail?.startsWith('free ·')));
    const only = await rows(true);
    const models = only.filter((i) => !i.separator);
    assert.deepEqual([...new Set(models.map((i) => i.modelId))].sort(), [...free].sort());
  });

  it('puts favourites on top, and takes them off again', async () => {
    const id = served[served.length - 1]?.id;
    assert.ok(id);
    await vscode.commands.executeCommand(internalCommandIds.toggleFavourite, id);
    try {
      const items = await rows();
      assert.equal(items[0]?.label, 'Favourites');
      assert.equal(items[1]?.modelId, id);
      assert.deepEqual((await state()).favourites, [id]);
    } finally {
      await vscode.commands.executeCommand(internalCommandIds.toggleFavourite, id);
    }
    assert.equal(sections(await rows()).includes('Favourites'), false);
  });

  it('saves the choice in global state and lists it first among the recently used', async () => {
    const [first, second] = served.filter((m) => !m.id.endsWith(':free'));
    assert.ok(first && second);
    // An id given to the command is asked about: the user agrees each time.
    const modals = answerModals(() => 'Switch Model');
    try {
      await vscode.commands.executeCommand(commandIds.selectModel, first.id);
      await vscode.commands.executeCommand(commandIds.selectModel, second.id);
    } finally {
      modals.dispose();
    }
    const current = await state();
    assert.equal(current.selectedModelId, second.id);
    assert.deepEqual(current.recentlyUsed.slice(0, 2), [second.id, first.id]);
    const recent = section(await rows(), 'Recently used');
    assert.deepEqual(recent.slice(0, 2).map((i) => i.modelId), [second.id, first.id]);
    assert.ok(recent[0]?.label.startsWith('$(check)'), 'the selected model is checked');
  });

  it('answers from the cache without another /models request, with the age known', async () => {
    await emulator.reset();
    await rows();
    const current = await state();
    assert.ok(current.modelsAgeMs !== undefined);
    assert.equal((await emulator.counters()).requestsByPath['/models'] ?? 0, 0);
    assert.equal((await emulator.counters()).requestsByPath['/models/user'] ?? 0, 0);
  });

  it('keeps the list on disk with the time it was fetched, for the next session', async () => {
    const current = await state();
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.parse(current.modelsCacheUri));
    const cache = JSON.parse(new TextDecoder().decode(bytes)) as { fetchedAt: number; baseUrl: string; models: Model[] };
    assert.equal(cache.models.length, served.length);
    assert.equal(cache.baseUrl, current.settings.baseUrl);
    assert.ok(current.modelsAgeMs !== undefined && Math.abs(Date.now() - cache.fetchedAt - current.modelsAgeMs) < 5000, 'the age shown is the age on disk');
  });

  it('the detail of a model lists its variants and every provider OpenRouter has for it, with price, uptime, latency and throughput', async () => {
    const id = 'openai/gpt-4o-mini';
    const served = (await apiGet<{ data: { endpoints: Array<{ provider_name: string }> } }>(`/models/${id}/endpoints`)).data.endpoints;
    const detail = (await vscode.commands.executeCommand(internalCommandIds.modelDetailRows, id)) as Array<{ label: string; description?: string; detail?: string; modelId?: string; separator?: boolean }>;
    assert.deepEqual(detail.filter((r) => r.modelId).map((r) => r.modelId), [`${id}:nitro`, `${id}:floor`, `${id}:exacto`, `${id}:online`]);
    const providers = detail.slice(detail.findIndex((r) => r.separator && r.label.startsWith('Providers')) + 1);
    assert.deepEqual(providers.map((r) => r.label), served.map((e) => e.provider_name));
    for (const row of providers) {
      assert.match(row.description ?? '', /\/M in · .*\/M out · .* context/);
      assert.match(row.detail ?? '', /uptime [\d.]+% · latency .* · \d+ tok\/s .* last 30 min/);
    }
  });

  it('offers the routers and presets', async () => {
    const routers = section(await rows(), 'Routers and presets');
    assert.deepEqual(routers.filter((r) => r.modelId).map((r) => r.modelId), ['openrouter/auto', 'openrouter/free']);
    assert.ok(routers.some((r) => r.label.includes('Use a preset')));
  });

  it('keeps the last list when a refresh fails', async () => {
    // The account's list fails, and so does the full list the catalogue falls back to.
    await emulator.addFault(['/models/user', '/models'].map((path) => ({ path, times: 10, fault: { type: 'status' as const, status: 400, message: 'bad request from test' } })));
    try {
      const count = await vscode.commands.executeCommand(commandIds.refreshModels);
      assert.equal(count, undefined);
      assert.equal((await state()).modelCount, served.length);
    } finally {
      await emulator.clearFaults();
    }
  });

  describe('links and model choice: a model id from outside the picker', () => {
    const paidModel = (): Model => served.find((m) => Number(m.pricing?.completion) > 0 && m.id !== undefined)!;
    const freeModel = (): Model => served.find((m) => m.id.endsWith(':free'))!;
    let kept = '';

    async function selectAgreed(id: string): Promise<void> {
      const modals = answerModals(() => 'Switch Model');
      try {
        await vscode.commands.executeCommand(commandIds.selectModel, id);
      } finally {
        modals.dispose();
      }
      assert.equal((await state()).selectedModelId, id);
    }

    before(async () => {
      kept = (await state()).selectedModelId;
    });

    // Start from a free model the user chose themselves.
    beforeEach(() => selectAgreed(freeModel().id));

    // The suites after this one find the model the earlier tests left.
    after(() => selectAgreed(kept));

    it('asks first, naming the model and its price; declined (or unanswered), the model stays', async () => {
      const paid = paidModel();
      const modals = answerModals(() => undefined);
      try {
        const result = await vscode.commands.executeCommand(commandIds.selectModel, paid.id);
        assert.equal(result, undefined);
        assert.equal(modals.asked.length, 1, 'one question');
        const [question] = modals.asked;
        assert.ok(question!.message.includes(paid.name ?? paid.id), question!.message);
        assert.ok(question!.detail.includes(paid.id), question!.detail);
        assert.match(question!.detail, /\$[\d.]+\/M in · \$[\d.]+\/M out/, 'the price per million tokens');
        assert.deepEqual(question!.choices, ['Switch Model']);
      } finally {
        modals.dispose();
      }
      assert.equal((await state()).selectedModelId, freeModel().id, 'the model did not change');
      // With no stand-in the test host refuses to show the dialog: that, too, leaves the model as it was.
      assert.equal(await vscode.commands.executeCommand(commandIds.selectModel, paid.id), undefined);
      assert.equal((await state()).selectedModelId, freeModel().id);
    });

    it('switches once the user agrees', async () => {
      const paid = paidModel();
      const modals = answerModals(() => 'Switch Model');
      try {
        assert.equal(await vscode.commands.executeCommand(commandIds.selectModel, paid.id), paid.id);
      } finally {
        modals.dispose();
      }
      assert.equal((await state()).selectedModelId, paid.id);
    });

    it('refuses an id the model list does not have, with a message naming it, and asks nothing', async () => {
      const modals = answerModals(() => 'Switch Model');
      try {
        assert.equal(await vscode.commands.executeCommand(commandIds.selectModel, 'expensive/not-a-listed-model'), undefined);
        assert.equal(modals.asked.length, 0);
        assert.equal(modals.errors.length, 1);
        assert.match(modals.errors[0]!, /"expensive\/not-a-listed-model" is not a model OpenRouter lists/);
      } finally {
        modals.dispose();
      }
      assert.equal((await state()).selectedModelId, freeModel().id);
    });

    it('the current model\'s id changes nothing and asks nothing', async () => {
      const modals = answerModals(() => 'Switch Model');
      try {
        assert.equal(await vscode.commands.executeCommand(commandIds.selectModel, freeModel().id), freeModel().id);
        assert.equal(modals.asked.length, 0);
      } finally {
        modals.dispose();
      }
    });
  });
});

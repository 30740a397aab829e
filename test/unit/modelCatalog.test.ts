import { standIn } from './vscode/install';
import { hostOn } from './vscode/providerHostFixture';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../../src/apiKey/apiKeyStore';
import type { Log } from '../../src/log/logger';
import { ModelCatalog, type CatalogChange } from '../../src/models/modelCatalog';
import { ModelStatusItem } from '../../src/models/modelStatusItem';
import type { ProviderHost } from '../../src/host/providerHost';
import type { Settings } from '../../src/config/settings';
import { startEmulator, type Emulator } from '../emulator';
import { TEST_KEY } from '../emulator/accounts';

const keys = { get: async () => TEST_KEY, has: async () => true, onDidChange: () => ({ dispose() {} }) } as unknown as ApiKeyStore;
const hour = 60 * 60_000;

function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
  } as vscode.Memento;
}

describe('model catalog and model status item (vscode stand-in, loopback emulator)', () => {
  let emulator: Emulator;
  let dir: string;
  let settings: Settings;
  let host: ProviderHost;
  let catalog: ModelCatalog;
  let warnings: string[];
  let onWarning: (message: string) => void;

  before(async () => {
    emulator = await startEmulator({ modelCount: 30 });
  });

  after(() => emulator.close());

  beforeEach(() => {
    standIn.reset();
    emulator.reset();
    warnings = [];
    onWarning = () => {};
    const log: Log = { trace() {}, debug() {}, info() {}, warn: (m) => (warnings.push(m), onWarning(m)), error() {} };
    dir = mkdtempSync(join(tmpdir(), 'model-catalog-'));
    ({ settings, host } = hostOn(emulator, keys, { log }));
    catalog = new ModelCatalog(host, settings, memento(), vscode.Uri.file(dir), log);
  });

  afterEach(async () => {
    catalog.dispose();
    host.dispose();
    settings.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  function writeCache(ageMs: number, baseUrl = emulator.baseUrl): void {
    const models = [{ id: 'openai/gpt-4o-mini', name: 'Cached: GPT-4o mini' }];
    writeFileSync(join(dir, 'models.json'), JSON.stringify({ version: 1, baseUrl, fetchedAt: Date.now() - ageMs, models }));
  }

  function nextChange(wanted: CatalogChange): Promise<void> {
    return new Promise((resolve) => {
      const listener = catalog.onDidChange((change) => {
        if (change !== wanted) return;
        listener.dispose();
        resolve();
      });
    });
  }

  it('tells a listed model from an unlisted id, loading the list first when none is known', async () => {
    const listed = await catalog.listed('openai/gpt-4o-mini');
    assert.equal(listed?.id, 'openai/gpt-4o-mini');
    assert.equal(emulator.counters().requestsByPath['/models/user'], 1, 'the account’s list was loaded to check');
    assert.equal(await catalog.listed('expensive/not-a-listed-model'), undefined);
    assert.equal(emulator.counters().requestsByPath['/models/user'], 1, 'the known list answers the second question');
  });

  it('uses a day-old disk cache at once and refreshes it in the background', async () => {
    writeCache(30 * hour);
    const cached = await catalog.cached();
    assert.equal(cached?.[0]?.name, 'Cached: GPT-4o mini', 'the cached list is answered without waiting');
    assert.ok(catalog.isStale);
    assert.ok(catalog.isFetching, 'a refresh runs behind it');
    await catalog.refresh();
    assert.equal(emulator.counters().requestsByPath['/models/user'], 1, 'one request: the background one, joined');
    const fresh = catalog.models ?? [];
    assert.ok(fresh.length >= 30 && !fresh.some((m) => m.name?.startsWith('Cached:')), 'the fresh list replaces it');
    assert.ok(catalog.ageMs! < hour);
    const onDisk = JSON.parse(readFileSync(join(dir, 'models.json'), 'utf8')) as { fetchedAt: number; models: unknown[] };
    assert.ok(Date.now() - onDisk.fetchedAt < hour, 'and the disk cache is renewed');
    assert.equal(onDisk.models.length, fresh.length);
  });

  it('uses an hour-old cache without asking the server', async () => {
    writeCache(hour);
    await catalog.cached();
    await catalog.getModels();
    assert.equal(catalog.isFetching, false);
    assert.equal(emulator.counters().requestsByPath['/models'] ?? 0, 0);
    assert.equal(emulator.counters().requestsByPath['/models/user'] ?? 0, 0);
  });

  it('keeps the stale list when the background refresh fails, and says so in the log', async () => {
    writeCache(3 * 24 * hour);
    standIn.setConfiguration('openrouter.maxRetries', 0);
    // The account's list and the full list (its fallback) both fail.
    for (const path of ['/models/user', '/models']) emulator.addFault({ path, fault: { type: 'status', status: 500, message: 'down' }, times: 10 });
    const failed = new Promise<void>((resolve) => (onWarning = (m) => (/Background refresh/.test(m) ? resolve() : undefined)));
    await catalog.cached();
    await failed;
    assert.equal(catalog.models?.[0]?.name, 'Cached: GPT-4o mini');
    assert.ok(warnings.some((w) => /Background refresh of the model list failed/.test(w)), JSON.stringify(warnings));
    await catalog.cached();
    assert.equal(catalog.isFetching, false, 'no second try straight away');
  });

  it('the model status item shows the cached display name and the list’s age, not the raw id', async () => {
    writeCache(2 * hour);
    const item = new ModelStatusItem(catalog, undefined);
    try {
      await nextChange('models');
      const shown = standIn.statusBarItems.get('openrouter.model')!;
      assert.equal(shown.text, '$(sparkle) Cached: GPT-4o mini');
      const tooltip = typeof shown.tooltip === 'string' ? shown.tooltip : shown.tooltip?.value;
      assert.match(tooltip ?? '', /Model list updated 2 h ago\./);
    } finally {
      item.dispose();
    }
  });

  it('after the endpoint changes, the model status item shows the names cached for the new endpoint', async () => {
    const other = 'http://127.0.0.1:9/api/v1';
    writeCache(hour, other);
    const item = new ModelStatusItem(catalog, undefined);
    try {
      await catalog.cached();
      const shown = standIn.statusBarItems.get('openrouter.model')!;
      assert.equal(shown.text, '$(sparkle) openai/gpt-4o-mini', 'no names for this endpoint yet');
      const named = nextChange('models');
      standIn.setConfiguration('openrouter.baseUrl', other);
      await named;
      await nextChange('models');
      assert.equal(shown.text, '$(sparkle) Cached: GPT-4o mini');
    } finally {
      item.dispose();
    }
  });
});

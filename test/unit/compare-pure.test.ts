import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { commandIds } from '../../src/commands/commandIds';
import { estimateComparison, estimatePromptTokens, pricePerToken } from '../../src/compare/costEstimate';
import { attachmentTokens, cleanAttachments, compareMessages, IMAGE_TOKENS } from '../../src/compare/compareRequest';
import { cleanSet, ModelSets, type StateStore } from '../../src/compare/modelSets';
import type { Model } from '../../src/openrouter/types';
import { columnFigures, estimateText } from '../../src/webview/compare/columnFigures';

const catalogue: Model[] = [
  { id: 'a/cheap', pricing: { prompt: '0.000001', completion: '0.000002' } },
  { id: 'b/dear', pricing: { prompt: '0.00001', completion: '0.00003', request: '0.001' } },
  { id: 'c/free', pricing: { prompt: '0', completion: '0' } },
  { id: 'd/garbled', pricing: { prompt: 'n/a', completion: '0.1' } },
];
const find = (id: string): Model | undefined => catalogue.find((m) => m.id === id);

class MemoryState implements StateStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.values.set(key, structuredClone(value));
    return Promise.resolve();
  }
}

describe('Compare Models: the estimate before sending', () => {
  it('is prompt price × prompt tokens + completion price × the assumed output, plus any per-request price, summed over the models', () => {
    const estimate = estimateComparison(['a/cheap', 'b/dear', 'c/free'], find, 100, 500);
    assert.deepEqual(
      estimate.perModel.map((m) => m.usd),
      [0.000001 * 100 + 0.000002 * 500, 0.00001 * 100 + 0.00003 * 500 + 0.001, 0],
    );
    assert.ok(Math.abs(estimate.totalUsd! - (0.0011 + 0.017)) < 1e-12);
    assert.equal(estimate.assumedOutputTokens, 500);
  });

  it('grows with the prompt and with each model added', () => {
    const short = estimateComparison(['a/cheap', 'b/dear'], find, estimatePromptTokens('hi'));
    const long = estimateComparison(['a/cheap', 'b/dear'], find, estimatePromptTokens('hi '.repeat(2000)));
    const more = estimateComparison(['a/cheap', 'b/dear', 'a/cheap'], find, estimatePromptTokens('hi'));
    assert.ok(long.totalUsd! > short.totalUsd!);
    assert.ok(more.totalUsd! > short.totalUsd!);
  });

  it('counts attachments in the prompt tokens: a file by its text, an image as a typical image costs', () => {
    const file = attachmentTokens({ kind: 'text', name: 'big.txt', text: 'x'.repeat(4000) });
    const image = attachmentTokens({ kind: 'image', name: 'shot.png', dataUrl: 'data:image/png;base64,AAAA' });
    assert.ok(file >= 1000 && file < 1020, String(file));
    assert.equal(image, IMAGE_TOKENS);
    assert.equal(estimatePromptTokens('explain', [file, image]), estimatePromptTokens('explain') + file + image);
  });

  it('says the total is unknown when a model is missing or its price unreadable, never a silent zero', () => {
    assert.equal(estimateComparison(['a/cheap', 'z/unknown'], find, 10).totalUsd, undefined);
    assert.equal(estimateComparison(['a/cheap', 'd/garbled'], find, 10).totalUsd, undefined);
    assert.equal(pricePerToken(''), undefined);
    assert.equal(pricePerToken('-1'), undefined);
    assert.equal(pricePerToken('0.5'), 0.5);
  });

  it('shows the total with its assumption in words', () => {
    const text = estimateText(estimateComparison(['a/cheap', 'b/dear'], find, 42, 500));
    assert.match(text, /≈ \$0\.0\d+ for 2 models/);
    assert.match(text, /42 prompt tokens each/);
    assert.match(text, /assumes 500 output tokens per model/);
    assert.match(estimateText(estimateComparison(['z/unknown', 'a/cheap'], find, 1)), /unknown/);
  });
});

describe('Compare Models: remembered model sets', () => {
  it('remembers the last set used, and only a valid one (2–4 distinct ids)', async () => {
    const sets = new ModelSets(new MemoryState());
    assert.equal(sets.last, undefined);
    await sets.rememberLast(['a/cheap', 'b/dear', 'c/free']);
    assert.deepEqual(sets.last, ['a/cheap', 'b/dear', 'c/free']);
    await sets.rememberLast(['only/one']);
    assert.deepEqual(sets.last, ['a/cheap', 'b/dear', 'c/free']);
  });

  it('toggles a favourite set (newest first) and knows it again in the same order only', async () => {
    const sets = new ModelSets(new MemoryState());
    assert.equal(await sets.toggleFavourite(['a/cheap', 'b/dear']), true);
    assert.equal(await sets.toggleFavourite(['c/free', 'b/dear', 'a/cheap']), true);
    assert.deepEqual(sets.favourites, [['c/free', 'b/dear', 'a/cheap'], ['a/cheap', 'b/dear']]);
    assert.equal(sets.isFavourite(['a/cheap', 'b/dear']), true);
    assert.equal(sets.isFavourite(['b/dear', 'a/cheap']), false);
    assert.equal(await sets.toggleFavourite(['a/cheap', 'b/dear']), false);
    assert.deepEqual(sets.favourites, [['c/free', 'b/dear', 'a/cheap']]);
  });

  it('drops hand-edited or old state that is not a usable set', () => {
    const state = new MemoryState();
    state.values.set('openrouter.compare.favouriteSets', [['a', 'b'], 'nonsense', ['a'], ['a', 'a', 'b'], [1, 2], ['a', 'b', 'c', 'd', 'e']]);
    assert.deepEqual(new ModelSets(state).favourites, [['a', 'b'], ['a', 'b']]);
    assert.equal(cleanSet(undefined), undefined);
    assert.deepEqual(cleanSet(['x', ' ', 'y']), ['x', 'y']);
  });
});

describe('Compare Models: the request and the column figures', () => {
  it('sends the prompt alone as one user message when nothing is attached', () => {
    assert.deepEqual(compareMessages('hello'), [{ role: 'user', content: 'hello' }]);
  });

  it('puts attachments before the prompt: files fenced (a fence no backtick run in the file can close), images as image parts', () => {
    const [message] = compareMessages('review this', [
      { kind: 'text', name: 'a.md', text: 'has ``` inside' },
      { kind: 'image', name: 'shot.png', dataUrl: 'data:image/png;base64,AAAA' },
    ]);
    assert.ok(Array.isArray(message!.content));
    const [file, image, prompt] = message!.content as Array<Record<string, unknown>>;
    assert.equal(file!.text, 'a.md:\n````\nhas ``` inside\n````');
    assert.deepEqual(image, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } });
    assert.deepEqual(prompt, { type: 'text', text: 'review this' });
  });

  it('accepts only well-formed attachments from a command argument', () => {
    const kept = cleanAttachments([
      { kind: 'text', name: 'ok.ts', text: 'x' },
      { kind: 'text', name: '', text: 'no name' },
      { kind: 'image', name: 'evil.svg', dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' },
      { kind: 'image', name: 'remote.png', dataUrl: 'https://example.com/x.png' },
      'junk',
      null,
    ]);
    assert.deepEqual(kept, [{ kind: 'text', name: 'ok.ts', text: 'x' }]);
    assert.deepEqual(cleanAttachments('not a list'), []);
  });

  it('shows first-token time, rate, tokens (approximate while streaming), cost and provider', () => {
    assert.deepEqual(columnFigures({ source: 'live', timeToFirstTokenMs: 240.4, tokensPerSecond: 51.26, completionTokens: 17 }), ['first token 240 ms', '51.3 tok/s', '~17 tokens']);
    assert.deepEqual(columnFigures({ source: 'generation', timeToFirstTokenMs: 1500, tokensPerSecond: 10, completionTokens: 30, costUsd: 0.0123, provider: 'Anthropic' }), [
      'first token 1.50 s',
      '10.0 tok/s',
      '30 tokens',
      '$0.012',
      'via Anthropic',
    ]);
    assert.deepEqual(columnFigures({ source: 'pending' }), ['fetching cost…']);
    assert.deepEqual(columnFigures({ source: 'unavailable' }), ['cost not available']);
  });
});

describe('Compare Models: where the command is offered', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    contributes: { commands: Array<{ command: string; title: string; icon?: string }>; menus: Record<string, Array<{ command: string; when?: string; group?: string }>> };
  };

  it('is in the palette as "OpenRouter: Compare Models", with a codicon, and as a button in the chat view\'s title bar', () => {
    const command = manifest.contributes.commands.find((c) => c.command === commandIds.compareModels);
    assert.equal(command?.title, 'Compare Models');
    assert.match(command?.icon ?? '', /^\$\([a-z-]+\)$/);
    const hiddenFromPalette = manifest.contributes.menus.commandPalette?.some((entry) => entry.command === commandIds.compareModels && entry.when === 'false');
    assert.equal(hiddenFromPalette, false);
    const titleBar = manifest.contributes.menus['view/title']?.find((entry) => entry.command === commandIds.compareModels);
    assert.equal(titleBar?.when, 'view == openrouter.chatView');
    assert.match(titleBar?.group ?? '', /^navigation/);
  });
});

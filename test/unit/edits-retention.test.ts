import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkpointsToPrune, retentionSettings } from '../../src/edits/retentionRule';

const day = 86_400_000;
const now = Date.UTC(2026, 11, 7);
// Newest first, as the store lists them.
const answers = [0, 1, 2, 10, 40].map((daysAgo) => ({ id: `${daysAgo}d`, at: now - daysAgo * day }));

describe('Checkpoint retention', () => {
  it('keeps the newest answers up to the count and deletes the rest', () => {
    assert.deepEqual(checkpointsToPrune(answers, { keep: 2, maxAgeDays: 3650 }, now).map((a) => a.id), ['2d', '10d', '40d']);
  });

  it('deletes answers older than the age limit, even within the count', () => {
    assert.deepEqual(checkpointsToPrune(answers, { keep: 100, maxAgeDays: 30 }, now).map((a) => a.id), ['40d']);
    assert.deepEqual(checkpointsToPrune(answers, { keep: 100, maxAgeDays: 5 }, now).map((a) => a.id), ['10d', '40d']);
  });

  it('deletes nothing while both limits hold', () => {
    assert.deepEqual(checkpointsToPrune(answers, { keep: 5, maxAgeDays: 41 }, now), []);
  });

  it('declares both settings in package.json with the same default and range, for the user only', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown; minimum?: number; maximum?: number; scope?: string }> } };
    };
    for (const spec of Object.values(retentionSettings)) {
      const property = manifest.contributes.configuration.properties[`openrouter.${spec.key}`];
      assert.ok(property, spec.key);
      assert.deepEqual([property.default, property.minimum, property.maximum, property.scope], [spec.default, spec.minimum, spec.maximum, 'application'], spec.key);
    }
  });
});

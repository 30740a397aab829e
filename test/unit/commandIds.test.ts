import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { commandIds, internalCommandIds } from '../../src/commands/commandIds';

interface Manifest {
  contributes: { commands: Array<{ command: string; title: string; category?: string }> };
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Manifest;

describe('commandIds', () => {
  it('lists exactly the commands package.json contributes, in both directions', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(commandIds).sort());
  });

  it('puts every contributed command under the OpenRouter category with a title', () => {
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'OpenRouter', command.command);
      assert.ok(command.title.trim(), command.command);
    }
  });

  it('declares each id once', () => {
    const ids = [...Object.values(commandIds), ...Object.values(internalCommandIds)];
    assert.equal(new Set(ids).size, ids.length);
  });

  it('keeps internal commands out of the command palette', () => {
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const id of Object.values(internalCommandIds)) assert.equal(contributed.has(id), false, id);
  });
});
